"""A loaded rule book: packs of rules, each rule's validated spec and compiled condition.

Plain objects rather than pydantic models, so that a cached rule book loads without pydantic
(checker.rules.rulefile validates rule files on a fresh load and turns them into these).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from checker.core.plain import field, plain
from checker.records.fields import RULE_SCHEMAS, RecordSchema
from checker.rules.conditions import Condition, Leaf, leaves, show, to_durable
from checker.rules.language import FINDINGS


class Spec:
    """What a rule file (or one of its parts) says, validated by checker.rules.rulefile, as plain attributes.

    Plain objects rather than the pydantic models so that a cached rule book loads without pydantic.
    """

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # mutable, like the models it stands for


class CitationSpec(Spec):
    def short(self) -> str:
        return f"{self.document} {self.clause}" if self.clause else self.document

    @property
    def wording(self) -> str:
        """The text on one line."""
        return " ".join(self.text.split())

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "clause": self.clause,
            "kind": self.kind,
            "text": self.wording,
            "source": self.source,
            "confirmed": self.confirmed,
        }


def citation_label(citation: dict[str, Any], clip: int | None = None) -> str:
    """One citation as reports show it: a quotation in 「」, a summary marked 摘要, an unchecked wording marked so."""
    where = f"{citation['document']} {citation['clause']}" if citation.get("clause") else citation["document"]
    text = citation["text"]
    if clip is not None and len(text) > clip:
        text = text[: clip - 1] + "…"
    said = f"（摘要）{text}" if citation.get("kind") == "summary" else f"「{text}」"
    return f"{where}{said}" + ("" if citation.get("confirmed", True) else "（未核对原文）")


@plain
class Rule:
    spec: Spec  # a validated rulefile.RuleSpec
    pack: Pack
    source: str
    condition: Condition  # the full condition (a domain's compile step may have added to it)
    params: dict[str, Any]  # rule params and pack settings, for messages
    # further engine conditions of a domain's rule kind, by suffix (evaluated as "RULE-ID:suffix")
    extra: dict[str, Condition] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> str:
        return self.spec.severity

    @property
    def category(self) -> str:
        return self.spec.category

    @property
    def citations(self) -> list[CitationSpec]:
        """The sources the rule rests on, its main basis first."""
        return self.spec.citation

    @cached_property
    def evidence_leaves(self) -> tuple[tuple[Any, ...], tuple[str, ...], frozenset[str]]:
        """The condition's tests, one per field (in order), those fields' names, and the fields a presence test
        reads: what each of the rule's findings states as evidence, worked out once per rule."""
        from checker.rules.conditions import PRESENCE_OPS, leaves

        seen: set[str] = set()
        unique = []
        for leaf in leaves(self.condition):
            if leaf.field not in seen:
                seen.add(leaf.field)
                unique.append(leaf)
        presence = frozenset(leaf.field for leaf in leaves(self.condition) if leaf.op in PRESENCE_OPS)
        return tuple(unique), tuple(leaf.field for leaf in unique), presence

    @cached_property
    def citation_short(self) -> str:
        return "；".join(c.short() for c in self.citations)

    @cached_property
    def citation_text(self) -> str:
        """The main clause's wording on one line; one shared string for all of the rule's findings."""
        return self.citations[0].wording

    @cached_property
    def citation_objects(self) -> tuple[dict[str, Any], ...]:
        """Every citation as a plain mapping, one tuple shared by all of the rule's findings."""
        return tuple(c.to_json() for c in self.citations)

    @cached_property
    def kind(self) -> str:
        """The record kind the rule applies to."""
        return self.spec.applies_to or self.pack.spec.applies_to

    @property
    def schema(self) -> RecordSchema:
        return RULE_SCHEMAS[self.kind]

    @cached_property
    def autofix(self) -> str:
        """The rule's ceiling for fixes of what it finds: safe, unsafe or display (the default)."""
        return self.spec.autofix or ("safe" if self.spec.fixable else "display")

    def fix_for(self, subject: Any, fact: dict[str, Any]):
        """What this rule proposes for the subject's span: its `fix_with` field's value, else the finder's fix,
        no more applicable than the rule allows (None: nothing)."""
        from checker.core.edits import Edit, Fix

        fix = getattr(subject, "fix", None)
        field_name = getattr(self.spec, "fix_with", None)
        if field_name:
            content = fact.get(field_name)
            line, column = subject.line, getattr(subject, "column", None)
            end = getattr(subject, "end_column", None)
            if not isinstance(content, str) or None in (line, column, end) or content == subject.raw:
                return None
            fix = Fix((Edit(line, column, end, content),), getattr(subject, "applicability", "safe"))
        return fix.capped(self.autofix) if fix is not None else None

    def engine_id(self, suffix: str) -> str:
        """The engine id of one of the rule's extra conditions."""
        return f"{self.id}:{suffix}"

    def engine_conditions(self) -> dict[str, Condition]:
        """Engine rules this rule contributes: itself, and its extra conditions if any."""
        out = {self.id: self.condition}
        for suffix, condition in self.extra.items():
            out[self.engine_id(suffix)] = condition
        return out

    def durable_conditions(self) -> dict[str, dict]:
        return {engine_id: to_durable(cond) for engine_id, cond in self.engine_conditions().items()}

    @cached_property
    def message_fields(self) -> tuple[str, ...]:
        """Record fields the message shows (only those are formatted for each finding)."""
        import string  # 0.5 ms of a start that loads the rule book from the cache

        names = {name for _, name, _, _ in string.Formatter().parse(self.spec.message) if name}
        return tuple(sorted(names - set(self.params)))

    @cached_property
    def _shown_params(self) -> dict[str, str]:
        return {k: _show_param(v) for k, v in self.params.items()}

    def render_message(self, values: dict[str, str]) -> str:
        return self.spec.message.format_map({**self._shown_params, **values})

    def message(self, subject: Any, fact: dict[str, Any]) -> str:
        """The message for one subject: derived fields as the fact holds them, the others as the record shows them."""
        schema = subject.schema

        def value(name: str) -> str:
            spec = schema.get(name)
            return show(spec, fact.get(name)) if spec is not None and spec.derived else subject.display(name)

        return self.render_message({name: value(name) for name in self.message_fields})


@plain
class Pack:
    spec: Spec  # a validated rulefile.PackSpec
    directory: str
    rules: list[Rule] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)  # settings replaced by the configuration
    problems: list[tuple[Rule, str]] = field(default_factory=list)  # example failures (check_examples=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def finds(self) -> bool:
        """A `findings` pack: every rule that holds is a finding (other kinds are evaluated by their domain)."""
        return self.spec.kind == FINDINGS

    @property
    def kinds(self) -> set[str]:
        return {rule.kind for rule in self.rules}

    def rules_for(self, kind: str) -> list[Rule]:
        """The pack's rules for one record kind (evaluation loops ask this for every record)."""
        cache = self.__dict__.setdefault("_by_kind", {})
        if kind not in cache:
            cache[kind] = [rule for rule in self.rules if rule.kind == kind]
        return cache[kind]

    def settings(self) -> dict[str, Any]:
        return {**{k: s.value for k, s in self.spec.settings.items()}, **self.overrides}


@plain
class RuleBook:
    packs: list[Pack]
    digest: str  # sha256 of every rule file, so a report says which rules produced it

    @property
    def rules(self) -> list[Rule]:
        return [rule for pack in self.packs for rule in pack.rules]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def packs_for(self, kind: str) -> list[Pack]:
        cache = self.__dict__.setdefault("_packs_by_kind", {})
        if kind not in cache:
            cache[kind] = [p for p in self.packs if kind in p.kinds]
        return cache[kind]

    def pack(self, pack_id: str) -> Pack | None:
        return next((p for p in self.packs if p.id == pack_id), None)

    @property
    def categories(self) -> dict[str, str]:
        """Every category the packs declare, id -> description, in pack order."""
        out: dict[str, str] = {}
        for pack in self.packs:
            for key, text in pack.spec.categories.items():
                out.setdefault(key, text)
        return out

    @property
    def version(self) -> str:
        return "+".join(f"{p.id}@{p.spec.version}" for p in self.packs)


def _show_param(value: Any) -> str:
    from checker.core.values import format_number

    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None else str(value)


def leaf_fields(rule: Rule) -> set[str]:
    return {leaf.field for leaf in leaves(rule.condition) if isinstance(leaf, Leaf)}
