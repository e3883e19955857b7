#!/usr/bin/env python3
"""Prints AWS Signature Version 4 test vectors computed by botocore, for Tests/CatalogTests/S3/SigV4SignerTests.swift.

Usage: python3 Scripts/sigv4_vectors.py        (needs botocore; `python3 -m pip install botocore`)

Every request is signed by botocore's S3SigV4Auth (the signer boto3 uses for S3) with the clock pinned to
2013-05-24T00:00:00Z, the date of the examples in the AWS S3 SigV4 documentation. Paths are percent-encoded
the way botocore's serializer encodes S3 keys (quote(key, safe='/~')); query parameters are passed as
params, which S3SigV4Auth encodes with quote(value, safe='-_.~'). The output is pasted into the Swift test
as constants; rerun the script after changing a vector.
"""
import datetime
from urllib.parse import quote

import botocore.auth
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

FIXED = datetime.datetime(2013, 5, 24, 0, 0, 0)
botocore.auth.get_current_datetime = lambda: FIXED      # pin the signing time

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def sign(name, method, endpoint, path, params=(), headers=None, body=b"", token=None, region="us-east-1",
         unsigned_payload=False):
    url = endpoint + quote(path, safe="/~")
    request = AWSRequest(method=method, url=url, params=list(params), headers=dict(headers or {}), data=body)
    if unsigned_payload:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    S3SigV4Auth(Credentials(KEY_ID, SECRET, token), "s3", region).add_auth(request)
    print(f"// {name}")
    print(f"//   {method} {url}" + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else ""))
    for header in ("X-Amz-Content-SHA256", "Authorization"):
        print(f'//   {header}: {request.headers[header]}')
    print()


# The AWS documentation's example (GET /test.txt with a Range header, virtual-host addressing).
sign("aws-doc-get-range", "GET", "https://examplebucket.s3.amazonaws.com", "/test.txt",
     headers={"Range": "bytes=0-9"})
# ListObjectsV2 with query parameters (values with '/' and '=' are encoded), path-style on moto.
sign("list-objects-v2", "GET", "http://127.0.0.1:5055", "/lake",
     params=[("list-type", "2"), ("prefix", "t/_log/"), ("start-after", "t/_log/a=b c.json"), ("max-keys", "2"),
             ("continuation-token", "1/ab+cd==")])
# Ranged GET with a suffix range, path-style.
sign("get-suffix-range", "GET", "http://127.0.0.1:5055", "/lake/t/a.bin", headers={"Range": "bytes=-4"})
# PUT with the payload hash, an explicit content type and If-None-Match.
sign("put-if-none-match", "PUT", "http://127.0.0.1:5055", "/lake/t/_delta_log/00000000000000000000.json",
     headers={"Content-Type": "application/octet-stream", "If-None-Match": "*"}, body=b'{"commitInfo":{}}\n')
# A key with spaces, Unicode and special characters (virtual-host addressing, another region).
sign("special-key", "GET", "https://lake.s3.eu-west-1.amazonaws.com", "/dir one/Übergrößen €/a+b=c&d(1)!*'@$,;:.parquet",
     region="eu-west-1")
# Temporary credentials: the session token is sent and signed as X-Amz-Security-Token.
sign("session-token", "HEAD", "http://127.0.0.1:5055", "/lake/t/a.bin", token="FQoGZXIvYXdzEXAMPLE/TOKEN+abc==")
# CreateMultipartUpload: an empty query value (?uploads) and UNSIGNED-PAYLOAD.
sign("create-multipart-unsigned", "POST", "https://lake.s3.amazonaws.com", "/big.parquet", params=[("uploads", "")],
     headers={"Content-Type": "application/octet-stream"}, unsigned_payload=True)
