"""A real local AWS endpoint for tests: moto's server on 127.0.0.1 with auth enforced.

`MotoAws.setup()` opens the door (no auth), creates users and keys, then closes it: from then
on moto checks every signature and key like AWS does, and answers InvalidClientTokenId,
SignatureDoesNotMatch and AccessDenied for real.
"""

from __future__ import annotations

import socket
import string
import time
from dataclasses import dataclass
from typing import Any

import boto3
import requests

REAL_KEY_ALPHABET = set(string.ascii_uppercase + "234567")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Keys:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None


class MotoAws:
    def __init__(self, url: str) -> None:
        self.url = url

    def _client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap",
        )

    def control(self, path: str, data: bytes | None = None) -> None:
        """POST to moto's control API on a fresh connection, retried on a dropped one.

        A loaded machine sometimes drops a connection (reset by peer, closed without an
        answer). That is not the test's failure: try again on a new connection, and when that
        fails too, say whether the server is still alive rather than blame the test.
        """
        last: Exception | None = None
        for attempt in range(4):
            try:
                with requests.Session() as session:
                    session.headers["Connection"] = "close"
                    answer = session.post(f"{self.url}{path}", data=data, timeout=60)
                answer.raise_for_status()
                return
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc
                time.sleep(0.2 * (attempt + 1))
        alive = "alive" if self.alive() else "NOT answering (it died)"
        raise RuntimeError(
            f"moto control call {path} failed 4 times; the server is {alive}"
        ) from last

    def alive(self) -> bool:
        try:
            with requests.Session() as session:
                return session.get(f"{self.url}/moto-api/data.json", timeout=30).ok
        except requests.RequestException:
            return False

    def open(self) -> None:
        self.control("/moto-api/reset-auth", b"inf")
        self.control("/moto-api/reset")

    def enforce(self) -> None:
        self.control("/moto-api/reset-auth", b"0")

    def relax(self) -> None:
        """Open auth again, keeping every user and key (to change the set-up mid-test)."""
        self.control("/moto-api/reset-auth", b"inf")

    def create_user(self, name: str, policy: dict[str, Any] | None = None) -> Keys:
        """A user with one access key shaped like a real one (moto's may contain 0, 1, 8, 9)."""
        iam = self._client("iam")
        iam.create_user(UserName=name)
        if policy is not None:
            import json

            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
        return self.create_key(name)

    def create_key(self, name: str) -> Keys:
        """Another access key for an existing user (auth must be open, as before enforce())."""
        iam = self._client("iam")
        for _ in range(200):
            key = iam.create_access_key(UserName=name)["AccessKey"]
            if set(key["AccessKeyId"][4:]) <= REAL_KEY_ALPHABET:
                return Keys(key["AccessKeyId"], key["SecretAccessKey"])
            iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
        raise RuntimeError("moto never produced a realistic key id")

    def delete_key(self, user: str, keys: Keys) -> None:
        self._client("iam").delete_access_key(UserName=user, AccessKeyId=keys.access_key_id)

    def assume_role_keys(self, role: str = "dev") -> Keys:
        """Temporary (ASIA) credentials that moto accepts."""
        import json

        iam = self._client("iam")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
            ],
        }
        arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))["Role"][
            "Arn"
        ]
        creds = self._client("sts").assume_role(RoleArn=arn, RoleSessionName="session")[
            "Credentials"
        ]
        return Keys(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
