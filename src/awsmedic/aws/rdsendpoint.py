"""RDS and Aurora endpoints as a paste names them: which database, of which kind, where."""

from __future__ import annotations

import re
from dataclasses import dataclass

# An RDS or Aurora endpoint: IDENTIFIER.ID.REGION.rds.amazonaws.com for a DB instance; a
# cluster's puts `cluster-` (`cluster-ro-`, `cluster-custom-`) before the ID, a proxy's
# `proxy-` (AmazonRDS/latest/UserGuide/Overview.Endpoints.html, Aurora's
# Aurora.Overview.Endpoints.html). The first label is the instance's or cluster's identifier.
_RDS_HOST = re.compile(
    r"\b([a-z][a-z0-9-]{0,62})\.(?:(cluster-(?:ro-|custom-)?)|proxy-)?[a-z0-9]{12}\."
    r"([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.rds\.amazonaws\.com(?:\.cn)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RdsEndpoint:
    """An RDS or Aurora endpoint a paste names."""

    host: str
    kind: str  # "db_instance", "db_cluster" or "proxy"
    identifier: str  # the instance's, cluster's or proxy's name (the first label)
    region: str


def rds_endpoint(text: str) -> RdsEndpoint | None:
    """The first RDS or Aurora endpoint the paste names, or None."""
    found = _RDS_HOST.search(text)
    if not found:
        return None
    host = found.group(0).lower()
    kind = "proxy" if ".proxy-" in host else "db_cluster" if found.group(2) else "db_instance"
    return RdsEndpoint(host, kind, found.group(1).lower(), found.group(3).lower())
