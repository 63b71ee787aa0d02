"""What a reviewer reads first of each document: its number, issuer and level, title, date and addressees.

One entry per document in the JSON report (`documents`), and a short header under the document's name in the
terminal report.  Each value is the text as written (or None when not found), with its line in the file.
"""

from __future__ import annotations

from typing import Any

from checker.core.plain import field, plain
from checker.core.values import compact_json

FIELDS = ("doc_number", "issuer", "title", "issue_date", "addressees")
LEVEL_TEXT = {
    "province": "省级",
    "city": "市级",
    "district": "区级",
    "county": "县级",
    "county_city": "县级市",
    "township": "乡镇级",
}


@plain(frozen=True)
class RecordRef:
    """Which record an outcome is of, as the run's machinery asks (not the document itself: its text is big)."""

    source: str
    index: int
    id: str
    kind: str
    line: int | None


@plain
class DocumentOutcome:
    source: str
    record_id: str
    values: dict[str, tuple[str, int | None] | None]  # field -> (text as written, line) or None
    issuers: list[tuple[str, int | None]] = field(default_factory=list)
    issuer_level: str | None = None
    title_end_line: int | None = None
    record: RecordRef | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "record_id": self.record_id}
        for name in FIELDS:
            found = self.values.get(name)
            data[name] = found[0] if found else None
            data[f"{name}_line"] = found[1] if found else None
            if name == "issuer":
                data["issuers"] = [{"text": text, "line": line} for text, line in self.issuers]
                data["issuer_level"] = self.issuer_level
            if name == "title":
                data["title_end_line"] = self.title_end_line if found else None
        return data

    def headline(self) -> tuple[str, str, str]:
        parts = []
        for name, label in (
            ("doc_number", "文号"),
            ("issuer", "发文机关"),
            ("issue_date", "成文日期"),
            ("title", "标题"),
        ):
            found = self.values.get(name)
            if found is None and name == "issuer" and self.issuer_level is not None:
                # the level the issuer checks used came from elsewhere (the 文号's 代字): say so, not "no level"
                basis = "，据发文字号" if self.values.get("doc_number") else ""
                parts.append(f"{label} —（按{LEVEL_TEXT.get(self.issuer_level, self.issuer_level)}检查{basis}）")
                continue
            if found is None:
                parts.append(f"{label} —")
                continue
            text, line = found
            if name == "issuer":
                if len(self.issuers) > 1:
                    text = "、".join(t for t, _ in self.issuers)
                text += f"（{LEVEL_TEXT.get(self.issuer_level, '层级未定')}）"
            parts.append(f"{label} {text}" + (f"（第{line}行）" if line and name != "issuer" else ""))
        return self.source, self.record_id, " · ".join(parts)


def _found(item) -> tuple[str, int | None] | None:
    return (item.text, item.line) if item is not None else None


def document_outcome(reading) -> DocumentOutcome:
    """The outcome of one read document (observe.Reading): from its text, or from a record's fields."""
    doc = reading.doc
    if reading.from_record:
        line = doc.line
        values = {
            name: (str(getattr(doc, name)), line) if getattr(doc, name, None) else None
            for name in ("doc_number", "issuer", "title", "issue_date")
        }
        values["addressees"] = None
        issuers = [values["issuer"]] if values["issuer"] else []
        return DocumentOutcome(doc.source, doc.id, values, issuers, reading.level, None, _ref(doc))
    meta = reading.meta
    at = reading.at
    number = meta.doc_number
    values = {
        "doc_number": (number.full_raw, at(number.line)) if number is not None else None,
        "issuer": (meta.issuer.text, at(meta.issuer.line)) if meta.issuer is not None else None,
        "title": (meta.title.text, at(meta.title.line)) if meta.title is not None else None,
        "issue_date": (meta.date.raw, at(meta.date.line)) if meta.date is not None else None,
        "addressees": (meta.addressees.text, at(meta.addressees.line)) if meta.addressees is not None else None,
    }
    issuers = [(item.text, at(item.line)) for item in meta.issuers]
    end = at(meta.title.end_line) if meta.title is not None else None
    return DocumentOutcome(doc.source, doc.id, values, issuers, reading.level, end, _ref(doc))


def _ref(doc) -> RecordRef:
    return RecordRef(doc.source, doc.index, doc.id, doc.kind, doc.line)


@plain
class DocumentStats:
    documents: int = 0
    level_known: int = 0
    missing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    @staticmethod
    def key(outcome: DocumentOutcome) -> tuple:
        return (outcome.issuer_level is not None, tuple(outcome.values.get(name) is None for name in FIELDS))

    def add(self, outcome: DocumentOutcome) -> None:
        self.add_key(self.key(outcome))

    def add_key(self, key: tuple) -> None:
        level_known, missing = key
        self.documents += 1
        self.level_known += level_known
        for name, absent in zip(FIELDS, missing):
            self.missing[name] += absent

    def to_json(self) -> dict[str, Any]:
        return {"documents": self.documents, "issuer_level_known": self.level_known, "not_found": dict(self.missing)}


def to_text(outcome: DocumentOutcome) -> str:
    return compact_json(outcome.to_json())


def present(outcomes, result):
    """The documents as one table (HTML report; the terminal shows each as a header of its findings)."""
    from checker.run.present import Cell, Column, SectionView, Table

    columns = (Column("文件"), Column("文号"), Column("发文机关"), Column("层级"), Column("成文日期"), Column("标题"))

    def cell(o, name):
        found = o.values.get(name)
        return Cell(found[0] if found else "—", None if found else "muted")

    rows = [
        [
            Cell(o.record_id),
            cell(o, "doc_number"),
            Cell("、".join(t for t, _ in o.issuers) or "—"),
            Cell(LEVEL_TEXT.get(o.issuer_level, "—")),
            cell(o, "issue_date"),
            cell(o, "title"),
        ]
        for o in outcomes
    ]
    table = Table(f"公文（{len(rows)} 份）", columns, rows, "documents")
    summary = f"共 {len(rows)} 份公文"
    return SectionView("documents", "公文要素", "公文要素", [(table, [])] if rows else [], summary)


def headline(outcome: DocumentOutcome) -> tuple[str, str, str]:
    return outcome.headline()
