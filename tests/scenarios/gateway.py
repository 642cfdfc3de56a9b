"""A small AWS-like gateway on 127.0.0.1 in front of moto, for what moto does not do like AWS.

moto (with auth enforced) checks key ids, secrets, session tokens and partitions. It does not:
- refuse an access key whose status is Inactive (AWS answers as for an unknown key);
- refuse a key in the seconds after CreateAccessKey (IAM is eventually consistent);
- know opt-in regions (AWS refuses every request in a region the account has not enabled) or
  answer account:GetRegionOptStatus;
- know version 1 session tokens (from the global STS endpoint), which AWS refuses in opt-in
  regions;
- issue GetSessionToken credentials that authenticate (AWS accepts them, without MFA, everywhere
  except IAM and most of STS, which answer InvalidClientTokenId).
- check the RoleSessionName of AssumeRole against STS's constraint (2-64 characters of
  letters, digits and `_+=,.@-`; botocore checks only the minimum length), which AWS answers with a
  ValidationError.
The gateway answers those cases itself, in the error format of the service (query XML, EC2 XML,
S3 XML, JSON), reading key status and creation time from moto's own state (same process), and
forwards everything else to moto byte for byte. It can also play a foreign S3-compatible store
that knows none of the keys (`foreign=True`). It checks session tokens, not their signatures.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from awsmedic.aws.regions import DEFAULT_ENABLED, partition_of
from tests.awsfixtures import Keys

ACCOUNT = "123456789012"
_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_JSON = {"dynamodb", "lambda", "kms", "logs", "secretsmanager", "ssm", "ecr", "ecs", "account"}
_INVALID = "The security token included in the request is invalid."


@dataclass
class Session:
    """Credentials from GetSessionToken without MFA, backed by the user's long-term keys."""

    secret: str
    token: str
    user: Keys


@dataclass
class Rules:
    enabled_regions: set[str] = field(default_factory=set)  # opt-in regions the account enabled
    global_tokens: set[str] = field(default_factory=set)  # version 1 tokens (global endpoint)
    propagation: timedelta = timedelta(0)  # keys younger than this are not known yet
    sessions: dict[str, Session] = field(default_factory=dict)
    foreign: bool = False  # an S3-compatible store that knows none of these keys


def _moto_key(key_id: str, region: str) -> Any:
    from moto.iam.models import iam_backends

    backend = iam_backends[ACCOUNT][partition_of(region) or "aws"]
    return next(
        (k for k in backend.get_all_access_keys_for_all_users() if k.access_key_id == key_id),
        None,
    )


def error(service: str, key_id: str) -> tuple[int, dict[str, str], bytes]:
    """AWS's answer to credentials it does not recognise, in the service's own format."""
    request_id = secrets.token_hex(16)
    if service == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>AuthFailure'
            "</Code><Message>AWS was not able to validate the provided access credentials"
            f"</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
        return 401, {"Content-Type": "text/xml"}, body.encode()
    if service == "s3":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code>'
            "<Message>The AWS Access Key Id you provided does not exist in our records.</Message>"
            f"<AWSAccessKeyId>{key_id}</AWSAccessKeyId><RequestId>{request_id}</RequestId></Error>"
        )
        return 403, {"Content-Type": "application/xml"}, body.encode()
    if service in _JSON:
        body = json.dumps({"__type": "UnrecognizedClientException", "message": _INVALID})
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-ErrorType": "UnrecognizedClientException",
        }
        return 400, headers, body.encode()
    message = _INVALID if service == "sts" else _INVALID.rstrip(".")  # IAM omits the period
    body = (
        f'<ErrorResponse xmlns="https://{service}.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>{message}</Message>"
        f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return 403, {"Content-Type": "text/xml"}, body.encode()


def _opt_status(rules: Rules, body: bytes) -> tuple[int, dict[str, str], bytes]:
    region = json.loads(body or b"{}").get("RegionName", "")
    if region in DEFAULT_ENABLED:
        status = "ENABLED_BY_DEFAULT"
    else:
        status = "ENABLED" if region in rules.enabled_regions else "DISABLED"
    answer = json.dumps({"RegionName": region, "RegionOptStatus": status}).encode()
    return 200, {"Content-Type": "application/json"}, answer


_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")


def _session_name_refused(body: bytes) -> tuple[int, dict[str, str], bytes] | None:
    """STS's ValidationError for an AssumeRole RoleSessionName outside its constraint."""
    query = parse_qs(body.decode(errors="replace"))
    names = query.get("RoleSessionName")
    if query.get("Action") != ["AssumeRole"] or not names or _SESSION_NAME.fullmatch(names[0]):
        return None
    message = (
        f"1 validation error detected: Value '{names[0]}' at 'roleSessionName' failed to satisfy"
        " constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
    )
    body_text = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>Sender</Type><Code>ValidationError</Code><Message>{message}</Message>"
        f"</Error><RequestId>{secrets.token_hex(16)}</RequestId></ErrorResponse>"
    )
    return 400, {"Content-Type": "text/xml"}, body_text.encode()


class Gateway:
    def __init__(self, upstream: str, rules: Rules | None = None) -> None:
        self.upstream = urlsplit(upstream)
        self.rules = rules or Rules()
        self.seen: list[tuple[str, str, str]] = []  # (service, region, key id) per request
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                gateway.handle(self)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the rules --------------------------------------------------------------------------
    def refuse(self, key: str, region: str, service: str, token: str) -> bool:
        rules = self.rules
        if rules.foreign:
            return True
        opt_in = partition_of(region) == "aws" and region not in DEFAULT_ENABLED
        if opt_in and region not in rules.enabled_regions:
            return True  # the account has not enabled this region: IAM data is not there
        if opt_in and token in rules.global_tokens:
            return True  # version 1 tokens are valid only in regions enabled by default
        record = _moto_key(key, region)
        if record is not None and record.status == "Inactive":
            return True
        if record is not None and rules.propagation:
            age = datetime.now(UTC) - record.create_date.replace(tzinfo=UTC)
            return age < rules.propagation
        return False

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        scope = _SCOPE.search(request.headers.get("Authorization", ""))
        key, region, service = scope.groups() if scope else ("", "us-east-1", "")
        token = request.headers.get("X-Amz-Security-Token", "")
        self.seen.append((service, region, key))
        if scope and key in self.rules.sessions:
            answer = self._session(request, body, key, region, service, token)
        elif scope and self.refuse(key, region, service, token):
            answer = error(service, key)
        elif service == "sts" and (refused := _session_name_refused(body)):
            answer = refused
        elif service == "account" and request.path.endswith("/getRegionOptStatus"):
            answer = _opt_status(self.rules, body)
        else:
            answer = self.forward(request.command, request.path, dict(request.headers), body)
        self._reply(request, *answer)

    def _session(
        self,
        request: BaseHTTPRequestHandler,
        body: bytes,
        key: str,
        region: str,
        service: str,
        token: str,
    ) -> tuple[int, dict[str, str], bytes]:
        session = self.rules.sessions[key]
        if token != session.token or service == "iam":
            return error(service, key)  # IAM refuses session credentials obtained without MFA
        if service == "sts" and parse_qs(body.decode()).get("Action") != ["GetCallerIdentity"]:
            return error(service, key)
        return self._resign(request, body, session.user, region, service)

    def _resign(
        self, request: BaseHTTPRequestHandler, body: bytes, user: Keys, region: str, service: str
    ) -> tuple[int, dict[str, str], bytes]:
        """Forward as the user the session belongs to (GetCallerIdentity then names that user)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        drop = {"authorization", "x-amz-date", "x-amz-security-token", "content-length"}
        headers = {k: v for k, v in request.headers.items() if k.lower() not in drop}
        url = f"http://{request.headers['Host']}{request.path}"
        aws = AWSRequest(method=request.command, url=url, data=body, headers=headers)
        SigV4Auth(
            Credentials(user.access_key_id, user.secret_access_key), service, region
        ).add_auth(aws)
        return self.forward(request.command, request.path, dict(aws.headers.items()), body)

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(
            self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30
        )
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "connection"):
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        request.send_response(status)
        skip = {"content-length", "transfer-encoding", "connection", "server", "date"}
        for name, value in headers.items():
            if name.lower() not in skip:
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)


def session_token_credentials(rules: Rules, user: Keys) -> Keys:
    """What sts:GetSessionToken without MFA returns for `user`: an ASIA key, secret and token."""
    from moto.iam.utils import generate_access_key_id_from_account_id

    key = generate_access_key_id_from_account_id(ACCOUNT, prefix="ASIA", total_length=20)
    while not set(key[4:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"):
        key = generate_access_key_id_from_account_id(ACCOUNT, prefix="ASIA", total_length=20)
    secret = base64.b64encode(secrets.token_bytes(30)).decode()
    token = "IQoJb3JpZ2luX2VjE" + base64.b64encode(secrets.token_bytes(300)).decode()
    rules.sessions[key] = Session(secret, token, user)
    return Keys(key, secret, token)
