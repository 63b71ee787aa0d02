"""The fast JSON explanations must equal the `Check` trees they replace, byte for byte."""

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.rules.conditions import decisive, explain, explain_json, leaves
from checker.rules.examples import examples, subjects
from checker.run.facts import to_fact
from checker.run.pipeline import run
from tests.conftest import EXAMPLES, build


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_every_rule_example_explains_alike(book):
    count = 0
    for rule in book.rules:
        for example in examples(rule):
            for _, fact in subjects(rule, example)[0]:
                for cond in (rule.condition, *rule.extra.values()):
                    check = explain(cond, fact)
                    assert explain_json(cond, fact) == (check.passed, _compact(check.to_json())), (rule.id, example)
                    count += 1
    assert count >= 60


def _decided_by(check) -> list[tuple[str, bool]]:
    """The deciding leaves read off the explanation tree, as a reviewer would: `decisive`'s reference."""
    if not check.children:
        return [(check.text, check.passed)]
    if check.passed:
        if check.mode == "any":
            return _decided_by(next(child for child in check.children if child.passed))
        return [leaf for child in check.children for leaf in _decided_by(child)]
    if check.mode == "any":
        return _decided_by(min(check.children, key=lambda child: len(_decided_by(child))))
    return [leaf for child in check.children if not child.passed for leaf in _decided_by(child)]


def test_the_deciding_leaves_are_those_the_explanation_shows(book):
    count = 0
    for rule in book.rules:
        for example in examples(rule):
            for _, fact in subjects(rule, example)[0]:
                check = explain(rule.condition, fact)
                passed, found = decisive(rule.condition, fact)
                assert (passed, [(leaf.text, ok) for leaf, ok in found]) == (check.passed, _decided_by(check))
                assert all(ok == passed for _, ok in found)
                count += 1
    assert count >= 60


def test_subsidy_outcome_text_equals_its_dict(book, durable):
    result = run([str(EXAMPLES)], book, durable, date(2025, 11, 25))
    outcomes = list(result.sections["subsidies"])
    assert len(outcomes) >= 16
    assert any(o.hypothetical is not None for o in outcomes)  # a pending project's what-if is written too
    assert any(o.notes for o in outcomes) and any(o.referral_reasons for o in outcomes)
    for outcome in outcomes:
        assert outcome.to_json_text() == _compact(outcome.to_json()), outcome.record.id


def test_the_show_cache_tells_types_apart(book):
    rule = next(r for r in book.rules if any(leaf.field == "prefab_rate_pct" for leaf in leaves(r.condition)))
    for fact in ({"prefab_rate_pct": 1}, {"prefab_rate_pct": 1.0}, {"prefab_rate_pct": True}, {}):
        check = explain(rule.condition, fact)
        assert explain_json(rule.condition, fact)[1] == _compact(check.to_json())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from([None, "commercial_residential", "public", "industrial", "affordable_housing"]),
    investment=st.sampled_from([None, "government", "social"]),
    area=st.one_of(st.none(), st.floats(min_value=0.01, max_value=300000)),
    rate=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    accepted=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))),
)
def test_random_projects_explain_alike(book, category, investment, area, rate, accepted):
    record = build(
        "project",
        source="h",
        id="R",
        name="随机",
        category=category,
        investment=investment,
        floor_area_m2=area,
        prefab_rate_pct=rate,
        completion_acceptance_date=accepted,
    )
    fact = to_fact(record)
    for rule in [r for r in book.rules if r.kind == "project"]:
        for cond in (rule.condition, *rule.extra.values()):
            check = explain(cond, fact)
            assert explain_json(cond, fact)[1] == _compact(check.to_json())
            passed, found = decisive(cond, fact)
            assert (passed, [(leaf.text, ok) for leaf, ok in found]) == (check.passed, _decided_by(check))


def test_every_operator_and_nesting_decides_as_the_explanation_shows(book):
    """A tree of every operator, `any` inside `all` inside `any`, on facts that miss, hold and fail each leaf."""
    from checker.records.fields import RULE_SCHEMAS
    from checker.rules.conditions import parse_condition

    schema = RULE_SCHEMAS["project"]
    raw = {
        "any": [
            {
                "all": [
                    {"field": "floor_area_m2", "gte": 100},
                    {
                        "any": [
                            {"field": "category", "in": ["public", "industrial"]},
                            {"field": "investment", "eq": "social"},
                        ]
                    },
                    {"field": "prefab_rate_pct", "missing": True},
                ]
            },
            {"all": [{"field": "category", "not_in": ["public"]}, {"field": "floor_area_m2", "lt": 50}]},
            {"field": "investment", "present": True, "label": "填了投资类型"},
            {"field": "prefab_rate_pct", "ne": 30},
        ]
    }
    cond = parse_condition(raw, schema, {})
    facts = [
        {},
        {"floor_area_m2": 100.0},
        {"floor_area_m2": 100.0, "category": "public"},
        {"floor_area_m2": 100.0, "investment": "social", "prefab_rate_pct": 30.0},
        {"floor_area_m2": 10.0, "category": "industrial", "prefab_rate_pct": 30.0},
        {"floor_area_m2": 10.0, "category": "public", "prefab_rate_pct": 30.0},
        {"floor_area_m2": None, "prefab_rate_pct": 31.0},
    ]
    seen = set()
    for fact in facts:
        check = explain(cond, fact)
        passed, found = decisive(cond, fact)
        assert (passed, [(leaf.text, ok) for leaf, ok in found]) == (check.passed, _decided_by(check)), fact
        seen.add((passed, len(found)))
    assert {passed for passed, _ in seen} == {True, False}
