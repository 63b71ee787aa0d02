"""The one example runner: must-fire / must-not-fire, and what a fire example says its finding looks like."""

from __future__ import annotations

import pytest

from checker.core.errors import RuleFileError
from checker.rules.examples import Example, check_example, examples
from checker.rules.loader import load_rulebook

TYPO_RULE = {
    "id": "T-TYPO",
    "category": "typo",
    "severity": "warning",
    "when": {"field": "quoted", "eq": False},
    "message": "“{raw}”应为“{suggestion}”",
    "autofix": "safe",
}


def _typo_pack(make_pack, fire: dict, **rule):
    full = {**TYPO_RULE, **rule, "examples": {"fire": [fire], "pass": [{"text": "按照文件要求办理。"}]}}
    return make_pack([full], applies_to="typo")


def test_a_fire_example_may_pin_message_position_and_fixed_text(make_pack):
    fire = {
        "text": "请接照要求，接照执行。",
        "output": "请按照要求，按照执行。",
        "errors": [{"message": "“接照”应为“按照”", "line": 1, "column": 2, "end_column": 4}, {"line": 1, "column": 7}],
    }
    book = load_rulebook([_typo_pack(make_pack, fire)])
    rule = book.rules[0]
    assert [e.tag for e in examples(rule)] == ["fire[0]", "pass[0]"]
    assert check_example(rule, examples(rule)[0], lambda r, fact: True) == []


@pytest.mark.parametrize(
    ("fire", "problem"),
    [
        (
            {"text": "接照执行。", "output": "按照执行"},
            "examples.fire[0] 修正后的文本应为“按照执行”，实际为“按照执行。”",
        ),
        (
            {"text": "接照执行。", "errors": [{"message": "错"}]},
            "examples.fire[0] 第 1 处的 message 应为 '错'，实际为 '“接照”应为“按照”'",
        ),
        ({"text": "接照执行。", "errors": [{"column": 2}]}, "examples.fire[0] 第 1 处的 column 应为 2，实际为 1"),
        ({"text": "接照执行，接照办理。", "errors": [{"column": 1}]}, "examples.fire[0] 应触发 1 处，实际 2 处"),
        ({"text": "接照执行。", "errors": [{"colum": 1}]}, "examples.fire[0] errors 应为映射的列表"),
    ],
)
def test_a_wrong_assertion_is_a_load_error_naming_the_rule(make_pack, fire, problem):
    with pytest.raises(RuleFileError) as info:
        load_rulebook([_typo_pack(make_pack, fire)])
    assert info.value.rule_id == "T-TYPO" and info.value.message.startswith(problem)


def test_an_unsafe_fix_is_not_in_the_output(make_pack):
    """The fixed text is what --fix would write: a rule capped at display applies nothing."""
    book = load_rulebook([_typo_pack(make_pack, {"text": "接照执行。", "output": "接照执行。"}, autofix="display")])
    assert book.rules[0].autofix == "display"


def test_assertions_belong_to_fire_examples_and_output_to_text(make_pack):
    book = load_rulebook([_typo_pack(make_pack, {"text": "接照执行。"})])
    rule = book.rules[0]
    fires = lambda r, fact: True  # noqa: E731
    assert check_example(rule, Example("pass", 0, {"text": "x", "output": "y"}), fires) == [
        "不是有效记录：只有 fire 示例可写 errors / output"
    ]
    project = load_rulebook(
        [
            make_pack(
                [
                    {
                        "id": "T-RATE",
                        "when": {"field": "prefab_rate_pct", "lt": 50},
                        "examples": {"fire": [{"prefab_rate_pct": 20}], "pass": [{"prefab_rate_pct": 60}]},
                    }
                ]
            )
        ]
    ).rules[0]
    assert check_example(project, Example("fire", 0, {"prefab_rate_pct": 20, "output": "x"}), fires) == [
        "不是有效记录：output 只能用于文本示例"
    ]
    assert (
        check_example(project, Example("fire", 0, {"prefab_rate_pct": 20, "errors": [{"message": "测试消息"}]}), fires)
        == []
    )


def test_test_rules_reports_a_failing_assertion_per_evaluator(cli, make_pack):
    directory = _typo_pack(make_pack, {"text": "接照执行。"})
    rule_file = directory / "T-TYPO.yaml"
    rule_file.write_text(
        rule_file.read_text(encoding="utf-8").replace("- text: 接照执行。", "- text: 接照执行。\n    output: 错的"),
        encoding="utf-8",
    )
    result = cli("test-rules", directory, "--no-color")
    assert result.code == 1
    assert "FAIL T-TYPO  fire[0] 修正后的文本应为“错的”，实际为“按照执行。”（python）；" in result.out
    assert "（durable）" in result.out
