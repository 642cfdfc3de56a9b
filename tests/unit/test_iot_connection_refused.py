"""AWS IoT Core closing a device's connection (trees/iot-connection-refused.toml): the device
SDKs' words are recognised, each cause is reached for its answer, and the steps are about the
certificate and its IoT policy, not IAM keys."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text
from tests.unit.test_trees_denied_network import walk

# ESP-IDF's port of the embedded C SDK (espressif/esp-aws-iot, the corpus's gs09)
SHADOW = "E (5978) shadow: aws_iot_shadow_connect returned error -12, aborting..."
# The Python device SDK v1 (aws/aws-iot-device-sdk-python, the corpus's gs39)
SUBSCRIBE = (
    "An instance of AWSIoTMQTTClient is not able to subscribe to topics, raising"
    " `AWSIoTPythonSDK.exception.AWSIoTExceptions.subscribeTimeoutException` after the"
    " configured timeout."
)
# The v2 device SDKs on the AWS Common Runtime (awscrt's exception: name, then message)
HANGUP = (
    "awscrt.exceptions.AwsCrtError: AWS_ERROR_MQTT_UNEXPECTED_HANGUP: The connection was"
    " closed unexpectedly."
)
# The JavaScript v2 device SDK (aws-crt-nodejs), as projects' comments quote it
HANGUP_JS = (
    "Error: libaws-c-mqtt: AWS_ERROR_MQTT_UNEXPECTED_HANGUP, The connection was closed"
    " unexpectedly."
)
POLICY = "iot-certificate=no policy attached, or not sure"
INACTIVE = "iot-certificate=the certificate is not active"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("text", [SHADOW, SUBSCRIBE, HANGUP, HANGUP_JS])
def test_the_device_sdks_words_are_recognised(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == "iot-connection-refused"


def test_another_brokers_refusal_is_not_aws_iot(knowledge: Knowledge) -> None:
    # Mosquitto's client refused by its own broker's ACL
    best = (
        Matcher(knowledge).recognise("Connection error: Connection Refused: not authorised.").best
    )
    assert best is None or best.tree != "iot-connection-refused"


@pytest.mark.parametrize(
    ("answer", "cause", "confidence"),
    [
        (POLICY, "iam-permission-denied", "likely"),
        (INACTIVE, "key-inactive", "likely"),
        ("iot-certificate=yes", "unknown", "possible"),
    ],
)
def test_each_cause_is_reached_for_its_answer(
    knowledge: Knowledge, answer: str, cause: str, confidence: str
) -> None:
    question, value = answer.split("=")
    tree, found, how, _ = walk(knowledge, SHADOW, {}, {question: value})
    assert (tree, found, how) == ("iot-connection-refused", cause, confidence)


def test_a_policy_refusal_gets_the_iot_policy_steps(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(capsys, SUBSCRIBE, POLICY)
    assert leading(output) == "iam-permission-denied"
    steps = step_text(output)
    assert "aws iot list-attached-policies" in steps and "iot:Data-ATS" in steps
    assert "sts get-caller-identity" not in steps and "decode-authorization-message" not in steps


def test_an_inactive_certificate_gets_the_certificate_steps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, SHADOW, INACTIVE)
    assert leading(output) == "key-inactive"
    steps = step_text(output)
    assert "aws iot update-certificate" in steps and "aws iam" not in steps


def test_an_inactive_access_key_keeps_its_iam_steps(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
        " The security token included in the request is invalid."
    )
    output = diagnosed(capsys, text, "key-history=deactivated (Inactive)")
    steps = step_text(output)
    assert "aws iot" not in steps
