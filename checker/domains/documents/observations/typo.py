"""错别字: words from the lexicon (data/lexicon/typos.yaml) written wrong, in the contexts that make them wrong."""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.edits import SAFE, UNSAFE
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "typo",
    "错别字",
    (
        FieldSpec("suggestion", "建议写法", "text"),
        FieldSpec("safe_fix", "可自动修正", "bool"),
    ),
    producer=__name__,
    limits=("只查词表中的错词，且只在条目所需的上下文中；词表以外的错别字查不到",),
)


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.lexicon import iter_typos

    def build(typo) -> Observation:
        return reading.make(
            "typo",
            typo,
            {"suggestion": typo.suggestion, "safe_fix": typo.safe_fix, "quoted": typo.quoted},
            typo.suggestion,
            applicability=SAFE if typo.safe_fix else UNSAFE,
        )

    yield from reading.each(iter_typos(reading.text, reading.lexicon), build)
