#!/usr/bin/env python3
"""Creates a bucket on the S3 endpoint in $LAKE_S3_ENDPOINT (for the interop checks on moto)."""
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["LAKE_S3_ENDPOINT"], region_name="us-east-1",
                  aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
                  aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"))
s3.create_bucket(Bucket=sys.argv[1])
