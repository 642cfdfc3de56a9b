"""Small servers on 127.0.0.1 that misbehave on purpose, and record who came.

- `Blackhole`: accepts every connection and never answers a byte (a firewall that drops
  replies, a proxy that hangs). Counts connections.
- `HttpStub`: answers every request with one canned response, and records each request.
- `RecordingProxy`: forwards to a real endpoint (moto) and records each request's AWS operation.
- `trickle`: answers, but one byte at a time, slower than any total limit and faster than any
  per-read timeout (an endpoint or a proxy that keeps a client waiting for hours).
"""

from __future__ import annotations

import http.client
import http.server
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class _Listener:
    """A loopback listener that counts connections and hands each to `_take`, until closed."""

    def __init__(self, backlog: int) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(backlog)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._take(connection)

    def _take(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._closed.set()
        self._listener.close()


class Blackhole(_Listener):
    """A listener that accepts and then says nothing, until closed."""

    def __init__(self) -> None:
        self._held: list[socket.socket] = []
        super().__init__(64)

    def _take(self, connection: socket.socket) -> None:
        self._held.append(connection)  # held open, never read, never answered

    def close(self) -> None:
        super().close()
        for connection in self._held:
            connection.close()


@contextmanager
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    try:
        yield hole
    finally:
        hole.close()


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def operation(self) -> str:
        """The AWS operation: X-Amz-Target (JSON protocols) or Action= (query protocols)."""
        target = self.headers.get("X-Amz-Target", "")
        if target:
            return target.rsplit(".", 1)[-1]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        form = urllib.parse.parse_qs(self.body.decode("utf-8", errors="replace"))
        action = (form.get("Action") or query.get("Action") or [""])[0]
        return action or f"{self.method} {urllib.parse.urlsplit(self.path).path}"


@dataclass
class _Log:
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    log: _Log
    status: int
    body_for: object
    upstream: str


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _request(self) -> Request:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, dict(self.headers.items()), body)
        self.server.log.add(request)
        return request

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        request = self._request()
        if getattr(self.server, "upstream", ""):
            self._forward(request)
            return
        render = self.server.body_for
        body = render(request) if callable(render) else b""
        self._reply(self.server.status, body, {"Content-Type": "text/xml"})

    def _forward(self, request: Request) -> None:
        upstream = urllib.parse.urlsplit(self.server.upstream)
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
        try:
            connection.request(request.method, request.path, request.body, request.headers)
            answer = connection.getresponse()
            body = answer.read()
            skip = {"content-length", "transfer-encoding", "connection"}
            headers = {k: v for k, v in answer.getheaders() if k.lower() not in skip}
            self._reply(answer.status, body, headers)
        finally:
            connection.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


@contextmanager
def _serving(server: _Server) -> Iterator[_Server]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Stub:
    url: str
    log: _Log

    @property
    def requests(self) -> list[Request]:
        return list(self.log.requests)

    @property
    def operations(self) -> list[str]:
        return [request.operation for request in self.requests]


@contextmanager
def http_stub(status: int, body_for: object = None) -> Iterator[Stub]:
    """Answers every request with `status` and `body_for(request)` (bytes)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.log, server.status, server.body_for, server.upstream = _Log(), status, body_for, ""
    with _serving(server):
        yield Stub(f"http://127.0.0.1:{server.server_address[1]}", server.log)


@contextmanager
def recording_proxy(upstream: str) -> Iterator[Stub]:
    """Forwards every request to `upstream` and records it."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.log, server.status, server.body_for, server.upstream = _Log(), 0, None, upstream
    with _serving(server):
        yield Stub(f"http://127.0.0.1:{server.server_address[1]}", server.log)


def sts_error(code: str, message: str) -> bytes:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
        f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"
    ).encode()


class _Endless(http.server.BaseHTTPRequestHandler):
    """Answers 200 with a body that never ends (no length, chunk after chunk)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<a>" + b"x" * 65536 + b"</a>"
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        try:
            while True:
                self.wfile.write(frame)
        except OSError:  # the client stopped reading and closed: as it should
            return

    do_GET = do_POST = do_PUT = _handle


@contextmanager
def endless_body() -> Iterator[str]:
    """An endpoint whose answer streams forever; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Trickle(_Listener):
    """Reads each request, then sends `head` whole and `body` one byte every `interval` s
    (with `head` empty, the status line and headers trickle too: a proxy's CONNECT answer)."""

    def __init__(self, head: bytes, body: bytes, interval: float) -> None:
        self.head, self.body, self.interval = head, body, interval
        super().__init__(16)

    def _take(self, connection: socket.socket) -> None:
        threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    data = connection.recv(65536)
                    if not data:
                        return
                    request += data
                connection.sendall(self.head)
                for byte in self.body:
                    if self._closed.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
            except OSError:  # the client gave up and closed: as it should
                return


#: An answer that says 100,000 bytes are coming, then sends them one by one.
TRICKLE_BODY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n",
    b"<" * 100000,
)
#: A status line and headers that never end, one byte at a time.
TRICKLE_HEADERS = (b"", b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 100000)


@contextmanager
def trickle(answer: tuple[bytes, bytes] = TRICKLE_BODY, interval: float = 0.1) -> Iterator[Trickle]:
    server = Trickle(*answer, interval)
    try:
        yield server
    finally:
        server.close()
