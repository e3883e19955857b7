#!/usr/bin/env bash
# Runs a command with two local moto_server S3 endpoints (see /work/shared/research/s3-testing.md):
#   - LAKE_S3_ENDPOINT: signatures not checked; AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
#   - LAKE_S3_AUTH_ENDPOINT: auth mode (INITIAL_NO_AUTH_ACTION_COUNT=3): an IAM user with an allow-all policy
#     and an access key are made with boto3, exported as LAKE_S3_AUTH_KEY_ID and LAKE_S3_AUTH_SECRET; from then
#     on every SigV4 signature is verified.
# Both servers listen on free loopback ports and are stopped by PID when the script exits.
# The exit code is the command's.
# Usage: bash Scripts/with_moto.sh swift test --skip-build
set -euo pipefail
if [ "$#" -eq 0 ]; then echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; fi

if ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
    python3 -m pip install -q 'moto[server]' boto3 || python3 -m pip install -q --break-system-packages 'moto[server]' boto3
fi
if command -v moto_server >/dev/null 2>&1; then MOTO=(moto_server); else MOTO=(python3 -m moto.server); fi

LOGS=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# wait_ready URL PID LOG: polls GET URL/moto-api/ until it answers 200 (10 s at most).
wait_ready() {
    for _ in $(seq 1 100); do
        if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)' "$1" 2>/dev/null; then return 0; fi
        if ! kill -0 "$2" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "moto_server at $1 did not start; its log:" >&2
    cat "$3" >&2
    exit 1
}

PORT=$(free_port)
"${MOTO[@]}" -H 127.0.0.1 -p "$PORT" >"$LOGS/moto.log" 2>&1 &
PIDS+=($!)
AUTH_PORT=$(free_port)
INITIAL_NO_AUTH_ACTION_COUNT=3 "${MOTO[@]}" -H 127.0.0.1 -p "$AUTH_PORT" >"$LOGS/moto-auth.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$PORT" "${PIDS[0]}" "$LOGS/moto.log"
wait_ready "http://127.0.0.1:$AUTH_PORT" "${PIDS[1]}" "$LOGS/moto-auth.log"

# The three unchecked requests of the auth server: CreateUser, PutUserPolicy, CreateAccessKey.
if ! AUTH=$(python3 - "http://127.0.0.1:$AUTH_PORT" <<'PY'
import json, sys
import boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
iam.create_user(UserName="lake")
iam.put_user_policy(UserName="lake", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="lake")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
PY
); then
    echo "could not create the IAM access key on the auth-mode moto_server; its log:" >&2
    cat "$LOGS/moto-auth.log" >&2
    exit 1
fi
read -r AUTH_KEY_ID AUTH_SECRET <<<"$AUTH"

export LAKE_S3_ENDPOINT="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export LAKE_S3_AUTH_ENDPOINT="http://127.0.0.1:$AUTH_PORT" LAKE_S3_AUTH_KEY_ID="$AUTH_KEY_ID" LAKE_S3_AUTH_SECRET="$AUTH_SECRET"
unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_DEFAULT_REGION

set +e
"$@"
status=$?
set -e
exit "$status"
