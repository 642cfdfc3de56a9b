"""rds.iam-auth against moto: the database the paste's endpoint names, as RDS describes it to
the failing command's credentials (IAM database authentication on or off, its resource id), and
the walk that follows from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.cli import main
from awsmedic.model import Status
from tests.awsfixtures import Keys, MotoAws
from tests.unit.probes.helpers import probe_on_paste

pytestmark = pytest.mark.moto

DESCRIBE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["rds:Describe*"], "Resource": "*"}],
}
INSTANCE = "prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com"
CLUSTER = "aurora-1.cluster-abcdefghijkl.us-east-1.rds.amazonaws.com"


def refused(host: str) -> str:
    return (
        f'psql: error: connection to server at "{host}" (10.0.1.5), port 5432 failed: FATAL: '
        ' PAM authentication failed for user "app_user"'
    )


def use(home: Path, keys: Keys) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


def databases(aws: MotoAws, *, instance_iam: bool, cluster_iam: bool) -> None:
    rds = aws._client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="prod-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="master",
        MasterUserPassword="not-a-real-password",
        AllocatedStorage=20,
        EnableIAMDatabaseAuthentication=instance_iam,
    )
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-1",
        Engine="aurora-postgresql",
        MasterUsername="master",
        MasterUserPassword="not-a-real-password",
        EnableIAMDatabaseAuthentication=cluster_iam,
    )


def test_an_instance_without_iam_authentication(aws: MotoAws, home: Path) -> None:
    databases(aws, instance_iam=False, cluster_iam=True)
    use(home, aws.create_user("app", DESCRIBE))
    aws.enforce()
    evidence = probe_on_paste("rds.iam-auth", refused(INSTANCE))
    assert (evidence.status, evidence.findings) == (Status.PROBLEM, ("db-iam-auth-off",))
    assert evidence.facts["db_resource_id"].value.startswith("db-")


def test_a_cluster_with_iam_authentication(aws: MotoAws, home: Path) -> None:
    databases(aws, instance_iam=False, cluster_iam=True)
    use(home, aws.create_user("app", DESCRIBE))
    aws.enforce()
    evidence = probe_on_paste("rds.iam-auth", refused(CLUSTER))
    assert (evidence.status, evidence.findings) == (Status.OK, ("db-iam-auth-on",))
    assert evidence.facts["db_resource_id"].value.startswith("cluster-")


def test_a_database_these_credentials_do_not_see(aws: MotoAws, home: Path) -> None:
    use(home, aws.create_user("app", DESCRIBE))
    aws.enforce()
    evidence = probe_on_paste("rds.iam-auth", refused(INSTANCE))
    assert evidence.findings == ("db-not-found",)


def test_no_endpoint_in_the_paste_asks_nothing(aws: MotoAws, home: Path) -> None:
    use(home, aws.create_user("app", DESCRIBE))
    aws.enforce()
    evidence = probe_on_paste("rds.iam-auth", refused("db.internal.example"))
    assert (evidence.status, evidence.findings) == (Status.SKIPPED, ("db-no-endpoint",))


def test_unknown_keys_leave_it_unknown(aws: MotoAws, home: Path) -> None:
    databases(aws, instance_iam=False, cluster_iam=True)
    use(home, Keys("AKIAQWERTYUIOPASDFGH", "not-a-real-secret-for-this-test-0000000000"))
    aws.enforce()
    evidence = probe_on_paste("rds.iam-auth", refused(INSTANCE))
    assert (evidence.status, evidence.findings) == (Status.SKIPPED, ("db-unknown",))
    assert "not-a-real-secret" not in evidence.summary


def test_the_walk_concludes_from_rds_without_asking(
    aws: MotoAws, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    databases(aws, instance_iam=False, cluster_iam=True)
    keys = aws.create_user(
        "app",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["rds:Describe*", "sts:GetCallerIdentity"],
                    "Resource": "*",
                }
            ],
        },
    )
    use(home, keys)
    aws.enforce()
    answer = "--answer=db-connection-history=never worked"
    status = main(["diagnose", "--no-input", "--format", "json", answer, refused(INSTANCE)])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    diagnosis = output["diagnosis"]
    assert (diagnosis["cause"], diagnosis["confidence"]) == ("db-user-not-iam-enabled", "confirmed")
    assert [q["id"] for q in output["questions"]] == ["db-connection-history"]
    steps = "\n".join(step["text"] for step in output["steps"])
    assert "--db-instance-identifier prod-db --enable-iam-database-authentication" in steps
    assert keys.secret_access_key not in json.dumps(output)
