"""A small gateway on 127.0.0.1 in front of moto that keeps time the way AWS does.

moto checks access keys and signatures, but not time: it accepts any `X-Amz-Date`, lets
sessions live forever, and crashes on unsigned requests. This gateway answers those parts as AWS
does and passes everything else through unchanged:

- every answer carries the gateway's `Date` header (its clock can be moved with `offset`, to
  play "two hours later");
- a signed request whose `X-Amz-Date` is outside AWS's tolerance gets AWS's answer: STS
  `SignatureDoesNotMatch` "Signature expired: … is now earlier than … (… - 15 min.)" or "Signature
  not yet current: … is still later than … (… + 15 min.)", S3 `RequestTimeTooSkewed` with
  `RequestTime`, `ServerTime` and `MaxAllowedSkewMilliseconds`;
- `AssumeRole` sessions get an `Expiration` of the gateway's now plus `DurationSeconds` (as STS
  issues them), and a request made with one after that time gets `ExpiredToken` (STS: "The
  security token included in the request is expired"; S3: "The provided token has expired.");
- an unsigned request gets `MissingAuthenticationToken`, with a `Date` header;
- a SigV4 `Authorization` header AWS could not split into its `key=value` parts (a space or a
  line break in the access key id) gets STS's `IncompleteSignature`, worded as AWS words it
  ("'<part>' not a valid key=value pair (missing equal-sign) in Authorization header: '<header>'."
  or "Authorization header requires 'Credential' parameter. …"), where moto fails;
- an S3 presigned URL (query-string authentication) used after `X-Amz-Date` plus
  `X-Amz-Expires` gets S3's `AccessDenied` "Request has expired" with `X-Amz-Expires`, `Expires`
  and `ServerTime`; before then it goes to moto, which checks its signature.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

STAMP = "%Y%m%dT%H%M%SZ"
_ALGORITHM = "AWS4-HMAC-SHA256"
#: Minutes of skew AWS tolerates, by the service in the credential scope.
TOLERANCE = {"sts": 15, "s3": 15, "sqs": 15}
_SCOPE = re.compile(r"Credential=([A-Z0-9]+)/\d{8}/[^/]+/([a-z0-9-]+)/aws4_request")
_HOP = {
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "date",
    "server",
    "keep-alive",
}


def _sts_error(code: str, message: str) -> bytes:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"
    ).encode()


def _s3_error(code: str, message: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>{extra}"
        "<RequestId>4442587FB7D0A2F9</RequestId><HostId>gateway</HostId></Error>"
    ).encode()


class Gateway:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.offset = timedelta(0)
        self.expiry: dict[str, datetime] = {}
        self.seen: list[str] = []  # "METHOD service path", for assertions
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                gateway.handle(self)

            do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

            def date_time_string(self, timestamp: float | None = None) -> str:
                return format_datetime(gateway.now(), usegmt=True)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the AWS parts --------------------------------------------------------------------------
    def _refusal(self, headers: dict[str, str], service: str, key: str) -> tuple[int, bytes] | None:
        stamp = headers.get("x-amz-date", "")
        try:
            sent = datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
        except ValueError:
            return None
        now = self.now().replace(microsecond=0)
        tolerance = timedelta(minutes=TOLERANCE.get(service, 5))
        minutes = TOLERANCE.get(service, 5)
        if service == "s3" and abs(sent - now) > tolerance:
            extra = (
                f"<RequestTime>{stamp}</RequestTime><ServerTime>{now:%Y-%m-%dT%H:%M:%SZ}</ServerTime>"
                f"<MaxAllowedSkewMilliseconds>{minutes * 60000}</MaxAllowedSkewMilliseconds>"
            )
            message = "The difference between the request time and the current time is too large."
            return 403, _s3_error("RequestTimeTooSkewed", message, extra)
        if sent < now - tolerance:
            message = (
                f"Signature expired: {stamp} is now earlier than {now - tolerance:{STAMP}}"
                f" ({now:{STAMP}} - {minutes} min.)"
            )
            return 403, _sts_error("SignatureDoesNotMatch", message)
        if sent > now + tolerance:
            message = (
                f"Signature not yet current: {stamp} is still later than {now + tolerance:{STAMP}}"
                f" ({now:{STAMP}} + {minutes} min.)"
            )
            return 403, _sts_error("SignatureDoesNotMatch", message)
        with self._lock:
            expires = self.expiry.get(key)
        if "x-amz-security-token" in headers and expires is not None and expires <= self.now():
            if service == "s3":
                return 400, _s3_error("ExpiredToken", "The provided token has expired.")
            return 403, _sts_error(
                "ExpiredToken", "The security token included in the request is expired"
            )
        return None

    def _issue(self, body: bytes, answer: bytes) -> bytes:
        """Give an AssumeRole session the Expiration STS would, and remember it."""
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if form.get("Action") != ["AssumeRole"]:
            return answer
        text = answer.decode("utf-8")
        key = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>", text)
        if key is None:
            return answer
        duration = int(form.get("DurationSeconds", ["3600"])[0])
        expires = self.now().replace(microsecond=0) + timedelta(seconds=duration)
        with self._lock:
            self.expiry[key.group(1)] = expires
        stamp = f"<Expiration>{expires:%Y-%m-%dT%H:%M:%SZ}</Expiration>"
        return re.sub(r"<Expiration>[^<]*</Expiration>", stamp, text).encode("utf-8")

    def _unparsable(self, authorization: str) -> bytes | None:
        """STS's IncompleteSignature for a SigV4 header that does not split into key=value."""
        if not authorization.startswith(_ALGORITHM):
            return None
        parts = [part for part in re.split(r"[,\s]+", authorization[len(_ALGORITHM) :]) if part]
        loose = next((part for part in parts if "=" not in part), None)
        if loose is not None:
            message = (
                f"'{loose}' not a valid key=value pair (missing equal-sign) in Authorization"
                f" header: '{authorization}'."
            )
            return _sts_error("IncompleteSignature", message)
        names = {part.split("=", 1)[0] for part in parts}
        missing = [n for n in ("Credential", "Signature", "SignedHeaders") if n not in names]
        if not missing:
            return None
        message = " ".join(f"Authorization header requires '{n}' parameter." for n in missing)
        return _sts_error("IncompleteSignature", f"{message} Authorization={authorization}")

    def _presigned_expired(self, query: dict[str, list[str]]) -> bytes | None:
        """S3's answer to a presigned URL past its validity (SigV4: `X-Amz-Date` plus
        `X-Amz-Expires`; SigV2: `Expires`, a Unix time), or None while it is valid."""
        extra = ""
        try:
            if "X-Amz-Date" in query:
                signed = datetime.strptime(query["X-Amz-Date"][0], STAMP).replace(tzinfo=UTC)
                seconds = int(query["X-Amz-Expires"][0])
                expires = signed + timedelta(seconds=seconds)
                extra = f"<X-Amz-Expires>{seconds}</X-Amz-Expires>"
            else:
                expires = datetime.fromtimestamp(int(query["Expires"][0]), UTC)
        except (KeyError, ValueError):
            return None
        now = self.now().replace(microsecond=0)
        if now <= expires:
            return None
        extra += (
            f"<Expires>{expires:%Y-%m-%dT%H:%M:%SZ}</Expires>"
            f"<ServerTime>{now:%Y-%m-%dT%H:%M:%SZ}</ServerTime>"
        )
        return _s3_error("AccessDenied", "Request has expired", extra)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in request.headers.items()}
        query = parse_qs(urlsplit(request.path).query)
        credential = query.get("X-Amz-Credential", [""])[0]
        signed_v2 = query.get("AWSAccessKeyId", [""])[0]  # a SigV2 presigned URL (S3)
        scope = _SCOPE.search(headers.get("authorization", "")) or _SCOPE.search(
            f"Credential={credential}"
        )
        key, service = scope.groups() if scope else (signed_v2, "s3" if signed_v2 else "")
        self.seen.append(f"{request.command} {service or 'unsigned'} {request.path}")
        unparsable = self._unparsable(headers.get("authorization", ""))
        if unparsable is not None:
            self._reply(request, 400, {}, unparsable)
            return
        presigned = bool(credential or signed_v2)
        expired = self._presigned_expired(query) if presigned else None
        if expired is not None:
            self._reply(request, 403, {}, expired)
            return
        if scope is None and not presigned:
            self._reply(
                request,
                403,
                {},
                _sts_error("MissingAuthenticationToken", "Request is missing Authentication Token"),
            )
            return
        refusal = None if presigned else self._refusal(headers, service, key)
        if refusal is not None:
            self._reply(request, refusal[0], {}, refusal[1])
            return
        upstream = requests.request(
            request.command,
            self.upstream + request.path,
            headers=dict(request.headers.items()),
            data=body,
            allow_redirects=False,
            timeout=30,
        )
        answer = upstream.content
        if service == "sts" and upstream.status_code == 200:
            answer = self._issue(body, answer)
        self._reply(request, upstream.status_code, dict(upstream.headers), answer)

    def _reply(
        self, request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        request.send_response(status)
        for name, value in headers.items():
            if name.lower() not in _HOP:
                request.send_header(name, value)
        if not any(name.lower() == "content-type" for name in headers):
            request.send_header("Content-Type", "text/xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)
