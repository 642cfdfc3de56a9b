"""IAM authentication to RDS, Aurora and Amazon MSK (trees/db-iam-auth.toml): the servers'
refusals as the clients print them are recognised, each cause is reached for its evidence, and
the steps fit the engine and the values the paste names (never a hostile one in SQL)."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.core.pastefacts import paste_facts
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Status
from tests.unit.offline_json import diagnosed, leading, step_text
from tests.unit.test_trees_denied_network import walk

# Beekeeper Studio with Aurora PostgreSQL (beekeeper-studio#2062, the corpus's gn17)
POOL = (
    "The initial connection works in Beekeeper, and I am able to use the database as expected."
    " After some amount of time, queries will fail with the following error:\n\n```\nPAM"
    ' authentication failed for user "redacted_user_name"\n```'
)
# psql with a token from `aws rds generate-db-auth-token` (aws/aws-cli#3325, the corpus's gn18)
PSQL = (
    "export PGPASSWORD=$(aws rds generate-db-auth-token --hostname ${POSTGRES_HOST} --port"
    " ${POSTGRES_PORT} --username ${POSTGRES_USER} --region ${REGION})\n"
    'psql: FATAL:  PAM authentication failed for user "backup_user"'
)
# MySQL on an instance without IAM database authentication (the RDS user guide's own words)
PLUGIN = "ERROR 1524 (HY000): Plugin 'AWSAuthenticationPlugin' is not loaded"
# Amazon MSK refusing an IAM login, as kafka-python (dpkp/kafka-python#2638), sarama
# (Mongey/terraform-provider-kafka#586), franz-go (redpanda-data/console#223) and librdkafka
# (fluent/fluent-bit, the corpus's gn40) print it
KAFKA_PYTHON = (
    "[Error 58] SaslAuthenticationFailedError: [cc8333d3-37a9-4bb8-9d5a-1b1127502cad]: Access"
    " denied"
)
SARAMA = (
    "kafka: client has run out of available brokers to talk to: 3 errors occurred:\n"
    "  * kafka server: SASL Authentication failed: [...] Access denied\n"
    "  * kafka server: SASL Authentication failed: [...] Access denied"
)
FRANZ = "Access denied: SASL_AUTHENTICATION_FAILED: SASL Authentication failed."
LIBRDKAFKA = (
    "After prolonged idle periods, Kafka outputs experience authentication failures:\n\n"
    "[error] SASL authentication error: Access denied (after 302ms in state AUTH_REQ)\n"
    "[error] 3/3 brokers are down"
)
ENDPOINT = "prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize(
    "text", [POOL, PSQL, PLUGIN, KAFKA_PYTHON, SARAMA, FRANZ, LIBRDKAFKA], ids=str.split
)
def test_the_refusal_is_recognised(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == "db-iam-auth"


@pytest.mark.parametrize(
    "text",
    [
        # SCRAM and PLAIN logins refused by Kafka itself, and a plain password refused by
        # PostgreSQL: no IAM token involved
        "SaslAuthenticationException: Authentication failed during authentication due to invalid"
        " credentials with SASL mechanism SCRAM-SHA-512",
        'psql: error: FATAL:  password authentication failed for user "postgres"',
    ],
)
def test_other_refused_logins_are_not_this_family(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is None or best.tree != "db-iam-auth"


IDENTITY_OK = {"sts.identity": ("identity-ok",), "rds.iam-auth": ("db-iam-auth-on",)}


@pytest.mark.parametrize(
    ("text", "evidence", "answers", "cause", "confidence"),
    [
        pytest.param(POOL, {}, {}, "presigned-url-expired", "likely", id="worked, then refused"),
        pytest.param(
            LIBRDKAFKA, {}, {}, "presigned-url-expired", "likely", id="kafka idle connection"
        ),
        pytest.param(PLUGIN, {}, {}, "db-user-not-iam-enabled", "confirmed", id="plugin"),
        pytest.param(
            PSQL,
            {"sts.identity": ("rejected-expired-token",)},
            {"db-connection-history": "never worked"},
            "expired-temporary-credentials",
            "likely",
            id="the signing credentials expired",
        ),
        pytest.param(
            PSQL,
            {"sts.identity": ("rejected-signature-does-not-match",)},
            {"db-connection-history": "never worked"},
            "secret-mismatch",
            "likely",
            id="the signing secret is wrong",
        ),
        pytest.param(
            PSQL,
            {"sts.identity": ("identity-ok",), "rds.iam-auth": ("db-iam-auth-off",)},
            {"db-connection-history": "never worked"},
            "db-user-not-iam-enabled",
            "confirmed",
            id="RDS says IAM authentication is off",
        ),
        pytest.param(
            PSQL,
            {"sts.identity": ("identity-ok",), "rds.iam-auth": Status.SKIPPED},
            {"db-connection-history": "never worked", "db-user-iam": "no"},
            "db-user-not-iam-enabled",
            "likely",
            id="RDS not asked, user not set up",
        ),
        pytest.param(
            PSQL,
            IDENTITY_OK,
            {"db-connection-history": "never worked", "db-user-iam": "no"},
            "db-user-not-iam-enabled",
            "likely",
            id="user not set up",
        ),
        pytest.param(
            PSQL,
            IDENTITY_OK,
            {
                "db-connection-history": "never worked",
                "db-user-iam": "yes",
                "db-connect-allowed": "no",
            },
            "iam-permission-denied",
            "likely",
            id="rds-db:connect missing",
        ),
        pytest.param(
            PSQL,
            IDENTITY_OK,
            {
                "db-connection-history": "never worked",
                "db-user-iam": "yes",
                "db-connect-allowed": "yes",
            },
            "db-auth-token-mismatch",
            "possible",
            id="set up and allowed",
        ),
        pytest.param(
            SARAMA,
            IDENTITY_OK,
            {"db-connection-history": "never worked"},
            "iam-permission-denied",
            "likely",
            id="kafka: no database user to ask about",
        ),
    ],
)
def test_each_cause_is_reached_for_its_evidence(
    knowledge: Knowledge,
    text: str,
    evidence: dict[str, tuple[str, ...] | Status],
    answers: dict[str, str],
    cause: str,
    confidence: str,
) -> None:
    tree, found, how, _ = walk(knowledge, text, evidence, answers)
    assert (tree, found, how) == ("db-iam-auth", cause, confidence)


def test_an_expired_database_token_gets_token_steps_not_s3_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, f"psql -h {ENDPOINT} -U app\n{POOL}")
    assert leading(output) == "presigned-url-expired"
    steps = step_text(output)
    assert "generate-db-auth-token --hostname " + ENDPOINT in steps
    assert "aws s3 presign" not in steps and "ServerTime" not in steps.split("date -u")[0]


def test_an_expired_s3_url_keeps_its_own_steps(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(
        capsys,
        "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
        "<Expires>2020-04-02T05:01:02Z</Expires><ServerTime>2020-04-02T08:26:27Z</ServerTime>"
        "</Error>",
    )
    assert leading(output) == "presigned-url-expired"
    steps = step_text(output)
    assert "aws s3 presign" in steps and "generate-db-auth-token" not in steps


def test_the_setup_steps_fit_the_engine_and_the_endpoint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = f'psql: error: connection to server at "{ENDPOINT}", port 5432 failed: FATAL:  PAM authentication failed for user "app_user"'
    output = diagnosed(capsys, text, "db-connection-history=never worked", "db-user-iam=no")
    assert leading(output) == "db-user-not-iam-enabled"
    steps = step_text(output)
    assert "GRANT rds_iam TO app_user;" in steps
    assert "AWSAuthenticationPlugin AS" not in steps  # MySQL's step, for a PostgreSQL paste
    assert "--db-instance-identifier prod-db " in steps
    assert "modify-db-cluster" not in steps  # the endpoint is an instance's


def test_a_hostile_user_name_never_reaches_the_sql(capsys: pytest.CaptureFixture[str]) -> None:
    text = 'FATAL:  PAM authentication failed for user "x; DROP ROLE admin; --"'
    output = diagnosed(capsys, text, "db-connection-history=never worked", "db-user-iam=no")
    steps = step_text(output)
    sql = [line for line in steps.splitlines() if line.startswith(("GRANT", "CREATE USER"))]
    assert sql == ["GRANT rds_iam TO <db_user>;"]
    # it is only named, as data, where the step says why it was left out
    assert "is not a database user name" in steps


def test_a_kafka_refusal_asks_for_the_kafka_cluster_actions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, KAFKA_PYTHON, "db-connection-history=never worked")
    assert leading(output) == "iam-permission-denied"
    steps = step_text(output)
    assert "kafka-cluster:Connect" in steps
    assert "rds-db:connect" not in steps and "decode-authorization-message" not in steps


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (f"psql -h {ENDPOINT}", {"db_host": ENDPOINT, "db_instance": "prod-db"}),
        (
            "host=Aurora-1.cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com",
            {
                "db_host": "aurora-1.cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com",
                "db_cluster": "aurora-1",
            },
        ),
        (
            "app.proxy-abcdefghijkl.us-east-2.rds.amazonaws.com:5432",
            {"db_host": "app.proxy-abcdefghijkl.us-east-2.rds.amazonaws.com"},
        ),
        ("mydb.example.internal", {}),
    ],
)
def test_an_rds_endpoint_names_the_database(text: str, facts: dict[str, str]) -> None:
    found = {name: fact.value for name, fact in paste_facts(text).items()}
    assert {k: v for k, v in found.items() if k.startswith("db_")} == facts
