"""Answers given ahead (`diagnose --answer QID=VALUE`), checked against what can be asked.

An answer to a question no tree asks, or a value that is not one of the question's choices,
would be ignored without a word, and the user would believe it was taken. So each one is
checked: the question ids of every tree, and `consent:<probe-id>` for every probe that needs
consent (yes or no). A choice is matched whatever its case, and passed on as the tree writes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from awsmedic.core.probing import CONSENT_CHOICES, CONSENT_PREFIX
from awsmedic.errors import UsageError
from awsmedic.kb.model import Knowledge, QuestionNode
from awsmedic.probes import Consent
from awsmedic.probes import spec as probe_spec


def _choices(knowledge: Knowledge, question: str) -> tuple[str, ...] | None:
    """The choices of a question id, or None when nothing asks it."""
    if question.startswith(CONSENT_PREFIX):
        found = probe_spec(question[len(CONSENT_PREFIX) :])
        needs = found is not None and found.consent is not Consent.NONE
        return CONSENT_CHOICES if needs else None
    choices: list[str] = []
    for tree in knowledge.trees.values():
        for node in tree.nodes.values():
            if isinstance(node, QuestionNode) and node.question == question:
                choices += [choice for choice in node.choices if choice not in choices]
    return tuple(choices) or None


def _question_ids(knowledge: Knowledge) -> set[str]:
    return {
        node.question
        for tree in knowledge.trees.values()
        for node in tree.nodes.values()
        if isinstance(node, QuestionNode)
    }


def checked(knowledge: Knowledge, answers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The answers as the trees spell their choices; UsageError naming every bad one."""
    preset: dict[str, str] = {}
    problems: list[str] = []
    for question, answer in answers:
        choices = _choices(knowledge, question)
        if choices is None:
            import difflib  # only for a wrong answer: a diagnosis does not need it

            near = difflib.get_close_matches(question, _question_ids(knowledge), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            unknown = f"no question has the id {question}{hint}"
            problems.append(f"--answer {question}={answer}: {unknown}")
            continue
        chosen = next((c for c in choices if c.casefold() == answer.casefold()), None)
        if chosen is None:
            listed = ", ".join(repr(choice) for choice in choices)
            problems.append(f"--answer {question}={answer}: the choices of {question} are {listed}")
            continue
        preset[question] = chosen
    if problems:
        raise UsageError(message="; ".join(problems))
    return preset
