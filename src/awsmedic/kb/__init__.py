"""The knowledge base: where it lives, and loading it with every problem reported at once.

`model` (trees, causes, tools as frozen objects), `load` with `trees`, `causes`, `body` and
`reading` (files -> objects, every problem with its file and line, `problems`), `validate`
(cross-checks), `placeholders` (the values steps may name). May import `model`, `errors` and,
to check finding codes, `probes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from awsmedic.errors import KnowledgeError
from awsmedic.kb.model import Knowledge
from awsmedic.kb.problems import Problem

ENV_VAR = "AWSMEDIC_KNOWLEDGE_PATH"


def shipped_dir() -> Path:
    """The knowledge shipped with awsmedic: inside the wheel, or the source tree's top level."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "knowledge"
    return packaged if packaged.is_dir() else here.parent.parent / "knowledge"


def knowledge_dirs(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """The shipped directory, then each directory of AWSMEDIC_KNOWLEDGE_PATH (`:`-separated)."""
    extra = [
        Path(part).expanduser() for part in environ.get(ENV_VAR, "").split(":") if part.strip()
    ]
    return (shipped_dir(), *extra)


def check(dirs: Iterable[Path]) -> tuple[Knowledge, list[Problem]]:
    """Load and cross-check; the problems list is complete (load and validation together)."""
    from awsmedic.kb.load import load
    from awsmedic.kb.validate import validate
    from awsmedic.probes import edit_findings, fact_names, finding_catalog

    knowledge, problems = load(dirs, strict=True)
    problems += validate(knowledge, finding_catalog(), fact_names(), edit_findings())
    return knowledge, problems


def load_checked(dirs: Iterable[Path], cache: Path | None = None) -> Knowledge:
    """The knowledge a diagnosis needs, or KnowledgeError naming every file and line that
    stops it from running (a structural check; `check` is the complete one).

    With `cache` (a directory, `cache.cache_dir`), what an earlier run loaded from the very
    same files is read from there, and what loads without an error is kept there."""
    from awsmedic.kb import cache as kept

    dirs = tuple(dirs)
    wanted = kept.key(dirs) if cache is not None else None
    if cache is not None and wanted is not None:
        found = kept.read(cache, dirs, wanted)
        if found is not None:
            return found
    from awsmedic.kb.load import load
    from awsmedic.kb.validate import validate

    knowledge, problems = load(dirs)
    problems += validate(knowledge)
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise KnowledgeError(errors)
    if cache is not None and wanted is not None:
        kept.write(cache, dirs, wanted, knowledge)
    return knowledge


def load_for(environ: Mapping[str, str]) -> Knowledge:
    """`load_checked` of the directories `environ` names, with the cache it names (none with
    AWSMEDIC_NO_CACHE)."""
    from awsmedic.kb.cache import cache_dir

    return load_checked(knowledge_dirs(environ), cache_dir(environ))
