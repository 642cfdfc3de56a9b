"""rds.iam-auth: whether the RDS or Aurora database the paste names takes IAM tokens (network).

A database refuses every IAM token while IAM database authentication is off for it, whoever
signed the token and however it was set up: rds:DescribeDBInstances (or DescribeDBClusters for
an Aurora endpoint) says so, with the resource id an rds-db:connect policy must name. It is a
read-only call with the failing command's credentials, in the endpoint's own Region; a caller
without the permission, or a database in another account, leaves it unknown. Whether the
database user was granted rds_iam only the database can tell: the tree still asks.
"""

from __future__ import annotations

from awsmedic.aws.rdsendpoint import rds_endpoint
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.sts import classify

_NOT_FOUND = ("DBInstanceNotFound", "DBInstanceNotFoundFault", "DBClusterNotFoundFault")


def _skipped(summary: str, finding: str = "db-unknown") -> Evidence:
    return Evidence("rds.iam-auth", Status.SKIPPED, summary, (finding,))


@probe(
    "rds.iam-auth",
    title="IAM database authentication of the RDS database the error names (rds:Describe*)",
    network=True,
    findings=("db-no-endpoint", "db-iam-auth-on", "db-iam-auth-off", "db-not-found", "db-unknown"),
    facts=("db_resource_id",),
)
def rds_iam_auth(run: ProbeInput) -> Evidence:
    """IAMDatabaseAuthenticationEnabled and the resource id of the instance or cluster whose
    endpoint the paste names."""
    endpoint = rds_endpoint(run.text)
    if endpoint is None:
        return _skipped("the error names no RDS endpoint", "db-no-endpoint")
    if endpoint.kind == "proxy":
        return _skipped(
            f"{endpoint.host} is an RDS Proxy endpoint: the proxy's database is not named"
        )
    try:
        client = run.world.client("rds", endpoint.region)
        if endpoint.kind == "db_cluster":
            found = client.describe_db_clusters(DBClusterIdentifier=endpoint.identifier)
            database = (found.get("DBClusters") or [{}])[0]
            resource_id = database.get("DbClusterResourceId")
            called = f"cluster {endpoint.identifier}"
        else:
            found = client.describe_db_instances(DBInstanceIdentifier=endpoint.identifier)
            database = (found.get("DBInstances") or [{}])[0]
            resource_id = database.get("DbiResourceId")
            called = f"DB instance {endpoint.identifier}"
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code in _NOT_FOUND:
            summary = (
                f"no {endpoint.kind.removeprefix('db_').replace('_', ' ')} "
                f"{endpoint.identifier} in {endpoint.region} for these credentials (another"
                " account, or another name)"
            )
            return Evidence("rds.iam-auth", Status.OK, summary, ("db-not-found",))
        _, description = classify(exc)
        return _skipped(
            f"not known: the call was refused or failed ({run.world.book.scrub(description)})"
        )
    enabled = database.get("IAMDatabaseAuthenticationEnabled")
    facts = {}
    if isinstance(resource_id, str) and resource_id:
        facts["db_resource_id"] = Fact(resource_id, f"rds:Describe ({endpoint.region})")
    if enabled is True:
        summary = f"IAM database authentication is on for {called} ({endpoint.region})"
        return Evidence("rds.iam-auth", Status.OK, summary, ("db-iam-auth-on",), facts)
    if enabled is False:
        summary = f"IAM database authentication is off for {called} ({endpoint.region})"
        return Evidence("rds.iam-auth", Status.PROBLEM, summary, ("db-iam-auth-off",), facts)
    return _skipped(f"not known: the answer about {called} does not say")
