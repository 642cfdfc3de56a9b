"""Clock offsets: read them from AWS error texts, say them in words (causes.md section 8).

SigV4 requests carry their time stamp and AWS rejects those outside its tolerance. The rejection
often names both times: "Signature expired: <request> is now earlier than <limit> (<server> - 15
min.)", S3's `<RequestTime>`/`<ServerTime>`. The offset is request time minus server time:
negative means the local clock is behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

FIVE_MINUTES = 300
FIFTEEN_MINUTES = 900
#: Below this the clock counts as right: AWS's Date header has one-second resolution.
IN_SYNC_SECONDS = 60

_STAMP = r"(\d{8}T\d{6}Z|<[A-Za-z_]+>)"
_SIGNATURE = re.compile(
    r"Signature (?P<kind>expired|not yet current):\s*"
    rf"{_STAMP}\s*is\s*(?:now earlier|still later)\s*than\s*{_STAMP}\s*"
    rf"\(\s*{_STAMP}\s*(?P<sign>[+-])\s*(?P<minutes>\d+)\s*min\.?\s*\)",
    re.IGNORECASE,
)
_KIND_ONLY = re.compile(r"Signature (expired|not yet current)", re.IGNORECASE)
_TOLERANCE_ONLY = re.compile(r"[+-]\s*(\d+)\s*min\.?\s*\)")
_XML_FIELD = r"<{0}>\s*([^<]+?)\s*</{0}>"
_MAX_SKEW_MS = re.compile(_XML_FIELD.format("MaxAllowedSkewMilliseconds"))
# Services whose tolerance is documented or observed as 15 minutes (causes.md section 8).
_FIFTEEN = (
    (re.compile(r"RequestTimeTooSkewed|RequestExpired", re.I), "the error's service allows 15"),
    (
        re.compile(
            r"Service: (?:Amazon )?S3\b|operation error S3:|\bs3[.-][a-z0-9.-]*amazonaws|"
            r"calling the (?:ListBuckets|ListObjects(?:V2)?|GetObject|PutObject|HeadObject|"
            r"HeadBucket|UploadPart|CreateMultipartUpload|CompleteMultipartUpload|DeleteObjects?|"
            r"CopyObject|GetBucket\w*|PutBucket\w*) operation",
            re.I,
        ),
        "S3 allows 15",
    ),
    (
        re.compile(
            r"operation error STS:|Service: (?:AWSSecurityTokenService|Sts)\b|"
            r"calling the (?:GetCallerIdentity|AssumeRole\w*|GetSessionToken|"
            r"GetFederationToken|GetAccessKeyInfo|DecodeAuthorizationMessage) operation",
            re.I,
        ),
        "STS allows 15",
    ),
    (re.compile(r"operation error SQS:|Service: (?:AmazonSQS|Sqs)\b", re.I), "SQS allows 15"),
)


@dataclass(frozen=True)
class TextSkew:
    """What an error text says about time: the offset when both times are there."""

    seconds: float | None  # request time minus server time; None when the text has no times
    behind: bool | None  # direction even without times ("expired" = behind)
    tolerance: int | None  # seconds, when the text states it
    request_time: datetime | None = None
    server_time: datetime | None = None


def parse_time(text: str) -> datetime | None:
    """`20220127T001427Z`, ISO 8601 or an HTTP date, as an aware UTC datetime."""
    text = text.strip()
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _signature_skew(text: str) -> TextSkew | None:
    found = _SIGNATURE.search(text)
    if found is None:
        kind = _KIND_ONLY.search(text)
        if kind is None:
            return None
        minutes = _TOLERANCE_ONLY.search(text, kind.end())
        tolerance = int(minutes.group(1)) * 60 if minutes else None
        return TextSkew(None, kind.group(1).lower() == "expired", tolerance)
    behind = found.group("kind").lower() == "expired"
    tolerance = int(found.group("minutes")) * 60
    request, server = parse_time(found.group(2)), parse_time(found.group(4))
    if request is None or server is None:  # times replaced by placeholders in the paste
        return TextSkew(None, behind, tolerance)
    return TextSkew((request - server).total_seconds(), behind, tolerance, request, server)


def _s3_skew(text: str) -> TextSkew | None:
    request = re.search(_XML_FIELD.format("RequestTime"), text)
    server = re.search(_XML_FIELD.format("ServerTime"), text)
    max_skew = _MAX_SKEW_MS.search(text)
    tolerance = int(max_skew.group(1)) // 1000 if max_skew and max_skew.group(1).isdigit() else None
    if request is None or server is None:
        return TextSkew(None, None, tolerance) if tolerance else None
    request_time, server_time = parse_time(request.group(1)), parse_time(server.group(1))
    if request_time is None or server_time is None:
        return TextSkew(None, None, tolerance)
    seconds = (request_time - server_time).total_seconds()
    return TextSkew(seconds, seconds < 0, tolerance, request_time, server_time)


def from_text(text: str) -> TextSkew | None:
    """The clock offset an AWS error text reveals, or None when it says nothing about time."""
    flat = re.sub(r"\s+", " ", text)
    return _signature_skew(flat) or _s3_skew(flat)


def tolerance_for(text: str) -> tuple[int, str]:
    """The skew AWS tolerates for the failing request, and why we think so."""
    said = from_text(text)
    if said is not None and said.tolerance:
        return said.tolerance, f"the error says AWS allows {said.tolerance // 60} minutes"
    for pattern, why in _FIFTEEN:
        if pattern.search(text):
            return FIFTEEN_MINUTES, f"{why} minutes"
    return FIVE_MINUTES, "most services allow 5 minutes"


def _amount(seconds: float) -> str:
    total = round(abs(seconds))
    if total < 120:
        return f"{total} second{'s' if total != 1 else ''}"
    minutes = round(total / 60)
    if minutes < 120:
        return f"{minutes} minutes"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    if days:
        parts = parts[:2]  # "2 days 3 hours" is precise enough
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def describe(seconds: float) -> str:
    """`-4500` -> "75 minutes behind", `10800` -> "3 hours ahead"."""
    if abs(seconds) < 1:
        return "in sync"
    direction = "behind" if seconds < 0 else "ahead"
    return f"{_amount(seconds)} {direction}"


def against(words: str, other: str) -> str:
    """Join offset words to what they compare with: "3 hours ahead of AWS time"."""
    if words.endswith("ahead"):
        return f"{words} of {other}"
    if words == "in sync":
        return f"in sync with {other}"
    return f"{words} {other}"
