"""Record kinds and their fields: names, Chinese aliases, types, choices — declared once, by the domains.

This is the *schema* of what an input may contain, not policy: thresholds and amounts live in rule files.
Rule files may only name fields declared here (the loader rejects anything else), and the type declared here
decides how a rule's literal is converted (dates become YYYYMMDD integers).

The machinery here names no kind: each domain registers its own kinds (`register`), may add fields to
another domain's kind (`extend`), and the readers, the rule loader and the reports look them up by name.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

from checker.core.lazyre import lazy_compile
from checker.core.plain import field, plain, replace

FieldKind = Literal["text", "number", "date", "enum", "bool", "list"]


@plain(frozen=True)
class FieldSpec:
    name: str
    label: str  # Chinese name shown to users
    kind: FieldKind
    aliases: tuple[str, ...] = ()
    required: bool = False
    # enum value -> accepted spellings; the first spelling is the display label
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit: str | None = None
    # how a value is read from a cell: "area" (万/㎡ suffixes), "percent" ("30%")
    parser: str | None = None
    minimum: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound ("> 0")
    maximum: float | None = None  # inclusive
    max_chars: int | None = None  # text longer than this is an input error (default: normalize.MAX_TEXT_CHARS)
    # warn when 0 < value <= 1 (a ledger that wrote 0.3 for 30%)
    warn_fraction: bool = False
    # computed by a domain when the record becomes a fact (not read from input); rules may use it
    derived: bool = False
    # shown in a finding's evidence (False for guards such as "not in quotes": true of every finding they allow)
    evidence: bool = True
    # a table's 合计/小计 row gives this column's sum: it is checked against the rows it sums (checker.inputs.tables)
    summed: bool = False

    def choice_label(self, value: str) -> str:
        spellings = self.choices.get(value)
        return spellings[0] if spellings else value


@plain(frozen=True)
class RecordSchema:
    """A record kind: its fields, and how the machinery treats it.

    `readable` kinds are read from input files (`list_key` names their list in YAML/JSON); other kinds are
    built by a domain: `synthetic` ones from a whole file (one record per approval item type), and `parent`
    ones (observations) from a record of the parent kind.  A kind with `text_field` is read from whole text
    files (.txt/.md/.docx) as well, its text in that field.  `ordered` pairs of date fields must not run
    backwards.  `producer` names the module that makes records of the kind and `limits` what it knowingly
    misses; both are published in the rule documentation.
    """

    kind: str  # "project", "approval", ...
    label: str
    list_key: str  # key of the list in YAML/JSON files ("projects"); "" for kinds never read
    fields: tuple[FieldSpec, ...]
    readable: bool = True
    parent: str | None = None
    synthetic: bool = False
    text_field: str | None = None
    ordered: tuple[tuple[str, str], ...] = ()
    producer: str | None = None
    limits: tuple[str, ...] = ()

    def get(self, name: str) -> FieldSpec | None:
        return _FIELD_INDEX[self.kind].get(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


# readable kinds in registration order (the first is the kind of a JSONL line that names none)
SCHEMAS: dict[str, RecordSchema] = {}
# every kind rules may apply to
RULE_SCHEMAS: dict[str, RecordSchema] = {}
_FIELD_INDEX: dict[str, dict[str, FieldSpec]] = {}
_ALIAS_INDEX: dict[str, dict[str, str]] = {}
_listeners: list = []  # called with the kind whenever a kind is (re-)registered


def register(schema: RecordSchema) -> RecordSchema:
    """Add (or replace) a record kind; returns the schema as registered."""
    if schema.readable:
        SCHEMAS[schema.kind] = schema
    RULE_SCHEMAS[schema.kind] = schema
    _FIELD_INDEX[schema.kind] = {f.name: f for f in schema.fields}
    _ALIAS_INDEX.pop(schema.kind, None)  # built when a header is first resolved (`_aliases`)
    _resolve.cache_clear()
    for listener in _listeners:
        listener(schema.kind)
    return schema


def extend(kind: str, fields: tuple[FieldSpec, ...]) -> RecordSchema:
    """Add fields to a kind another domain declared (the project ledger's approval-flow columns)."""
    schema = RULE_SCHEMAS.get(kind)
    if schema is None:
        raise KeyError(f"cannot extend unknown record kind {kind!r}")
    clash = {f.name for f in fields} & set(schema.names)
    if clash:
        raise ValueError(f"fields {sorted(clash)} are already declared for {kind!r}")
    return register(replace(schema, fields=(*schema.fields, *fields)))


def on_register(listener) -> None:
    """Call `listener(kind)` whenever a kind is registered or extended (caches built from schemas)."""
    _listeners.append(listener)


def default_kind() -> str | None:
    """The first readable kind registered: what a record that names no kind is."""
    return next(iter(SCHEMAS), None)


def text_kinds() -> list[RecordSchema]:
    """Readable kinds whose records are also read from whole text files."""
    return [s for s in SCHEMAS.values() if s.text_field]


_HEADER_NOISE = lazy_compile(r"[（(\[【].*?[）)\]】]|\s+")
_OPENERS_OR_SPACES = lazy_compile(r"[（(\[【]+|\s+")
_CLOSER = lazy_compile(r"[）)\]】]")


def header_key(text: str) -> str:
    """Normalize a column header or key: NFKC, no spaces, no bracketed unit.

    "建筑面积（㎡）", "建筑面积 (m²)" and "建筑面积" all become "建筑面积";
    English names are lower-cased.
    """
    text = unicodedata.normalize("NFKC", str(text)).strip()
    stripped = _without_noise(text)
    return (stripped or text).lower()


def _without_noise(text: str) -> str:
    """`_HEADER_NOISE.sub("", text)`, in time linear in the text (title rows are looked at for the header too).

    The pattern tried at each "(" that no ")" follows on its line scans on to the line's end: a cell of
    20,000 "(" took seconds.  Here each run of opening brackets is matched with the next closing bracket
    and the next line break, both found once for all the brackets before them: the run's first bracket
    starts a match (to the closing bracket, taking the run) or none of them does.
    """
    if len(text) < 256:
        return _HEADER_NOISE.sub("", text)
    out: list[str] = []
    end = len(text)
    position = 0
    closer = newline = -1  # the next closing bracket and line break after the bracket looked at (end: none)
    while (match := _OPENERS_OR_SPACES.search(text, position)) is not None:
        start = match.start()
        out.append(text[position:start])
        position = match.end()
        if match.group()[0].isspace():
            continue  # whitespace is dropped
        if closer <= start:
            found = _CLOSER.search(text, start + 1)
            closer = found.start() if found is not None else end
        if newline <= start:
            newline = text.find("\n", start + 1)
            newline = end if newline < 0 else newline
        if closer < min(newline, end):
            position = closer + 1  # the bracketed part is dropped
        else:
            out.append(match.group())  # brackets that close on no line
    out.append(text[position:])
    return "".join(out)


def resolve_field(schema: RecordSchema, header: str) -> str | None:
    """Map a header or YAML key (English name or Chinese alias) to a field name."""
    if len(header) > 256:  # a title row's text, not a column name: not kept in the cache, but for the next kind
        if _last_long[0] is not header:
            _last_long[:] = [header, header_key(header)]
        return _aliases(schema.kind).get(_last_long[1])
    return _resolve(schema.kind, header)


_last_long: list = [None, None]  # the last long header resolved and its key: each kind looks a header up in turn


@lru_cache(maxsize=4096)  # every JSONL line repeats the same keys
def _resolve(kind: str, header: str) -> str | None:
    return _aliases(kind).get(header_key(header))


def _aliases(kind: str) -> dict[str, str]:
    """Normalized header -> field name, for a kind: built on first use (a lint reads no ledger headers, and
    normalizing every spelling of every field of every kind was a tenth of its start)."""
    aliases = _ALIAS_INDEX.get(kind)
    if aliases is None:
        aliases = {}
        for spec in RULE_SCHEMAS[kind].fields:
            if not spec.derived:
                for spelling in (spec.name, *spec.aliases):
                    aliases[header_key(spelling)] = spec.name
        _ALIAS_INDEX[kind] = aliases
    return aliases
