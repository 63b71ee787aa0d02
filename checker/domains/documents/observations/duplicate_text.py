"""重复文字: text left over from editing — a phrase written twice (设立值班室设立值班室), a doubled function word
(分别为为), the repeated 现 of 现将《…》现印发, a phrase repeated a few characters on.  The finder is
text/repeats.py; its word lists are the pack's settings (packs/document-duplicate-text/pack.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.edits import SAFE, UNSAFE
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PACK = Path(__file__).resolve().parents[1] / "packs" / "document-duplicate-text" / "pack.yaml"

SCHEMA = observation_schema(
    "duplicate_text",
    "重复文字",
    (
        FieldSpec(
            "repeat_kind",
            "重复方式",
            "enum",
            choices={
                "run": ("连写重复",),
                "word": ("双字词连写",),
                "char": ("虚词重叠",),
                "frame": ("句式词重复",),
                "phrase": ("隔字重复",),
            },
        ),
        FieldSpec("unit", "重复的文字", "text"),
        FieldSpec("copies", "出现次数", "number"),
        FieldSpec("lead", "句式引领词", "text"),
        FieldSpec("word_end", "其后为标点或虚词", "bool"),
        FieldSpec("cited_title", "在《》标题内", "bool", evidence=False),
        FieldSpec("title_line", "在标题行", "bool", evidence=False),
        FieldSpec("table_row", "在表格行", "bool", evidence=False),
    ),
    producer=__name__,
    limits=(
        "只查同一行内紧挨着的重复（或隔几个字的同一短语）；跨行、隔着标点或空格的重复查不到",
        "单字重叠只查词表中的虚词（的、为、在……）；其他字的重叠（如误写的“检查查”）查不到",
        "可按 ABAB 重叠的双音节词只认词表中的；词表以外的（如方言用法）会被当作重复",
    ),
)


def vocab():
    """The pack's language data in force (the configuration may extend its lists), compiled once per value."""
    from checker.domains.documents.pack_settings import compiled

    return compiled(PACK, _vocab)


def _vocab(settings: dict):
    from checker.domains.documents.text.repeats import RepeatVocab

    return RepeatVocab.from_settings(settings, str(PACK))


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.repeats import find_repeats

    title = reading.meta.title if reading.meta is not None else None

    def build(found) -> Observation:
        line_text = reading.body_lines[found.line - 1] if found.line <= len(reading.body_lines) else ""
        cited = reading.in_cited_title(found)
        # A doubled word of two characters may be a reduplication the list lacks, and a cited title is checked
        # against the original; a run of 3+ written twice and the 现 of 现将…现印发 can only be deleted.
        safe = found.kind in ("run", "frame") and not cited
        return reading.make(
            "duplicate_text",
            found,
            {
                "repeat_kind": found.kind,
                "unit": found.unit,
                "copies": found.copies,
                "lead": found.lead or None,
                "word_end": found.word_end,
                "quoted": reading.quoted(found),
                "cited_title": cited,
                "title_line": title is not None and title.line <= found.line <= title.end_line,
                "table_row": "|" in line_text or "\t" in line_text,
            },
            found.replacement,
            applicability=SAFE if safe else UNSAFE,
        )

    yield from reading.each(find_repeats(reading.body_text, vocab(), limit=reading.wanted), build)


prepare = vocab  # compiled when a run starts (documents domain), so a bad setting is reported before any file
