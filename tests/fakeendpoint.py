"""A tiny HTTP server on 127.0.0.1 that stands in for an AWS-side endpoint in tests.

It answers from a table of routes (method, path) -> Reply, records every request it got, and
can hold a reply back (to act like a request that times out, e.g. the IMDSv2 token PUT seen
from a container behind a hop limit of 1). Used for the container credentials endpoint, the
EC2 instance metadata service and small gateways where moto does not answer as AWS does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Reply | Callable[[Seen], Reply]


class FakeEndpoint:
    def __init__(self, routes: dict[tuple[str, str], Route]) -> None:
        self.routes = dict(routes)
        self.requests: list[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                seen = Seen(self.command, path, dict(self.headers), body)
                endpoint.requests.append(seen)
                route = endpoint.routes.get((self.command, path)) or endpoint.routes.get(
                    (self.command, "*")
                )
                reply = route(seen) if callable(route) else route or Reply(404, b"Not Found")
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout): nothing to do
                    pass

            do_GET = do_PUT = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> FakeEndpoint:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving(routes: dict[tuple[str, str], Route]) -> Iterator[FakeEndpoint]:
    endpoint = FakeEndpoint(routes).start()
    try:
        yield endpoint
    finally:
        endpoint.stop()


def imds_routes(
    *,
    role: str | None = "app-role",
    token_delay: float = 0.0,
    v1_status: int | None = None,
    credentials: str | None = None,
    credentials_delay: float = 0.0,
) -> dict[tuple[str, str], Route]:
    """An EC2 instance metadata service: IMDSv2 token, role list, role credentials.

    `role=None` answers 404 for the role list (no instance profile); `token_delay` holds the
    token PUT back (a hop limit of 1 seen from a container); `v1_status` answers requests
    without a token with that status (401 when the instance requires IMDSv2);
    `credentials_delay` holds the role's credentials back (a busy instance).
    """
    prefix = "/latest/meta-data/iam/security-credentials/"

    def guarded(reply: Reply) -> Route:
        def answer(seen: Seen) -> Reply:
            has_token = any(k.lower() == "x-aws-ec2-metadata-token" for k in seen.headers)
            return reply if has_token or v1_status is None else Reply(v1_status, "")

        return answer

    routes: dict[tuple[str, str], Route] = {
        ("PUT", "/latest/api/token"): Reply(200, "imds-session-token", delay=token_delay)
    }
    if role is None:
        routes[("GET", prefix)] = guarded(Reply(404, "Not Found"))
    else:
        routes[("GET", prefix)] = guarded(Reply(200, role))
        routes[("GET", prefix + role)] = guarded(
            Reply(200, credentials or "{}", delay=credentials_delay)
        )
    return routes
