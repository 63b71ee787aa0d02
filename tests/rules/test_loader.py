"""Rule files are validated on load: every defect names the file and the rule."""

import pytest
import yaml

from checker.core.errors import RuleFileError
from checker.rules.loader import load_rulebook

GOOD = {
    "id": "T-RATE-LOW",
    "when": {"field": "prefab_rate_pct", "lt": 50},
    "examples": {"fire": [{"prefab_rate_pct": 10}], "pass": [{"prefab_rate_pct": 60}]},
}


def load_error(make_pack, **changes) -> RuleFileError:
    rule = {**GOOD, **changes}
    directory = make_pack([rule])
    with pytest.raises(RuleFileError) as info:
        load_rulebook([directory])
    return info.value


def test_good_pack_loads(make_pack):
    book = load_rulebook([make_pack([GOOD])])
    assert [r.id for r in book.rules] == ["T-RATE-LOW"]


def test_shipped_rules_load(book):
    assert {p.id for p in book.packs} >= {"prefab-subsidy", "prefab-mandate"}
    assert len(book.digest) == 64


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"colour": "red"}, "未知的键“colour”"),
        ({"when": {"field": "prefab_rate_pct", "matches": "%d+"}}, "未知的键或运算符 ['matches']"),
        ({"when": {"field": "prefab_rate", "lt": 50}}, "未知字段“prefab_rate”"),
        ({"when": {"field": "prefab_rate_pct", "lt": "50"}}, "不是有限数值"),
        ({"when": {"field": "category", "eq": "villa"}}, "没有取值“villa”"),
        ({"when": {"field": "category", "lt": "public"}}, "只能用于数值或日期字段"),
        ({"when": {"field": "prefab_rate_pct", "lt": 50, "gt": 10}}, "恰有一个运算符"),
        ({"when": {"all": []}}, "非空列表"),
        ({"when": {"field": "prefab_rate_pct", "in": []}}, "非空列表"),
        ({"when": {"field": "completion_acceptance_date", "lt": "2023-13-01"}}, "YYYY-MM-DD"),
        ({"when": {"field": "prefab_rate_pct", "lt": "$nope"}}, "未定义的参数"),
        ({"severity": "fatal"}, "severity"),
        ({"category": "nonsense"}, "类别“nonsense”未在本规则包的 pack.yaml categories 中声明"),
        ({"message": "装配率 {prefab_rate_pct.__class__}"}, "占位符"),
        ({"message": "装配率 {rate}"}, "占位符“{rate}”"),
        ({"id": "lower-case"}, "id"),
        ({"examples": {"fire": [], "pass": [{"prefab_rate_pct": 60}]}}, "examples.fire"),
    ],
)
def test_defects_rejected_with_file_and_rule(make_pack, changes, fragment):
    error = load_error(make_pack, **changes)
    line = error.one_line()
    assert fragment in line
    assert "T-RATE-LOW.yaml" in line or "lower-case.yaml" in line


@pytest.mark.parametrize(
    "when",
    [
        {"all": [{"field": "prefab_rate_pct", "lt": 10}, {"field": "prefab_rate_pct", "gt": 20}]},
        {"all": [{"field": "prefab_rate_pct", "lt": 10}, {"field": "prefab_rate_pct", "gte": 10}]},
        {"all": [{"field": "category", "eq": "public"}, {"field": "category", "ne": "public"}]},
        {"all": [{"field": "investment", "in": ["government"]}, {"field": "investment", "not_in": ["government"]}]},
        {"all": [{"field": "prefab_rate_pct", "missing": True}, {"field": "prefab_rate_pct", "gt": 1}]},
        {
            "all": [
                {"field": "prefab_rate_pct", "gte": 50},
                {"field": "prefab_rate_pct", "lte": 50},
                {"field": "prefab_rate_pct", "ne": 50},
            ]
        },
    ],
)
def test_rule_that_can_never_fire_is_rejected(make_pack, when):
    error = load_error(make_pack, when=when)
    assert "永远不会触发" in error.one_line() and "T-RATE-LOW" in error.one_line()


def test_examples_that_disagree_are_rejected(make_pack):
    error = load_error(make_pack, examples={"fire": [{"prefab_rate_pct": 60}], "pass": [{"prefab_rate_pct": 70}]})
    assert "examples.fire[0] 应触发却未触发" in error.one_line()
    error = load_error(make_pack, examples={"fire": [{"prefab_rate_pct": 1}], "pass": [{"prefab_rate_pct": 2}]})
    assert "examples.pass[0] 不应触发却触发了" in error.one_line()


def test_example_with_bad_value_is_rejected(make_pack):
    error = load_error(make_pack, examples={"fire": [{"prefab_rate_pct": 500}], "pass": [{"prefab_rate_pct": 60}]})
    assert "不是有效记录" in error.one_line()


def test_duplicate_rule_ids_across_packs(make_pack):
    first = make_pack([GOOD], pack_id="pack-one")
    second = make_pack([GOOD], pack_id="pack-two")
    with pytest.raises(RuleFileError, match="规则 id 重复"):
        load_rulebook([first, second])


def test_malformed_yaml_rule_names_the_file(make_pack):
    directory = make_pack([GOOD])
    (directory / "BROKEN.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rulebook([directory])
    assert "BROKEN.yaml" in info.value.one_line() and "YAML 格式错误" in info.value.one_line()


def test_rule_files_are_read_safely(make_pack):
    directory = make_pack([GOOD])
    (directory / "EVIL.yaml").write_text("id: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rulebook([directory])
    assert "EVIL.yaml" in info.value.one_line() and "python/object" in info.value.one_line()


def test_params_and_labels_keep_numbers_in_one_place(make_pack):
    rule = {
        **GOOD,
        "params": {"limit": 50},
        "when": {"field": "prefab_rate_pct", "lt": "$limit", "label": "装配率低于 {limit}%"},
        "message": "装配率 {prefab_rate_pct}% 低于 {limit}%",
    }
    book = load_rulebook([make_pack([rule])])
    [loaded] = book.rules
    assert loaded.condition.value == 50 and loaded.condition.describe() == "装配率低于 50%"
    assert loaded.render_message({"prefab_rate_pct": "30"}) == "装配率 30% 低于 50%"


def test_cli_reports_bad_rule_dir_with_exit_2(make_pack, cli, tmp_path):
    directory = make_pack([{**GOOD, "when": {"field": "nope", "eq": 1}}])
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"projects": [{"id": "a", "name": "b"}]}, allow_unicode=True), encoding="utf-8")
    result = cli("check", path, "--rules", directory)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert "T-RATE-LOW.yaml" in line and "规则 T-RATE-LOW" in line and "未知字段“nope”" in line
