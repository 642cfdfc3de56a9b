"""Network stand-ins on 127.0.0.1 for tests: certificates, a TLS server, an intercepting proxy,
and a gateway in front of moto that words AccessDenied messages as AWS does.

Nothing here ever connects anywhere but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pytest


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA certificate (PEM): what AWS_CA_BUNDLE would point at
    cert: Path  # the server certificate for `hosts`, signed by the CA
    key: Path
    ca_name: str


def make_pki(
    directory: Path, hosts: list[str], ca_name: str = "Example Corp TLS Inspection CA"
) -> Pki:
    """A CA and a server certificate for `hosts`, with `cryptography`, else the openssl CLI."""
    try:
        return _pki_cryptography(directory, hosts, ca_name)
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl CLI is available")
        return _pki_openssl(directory, hosts, ca_name)


def _pki_cryptography(directory: Path, hosts: list[str], ca_name: str) -> Pki:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, ca_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = Pki(directory / "ca.pem", directory / "server.pem", directory / "server.key", ca_name)
    paths.ca.write_bytes(ca.public_bytes(pem))
    paths.cert.write_bytes(cert.public_bytes(pem))
    paths.key.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def _pki_openssl(directory: Path, hosts: list[str], ca_name: str) -> Pki:
    paths = Pki(directory / "ca.pem", directory / "server.pem", directory / "server.key", ca_name)
    ca_key = directory / "ca.key"
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)  # noqa: E731
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(paths.ca),
        "-days",
        "2",
        "-subj",
        f"/CN={ca_name}/O=Example Corp",
    )
    san = ",".join(("IP:" if re.match(r"^[\d.]+$", h) else "DNS:") + h for h in hosts)
    (directory / "ext.cnf").write_text(f"subjectAltName={san}\n")
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(paths.key),
        "-out",
        str(directory / "server.csr"),
        "-subj",
        f"/CN={hosts[0]}",
    )
    run(
        "x509",
        "-req",
        "-in",
        str(directory / "server.csr"),
        "-CA",
        str(paths.ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(paths.cert),
        "-days",
        "2",
        "-extfile",
        str(directory / "ext.cnf"),
    )
    return paths


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve(handler: Callable[[socket.socket], None]) -> Iterator[int]:
    """Run `handler(connection)` for each connection to a port on 127.0.0.1; yield the port."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with contextlib.suppress(OSError):
                handler(self.request)

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def tls_context(pki: Pki) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.cert, pki.key)
    return context


def _read_head(conn: socket.socket) -> bytes:
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            break
        head += chunk
    return head


def _relay_http(conn: socket.socket, upstream: str) -> None:
    """Read one HTTP request from conn, send it to upstream (host:port), write the answer back."""
    head = _read_head(conn)
    if not head:
        return
    header_text, _, body = head.partition(b"\r\n\r\n")
    lines = header_text.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    while len(body) < length:
        body += conn.recv(65536)
    host, port = upstream.split(":")
    client = http.client.HTTPConnection(host, int(port), timeout=10)
    client.request(method, path, body=body, headers=headers)
    answer = client.getresponse()
    data = answer.read()
    out = [f"HTTP/1.1 {answer.status} {answer.reason}"]
    out += [
        f"{k}: {v}"
        for k, v in answer.getheaders()
        if k.lower() not in ("transfer-encoding", "content-length", "connection")
    ]
    out += [f"Content-Length: {len(data)}", "Connection: close", "", ""]
    conn.sendall("\r\n".join(out).encode("latin-1") + data)


@contextlib.contextmanager
def intercepting_proxy(pki: Pki, upstream: str | None = None) -> Iterator[int]:
    """An HTTP proxy that answers CONNECT itself and presents `pki`'s certificate, the way a
    TLS-inspecting corporate proxy does. With `upstream` (a 127.0.0.1 host:port, e.g. moto) it
    relays the decrypted request there; it never connects to the host that was asked for."""
    context = tls_context(pki)

    def handle(conn: socket.socket) -> None:
        head = _read_head(conn)
        if not head.startswith(b"CONNECT "):
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with context.wrap_socket(conn, server_side=True) as tls:
            if upstream:
                _relay_http(tls, upstream)

    with serve(handle) as port:
        yield port


@contextlib.contextmanager
def tls_server(pki: Pki, upstream: str | None = None) -> Iterator[int]:
    """A TLS server on 127.0.0.1 presenting `pki`'s certificate. With `upstream` (a 127.0.0.1
    host:port, e.g. moto) it relays the decrypted request there, else it just closes."""
    context = tls_context(pki)

    def handle(conn: socket.socket) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            if upstream:
                _relay_http(tls, upstream)
            else:
                tls.recv(1)

    with serve(handle) as port:
        yield port


# ---------------------------------------------------------------------------------------------
# AWS wording in front of moto

_MOTO_DENIAL = re.compile(
    rb"<Message>User: (\S+) is not authorized to perform: ([\w:-]+)</Message>"
)


#: A test's own AWS answer: (request parameters, request headers) -> (status, XML body) or None.
Answer = Callable[[dict[str, str], dict[str, str]], tuple[int, str] | None]


def sts_error(code: str, message: str) -> str:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender'
        f"</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>4a2b1c0d-0000-4000-8000-000000000000</RequestId></ErrorResponse>"
    )


@contextlib.contextmanager
def aws_wording_gateway(
    moto_url: str, explicit_deny_for: frozenset[str] = frozenset(), answer: Answer | None = None
) -> Iterator[str]:
    """Forward every request to moto; rewrite moto's short AccessDenied message the way AWS words it.

    moto answers `User: <arn> is not authorized to perform: <action>` for every refusal. AWS adds
    the resource and the reason: `on resource: <arn>`, then `with an explicit deny in an
    identity-based policy` when a Deny matched (users named in `explicit_deny_for`), nothing for
    a role's trust policy refusing sts:AssumeRole, else `because no identity-based policy allows
    the <action> action`. `answer` lets a test answer a request itself, as AWS would where moto
    does not check (session durations, deactivated STS regions).
    """
    upstream = moto_url.removeprefix("http://")

    def handle(conn: socket.socket) -> None:
        head = _read_head(conn)
        header_text, _, body = head.partition(b"\r\n\r\n")
        lines = header_text.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        while len(body) < length:
            body += conn.recv(65536)
        params = {k: v[0] for k, v in parse_qs(body.decode("latin-1")).items()}
        own = answer(params, headers) if answer else None
        if own is not None:
            data = own[1].encode()
            conn.sendall(
                f"HTTP/1.1 {own[0]} Error\r\nContent-Type: text/xml\r\nContent-Length: "
                f"{len(data)}\r\nConnection: close\r\n\r\n".encode()
                + data
            )
            return
        host, port = upstream.split(":")
        client = http.client.HTTPConnection(host, int(port), timeout=10)
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        data = _reword(response.read(), body, explicit_deny_for)
        out = [f"HTTP/1.1 {response.status} {response.reason}"]
        out += [
            f"{k}: {v}"
            for k, v in response.getheaders()
            if k.lower() not in ("transfer-encoding", "content-length", "connection")
        ]
        out += [f"Content-Length: {len(data)}", "Connection: close", "", ""]
        conn.sendall("\r\n".join(out).encode("latin-1") + data)

    with serve(handle) as port:
        yield f"http://127.0.0.1:{port}"


def _reword(data: bytes, request: bytes, explicit_deny_for: frozenset[str]) -> bytes:
    found = _MOTO_DENIAL.search(data)
    if not found:
        return data
    arn, action = found.group(1).decode(), found.group(2).decode()
    params = {k: v[0] for k, v in parse_qs(request.decode("latin-1")).items()}
    account = arn.split(":")[4]
    if action == "sts:AssumeRole":
        resource, reason = params.get("RoleArn", "*"), ""
    else:
        resource = f"arn:aws:iam::{account}:user/" if action.startswith("iam:List") else "*"
        user = arn.rsplit("/", 1)[-1]
        reason = (
            " with an explicit deny in an identity-based policy"
            if user in explicit_deny_for
            else f" because no identity-based policy allows the {action} action"
        )
    message = f"User: {arn} is not authorized to perform: {action} on resource: {resource}{reason}"
    return data.replace(found.group(0), f"<Message>{message}</Message>".encode())
