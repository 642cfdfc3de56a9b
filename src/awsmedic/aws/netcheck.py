"""DNS, TCP, proxy tunnel and TLS checks with short timeouts, and no credentials sent anywhere.

Each step reports what happened in words and as a finding code. The TLS check names the issuer
of the certificate the endpoint presents, even when it fails verification: a corporate
TLS-inspecting proxy shows up as an issuer that is not the endpoint's real CA.
"""

from __future__ import annotations

import base64
import errno
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from awsmedic.aws import x509

Resolver = Callable[..., Any]

#: Public CAs whose certificates AWS endpoints present (Amazon Trust Services, and the older
#: DigiCert and Starfield chains). Another issuer on an AWS host that fails verification is
#: someone in the middle.
AWS_ISSUER_WORDS = ("amazon", "digicert", "starfield")


@dataclass
class Reach:
    """The steps of one check, in order: (finding or "" for a plain note, line)."""

    steps: list[tuple[str, str]] = field(default_factory=list)
    issuer: str = ""

    def add(self, finding: str, line: str) -> None:
        self.steps.append((finding, line))

    def note(self, line: str) -> None:
        self.steps.append(("", line))

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(finding for finding, _ in self.steps if finding))

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for _, line in self.steps)


@dataclass(frozen=True)
class Proxy:
    url: str  # shown to people: any password replaced
    host: str
    port: int
    # A Proxy-Authorization value, as botocore would send it: never in a repr.
    authorization: str = field(default="", repr=False)


def resolve(host: str, port: int, timeout: float, resolver: Resolver) -> list[str] | str:
    """Addresses for host, or an error text. getaddrinfo has no timeout: run it in a thread."""
    box: list[Any] = []

    def work() -> None:
        try:
            box.append(resolver(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            box.append(exc)

    thread = threading.Thread(target=work, name="awsmedic-dns", daemon=True)
    thread.start()
    thread.join(timeout)
    if not box:
        return f"no answer within {timeout:g} s"
    if isinstance(box[0], BaseException):
        return str(box[0])
    return list(dict.fromkeys(str(info[4][0]) for info in box[0]))


def connect(address: str, port: int, timeout: float) -> socket.socket | tuple[str, str]:
    """A connected socket, or (finding, description)."""
    try:
        return socket.create_connection((address, port), timeout=timeout)
    except TimeoutError:
        return "connect-timeout", f"no answer within {timeout:g} s"
    except ConnectionRefusedError:
        return "connect-refused", "connection refused (nothing listens there)"
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "host-unreachable", exc.strerror or str(exc)
        return "connect-failed", exc.strerror or str(exc)


def tunnel(sock: socket.socket, proxy: Proxy, host: str, port: int) -> int | str:
    """Ask the proxy for a CONNECT tunnel; the HTTP status, or an error text."""
    request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    if proxy.authorization:
        request += f"Proxy-Authorization: {proxy.authorization}\r\n"
    try:
        sock.sendall((request + "\r\n").encode("ascii"))
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 16384:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    except OSError as exc:
        return str(exc) or type(exc).__name__
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[1][:3].isdigit():
        return "the proxy did not answer the CONNECT request"
    return int(parts[1][:3])


def handshake(
    sock: socket.socket, host: str, cafile: str | None, verify: bool
) -> tuple[x509.Names | None, str]:
    """TLS over `sock`: the presented certificate's names, and "" or why it failed."""
    if verify:
        context = ssl.create_default_context(cafile=cafile)
    else:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        return None, f"certificate verify failed: {exc.verify_message}"
    except (ssl.SSLError, OSError) as exc:
        return None, str(exc) or type(exc).__name__
    return (x509.names(der) if der else None), ""


def basic_authorization(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def looks_like_aws_issuer(issuer: dict[str, str]) -> bool:
    text = " ".join(issuer.values()).lower()
    return any(word in text for word in AWS_ISSUER_WORDS)
