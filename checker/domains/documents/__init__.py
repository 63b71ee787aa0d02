"""The documents domain: official documents (公文) and what is observed in their text.

Its record kind is the document (read whole from .txt/.md/.docx files, or as YAML/JSON records); each
document is checked as itself and as every observation found in it (observations/, one module per kind).
Its packs are packs/document-*; its data (places, the typo lexicon) is in data/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.inputs.documents import DOCUMENT_SUFFIXES
from checker.records import fields
from checker.rules import language
from checker.run.domain import Command, Domain, SectionSpec

HERE = Path(__file__).resolve().parent
PACKS = HERE / "packs"
DATA = HERE / "data"
LINT_SUFFIXES = frozenset(DOCUMENT_SUFFIXES | {".yaml", ".yml", ".json", ".jsonl"})


def _stats():
    from checker.domains.documents.outcome import DocumentStats

    return DocumentStats()


def _to_text(outcome) -> str:
    from checker.domains.documents.outcome import to_text

    return to_text(outcome)


def _present(outcomes, result):
    from checker.domains.documents.outcome import present

    return present(outcomes, result)


def _headline(outcome):
    return outcome.headline()


class DocumentsDomain(Domain):
    name = "documents"
    title = "公文检查"
    kinds = ("document",)
    sections = (SectionSpec("documents", "documents", _stats, _to_text, _present, headline=_headline),)
    commands = (
        Command(
            "lint",
            "检查公文（.txt .md .docx、标准输入 -、公文记录）",
            title="checker lint",
            label="公文",
            sections=("documents",),
            kinds=frozenset({"document"}),
            input_suffixes=LINT_SUFFIXES,
            fixes=True,
        ),
    )

    def register(self) -> None:
        from checker.domains.documents.observations import KINDS
        from checker.domains.documents.records import DOCUMENT

        fields.register(DOCUMENT)
        for kind in KINDS:
            fields.register(kind.SCHEMA)
        language.add_pack_dirs(PACKS)
        language.add_data_roots(DATA)

    def pack_dirs(self) -> list[Path]:
        return [PACKS]

    def start(self, book: Any, options: dict[str, Any]) -> Any:
        """The settings of the document packs in force for this run (the finders read their word lists there)."""
        from checker.core.errors import CheckerError
        from checker.domains.documents.observations import KINDS
        from checker.domains.documents.pack_settings import use_pack_settings

        state = {pack.id: pack.settings() for pack in book.packs if Path(pack.directory).resolve().parent == PACKS}
        use_pack_settings(state)
        for kind in KINDS:  # a finder compiles its word lists now, so a bad configured value is a usage error
            prepare = getattr(kind, "prepare", None)
            if prepare is not None:
                try:
                    prepare()
                except ValueError as exc:
                    raise CheckerError(f"规则包设置有误（配置文件中的 settings 覆盖？）：{exc}") from None
        return state

    def resume(self, state: Any) -> None:
        if state is not None:
            from checker.domains.documents.pack_settings import use_pack_settings

            use_pack_settings(state)

    def outcome(self, subject: Any, fact: dict, hits: set[str], findings: list, run: Any) -> None:
        if subject.kind != "document" or run.summary is None:
            return
        outcomes = run.outcomes("documents")
        if outcomes is not None:
            outcomes.append(run.summary)

    def subjects(self, record: Any, as_of, options: dict[str, Any]):
        if record.kind != "document":
            return None
        from checker.domains.documents.subjects import document_subjects

        return document_subjects(record, as_of, options.get("organization"))
