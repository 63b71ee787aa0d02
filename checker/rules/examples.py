"""Rule examples, and the one runner that checks them (when a rule loads, and in `checker test-rules`).

Every rule carries must-fire (`fire`) and must-not-fire (`pass`) examples.  An example is the fields of a
record, or for a kind read from whole text files (and the observations found in it) the text itself:
`text: "…"`.  A fire example may also say what the finding must look like, as sqlfluff's `fail_str`/`fix_str`
cases and textlint's `{text, output, errors}` do:

    - text: "接照文件要求办理。"
      errors: [{message: "“接照”应为“按照”", line: 1, column: 1}]
      output: "按照文件要求办理。"

`errors` lists every firing in order (each key optional: message, line, column, end_column); `output` is the
text after the rule's safe fixes.  `as_of` sets the reference date (default 2025-01-01).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from checker.core.edits import apply_edits, without_overlaps
from checker.core.plain import plain
from checker.records.fields import RULE_SCHEMAS, resolve_field
from checker.records.normalize import normalize
from checker.records.raw import RawRecord
from checker.rules.book import Rule
from checker.rules.language import LANGUAGE

EXAMPLE_AS_OF = date(2025, 1, 1)  # reference date of rule examples unless an example sets `as_of`
_ERROR_KEYS = ("message", "line", "column", "end_column")


@plain(frozen=True)
class Example:
    group: str  # "fire" | "pass"
    index: int
    data: dict[str, Any]

    @property
    def expected(self) -> bool:
        return self.group == "fire"

    @property
    def tag(self) -> str:
        return f"{self.group}[{self.index}]"


class ExampleError(ValueError):
    """An example that is not a valid record (or asks for what it cannot)."""


def examples(rule: Rule) -> list[Example]:
    return [Example("fire", i, e) for i, e in enumerate(rule.spec.examples.fire)] + [
        Example("pass", i, e) for i, e in enumerate(rule.spec.examples.pass_)
    ]


def _record(rule: Rule, example: Example, data: dict[str, Any]):
    """The record an example describes: of the rule's kind, or of the kind its observations are found in."""
    schema = rule.schema
    if schema.parent is not None:
        schema = RULE_SCHEMAS[schema.parent]
    if "text" in data:
        text = data.pop("text")
        if data:
            raise ExampleError(f"文本示例只能有 text（和 as_of、errors、output），多余的键：{sorted(data)}")
        if not schema.text_field:
            raise ExampleError(f"{schema.label}记录不能写成文本示例")
        name = f"{rule.id}/{example.tag}"
        raw = RawRecord(
            rule.source,
            schema.kind,
            1,
            None,
            {"id": name, schema.text_field: str(text)},
            attributes={"id": name, "origin": "example", "text_line": 1},  # a rule example: text, never a file
        )
    else:
        fields: dict[str, Any] = {
            spec.name: f"{rule.id} 示例 {example.tag}"
            for spec in schema.fields
            if spec.required and spec.kind == "text"
        }
        fields["id"] = f"{rule.id}/{example.tag}"
        unknown = []
        for key, value in data.items():
            name = resolve_field(schema, str(key))
            if name is None:
                unknown.append(str(key))
            else:
                fields[name] = value
        raw = RawRecord(rule.source, schema.kind, 1, None, fields, unknown_fields=unknown)
    record, issues = normalize(raw)
    problems = [i.message for i in issues if i.severity == "error" or i.code == "INPUT-UNKNOWN-FIELD"]
    if record is None or problems:
        raise ExampleError("；".join(problems))
    return record


def subjects(rule: Rule, example: Example) -> tuple[list[tuple[Any, dict[str, Any]]], dict[str, Any]]:
    """(the example's (subject, fact) pairs of the rule's kind, what the example asserts beyond firing)."""
    data = dict(example.data)
    raw_as_of = data.pop("as_of", EXAMPLE_AS_OF)
    as_of = raw_as_of if isinstance(raw_as_of, date) else date.fromisoformat(str(raw_as_of))
    asserts = {key: data.pop(key) for key in ("errors", "output") if key in data}
    if asserts and not example.expected:
        raise ExampleError("只有 fire 示例可写 errors / output")
    if "output" in asserts and "text" not in data:
        raise ExampleError("output 只能用于文本示例")
    if "text" in data:
        asserts["text"] = str(data["text"])
    record = _record(rule, example, data)
    if LANGUAGE.example_subjects is None:
        raise ExampleError("未安装任何领域，无法由示例生成事实（请先调用 checker.domains.install()）")
    pairs = LANGUAGE.example_subjects(record, as_of)
    return [(s, f) for s, f in pairs if s.kind == rule.kind], asserts


def check_example(rule: Rule, example: Example, fires: Callable[[Rule, dict[str, Any]], bool]) -> list[str]:
    """What is wrong with one example under one evaluator (`fires(rule, fact)`); [] when it holds."""
    try:
        pairs, asserts = subjects(rule, example)
    except (ExampleError, ValueError, TypeError) as exc:
        return [f"不是有效记录：{exc}"]
    fired = [(s, f) for s, f in pairs if fires(rule, f)]
    if bool(fired) != example.expected:
        return ["应触发却未触发" if example.expected else "不应触发却触发了"]
    problems: list[str] = []
    if "errors" in asserts:
        problems.extend(_check_errors(rule, fired, asserts["errors"]))
    if "output" in asserts:
        fixes = [rule.fix_for(s, f) for s, f in fired]
        edits = [fix.edits[0] for fix in fixes if fix is not None and fix.applies()]
        output = apply_edits(asserts["text"], without_overlaps(edits))
        if output != str(asserts["output"]):
            problems.append(f"修正后的文本应为“{asserts['output']}”，实际为“{output}”")
    return problems


def _check_errors(rule: Rule, fired: list, expected: Any) -> list[str]:
    if not isinstance(expected, list) or not all(isinstance(e, dict) and set(e) <= set(_ERROR_KEYS) for e in expected):
        return [f"errors 应为映射的列表，每项可有 {'、'.join(_ERROR_KEYS)}"]
    if len(expected) != len(fired):
        return [f"应触发 {len(expected)} 处，实际 {len(fired)} 处"]
    problems = []
    for n, ((subject, fact), want) in enumerate(zip(fired, expected), start=1):
        got = {
            "message": rule.message(subject, fact),
            "line": getattr(subject, "line", None),
            "column": getattr(subject, "column", None),
            "end_column": getattr(subject, "end_column", None),
        }
        for key, value in want.items():
            if got[key] != value:
                problems.append(f"第 {n} 处的 {key} 应为 {value!r}，实际为 {got[key]!r}")
    return problems


def verify_examples(rule: Rule, fail) -> None:
    """At load: every example must hold with the plain-Python evaluator; the first failure is a rule-file error."""
    from checker.rules.conditions import holds

    for example in examples(rule):
        problems = check_example(rule, example, lambda r, fact: holds(r.condition, fact))
        if problems:
            text = problems[0]
            if text in ("应触发却未触发", "不应触发却触发了"):
                text += "：规则与自己的示例不一致"
            raise fail(f"examples.{example.tag} {text}", "examples")
