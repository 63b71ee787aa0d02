"""An observation: one thing found in a document, positioned, that rules judge (a 发文字号, a self-reference …).

It quacks like a record for the run (kind, id, source, index, line, schema, display) and builds its own
compact fact; `fix` is what the finder proposes for its span, graded by how safely it may be applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.core.edits import SAFE, Edit, Fix
from checker.core.plain import field, plain
from checker.core.values import date_key
from checker.records.fields import RULE_SCHEMAS, RecordSchema
from checker.records.record import display_value


@plain(frozen=True)
class Observation:
    kind: str
    id: str  # the document's id: findings are grouped by document
    source: str
    index: int
    line: int | None
    column: int | None
    end_column: int | None
    raw: str
    values: dict[str, Any] = field(default_factory=dict)  # engine-safe fields of the kind's schema
    replacement: str | None = None  # proposed text for [column, end_column) on that line
    text_line: int | None = None  # line within the document text (None: found in a record field)
    applicability: str = SAFE  # how safely `replacement` may be applied, as the finder judges it
    snippet: str | None = None  # the text line it is on, for reports
    place: str | None = None  # where in a .docx it stands: 正文, 表格, 文本框, 页眉, 页脚, 脚注, 尾注

    @property
    def schema(self) -> RecordSchema:
        return RULE_SCHEMAS[self.kind]

    @property
    def fix(self) -> Fix | None:
        if self.replacement is None or self.line is None or self.column is None or self.end_column is None:
            return None
        return Fix((Edit(self.line, self.column, self.end_column, self.replacement),), self.applicability)

    def display(self, name: str) -> str:
        if name == "raw":
            return self.raw
        if name == "id":
            return self.id
        return display_value(self.schema.get(name), self.values.get(name))

    def fact(self) -> dict[str, Any]:
        """Engine-safe: dates enter the engine as YYYYMMDD integers, as a record's do (checker.run.facts)."""
        fact = {"record_id": self.id[:1000], "raw": self.raw[:1000]}
        fact.update((k, date_key(v) if isinstance(v, date) else v) for k, v in self.values.items() if v is not None)
        return fact
