"""Records: plain slotted classes generated from their kind's field declarations.

A record holds what every record has (id, source file, line, position in the file), one attribute per
declared input field, and for kinds read from whole text files the text's provenance (origin, encoding,
digest, the line the text starts on).  Values are already converted and checked by `normalize`, so a record
validates nothing itself; it pickles by kind name, so worker processes can send records back whatever
class the registry generated for them.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from checker.core.values import format_number
from checker.records.fields import RULE_SCHEMAS, FieldSpec, RecordSchema, on_register

# Attributes of every record, and those of records whose kind has a text field (read from text files too).
COMMON = (("id", None), ("source", None), ("line", None), ("index", 1))
TEXT_ATTRIBUTES = (
    ("origin", "record"),
    ("encoding", None),
    ("digest", None),
    ("text_line", None),
    ("places", None),
    ("body_lines", None),
    ("file", None),  # the file the text was read from: `source`, or a .doc's conversion, standard input's copy
    ("stdin", False),  # the text came from standard input: there is no file to rewrite
)


class Record:
    """Base of the generated record classes (see `record_class`)."""

    __slots__ = ()
    kind: ClassVar[str] = "record"
    schema: ClassVar[RecordSchema]
    attributes: ClassVar[tuple[str, ...]] = ()

    def display(self, name: str) -> str:
        """A field's value as a reviewer reads it: Chinese labels, separators, ISO dates."""
        return display_value(self.schema.get(name), getattr(self, name, None))

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.attributes}

    def replace(self, **changes: Any) -> Record:
        """A copy with some attributes changed."""
        return type(self)(**{**self.values(), **changes})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.values() == self.values()

    __hash__ = None  # compared by value, like the models they replaced

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values().items() if v is not None)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self):
        return make_record, (self.kind, self.values())


_classes: dict[str, type[Record]] = {}


def _forget(kind: str) -> None:
    _classes.pop(kind, None)


on_register(_forget)


def record_class(kind: str) -> type[Record]:
    """The record class of a registered kind (generated once; again after the kind is extended)."""
    cls = _classes.get(kind)
    if cls is None:
        cls = _classes[kind] = _generate(RULE_SCHEMAS[kind])
    return cls


def make_record(kind: str, values: dict[str, Any]) -> Record:
    return record_class(kind)(**values)


def _generate(schema: RecordSchema) -> type[Record]:
    fields = [(f.name, None) for f in schema.fields if not f.derived and f.name not in dict(COMMON)]
    extra = list(TEXT_ATTRIBUTES) if schema.text_field else []
    slots = [*COMMON, *fields, *extra]
    names = [name for name, _ in slots]
    params = ", ".join(f"{name}={default!r}" for name, default in slots)
    body = "\n".join(f"    self.{name} = {name}" for name in names)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, *, {params}):\n{body}\n", namespace)
    title = "".join(part.capitalize() for part in schema.kind.split("_"))
    return type(
        title,
        (Record,),
        {
            "__slots__": tuple(names),
            "__init__": namespace["__init__"],
            "kind": schema.kind,
            "schema": schema,
            "attributes": tuple(names),
            "__module__": __name__,
            "__qualname__": title,
        },
    )


def display_value(spec: FieldSpec | None, value: Any) -> str:
    if value is None:
        return "—"
    if spec is not None and spec.kind == "enum":
        return spec.choice_label(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)
