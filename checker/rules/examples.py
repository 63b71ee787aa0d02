"""Rule examples: every rule carries must-fire and must-not-fire examples, run when it loads and by `checker test-rules`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.records.fields import RULE_SCHEMAS
from checker.rules.book import OBSERVATION_KINDS, Rule

EXAMPLE_AS_OF = date(2025, 1, 1)  # reference date of rule examples unless an example sets `as_of`

def example_facts(rule: Rule, example: dict[str, Any], tag: str) -> list[tuple[Any, dict[str, Any]]]:
    """The (subject, fact) pairs an example yields for the rule's record kind.

    Record examples are mappings of fields, normalized through the same path as
    real records.  Document examples (rules on documents and on what is observed
    in them) are documents: `text:` for a notice as it would be in a .txt file,
    or the fields of a document record; every observation of the rule's kind is
    a candidate, and the example fires when any of them does.
    """
    from checker.observe import observe
    from checker.records.fields import resolve_field
    from checker.records.normalize import Document, normalize
    from checker.records.raw import RawRecord
    from checker.run.facts import to_fact

    example = dict(example)
    raw_as_of = example.pop("as_of", EXAMPLE_AS_OF)
    as_of = raw_as_of if isinstance(raw_as_of, date) else date.fromisoformat(str(raw_as_of))
    document_rule = rule.kind == "document" or rule.kind in OBSERVATION_KINDS
    schema = RULE_SCHEMAS["document"] if document_rule else rule.schema
    if document_rule and "text" in example:
        text = example.pop("text")
        if example:
            raise ValueError(f"文本示例只能有 text（和 as_of），多余的键：{sorted(example)}")
        document = Document(id=f"{rule.id}/{tag}", source=rule.source, body=str(text), origin="text", body_line=1)
        records = [document]
    else:
        data: dict[str, Any] = {spec.name: f"{rule.id} 示例 {tag}" for spec in schema.fields
                                if spec.required and spec.kind == "text"}
        data["id"] = f"{rule.id}/{tag}"
        unknown = []
        for key, value in example.items():
            name = resolve_field(schema, str(key))
            if name is None:
                unknown.append(str(key))
            else:
                data[name] = value
        raw = RawRecord(rule.source, schema.kind, 1, None, data, unknown_fields=unknown)
        record, issues = normalize(raw)
        problems = [i.message for i in issues if i.severity == "error" or i.code == "INPUT-UNKNOWN-FIELD"]
        if record is None or problems:
            raise ValueError("；".join(problems))
        records = [record]
    if not document_rule:
        return [(records[0], to_fact(records[0], as_of))]
    document = records[0]
    observed = observe(document, as_of)
    if rule.kind == "document":
        fact = to_fact(document, as_of)
        fact.update(observed.values)
        return [(document, fact)]
    return [(o, o.fact()) for o in observed.observations if o.kind == rule.kind]

def verify_examples(rule: Rule, fail) -> None:
    from checker.rules.conditions import holds

    for expected, examples in ((True, rule.spec.examples.fire), (False, rule.spec.examples.pass_)):
        group = "fire" if expected else "pass"
        for i, example in enumerate(examples):
            try:
                pairs = example_facts(rule, example, f"{group}[{i}]")
            except (ValueError, TypeError) as exc:
                raise fail(f"examples.{group}[{i}] 不是有效记录：{exc}", "examples") from None
            if any(holds(rule.condition, fact) for _, fact in pairs) != expected:
                verb = "应触发却未触发" if expected else "不应触发却触发了"
                raise fail(f"examples.{group}[{i}] {verb}：规则与自己的示例不一致", "examples")
