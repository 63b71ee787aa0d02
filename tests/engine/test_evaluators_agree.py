"""durable-rules and the plain-Python evaluator must agree: on every rule example and every example record."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.inputs.reader import read_records
from checker.inputs.walk import iter_input_files
from checker.records.normalize import normalize
from checker.rules.examples import examples, subjects
from checker.run.facts import to_fact
from tests.conftest import EXAMPLES, build


def test_every_rule_example_on_both_evaluators(book, durable, python_eval):
    checked = 0
    for rule in book.rules:
        for example in examples(rule):
            fired_any = False
            for _, fact in subjects(rule, example)[0]:
                d = durable.fired(rule.pack, fact, rule.kind)
                p = python_eval.fired(rule.pack, fact, rule.kind)
                assert d == p, (rule.id, example)
                fired_any = fired_any or rule.id in d
            assert fired_any == example.expected, (rule.id, example)
            checked += 1
    assert checked == sum(len(r.spec.examples.fire) + len(r.spec.examples.pass_) for r in book.rules) >= 25


def test_every_example_record_on_both_evaluators(book, durable, python_eval):
    count = 0
    for path in iter_input_files([str(EXAMPLES)], {".csv", ".xlsx", ".yaml", ".json"}):
        for raw in read_records(path):
            record, _ = normalize(raw)
            if record is None:
                continue
            fact = to_fact(record)
            for pack in book.packs_for(record.kind):
                assert durable.fired(pack, fact) == python_eval.fired(pack, fact), (path, record.id)
                count += 1
    assert count >= 32


categories = st.sampled_from([None, "commercial_residential", "public", "industrial", "affordable_housing", "other"])
dates = st.one_of(
    st.none(),
    st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2027, 12, 31)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=categories,
    investment=st.sampled_from([None, "government", "social"]),
    area=st.one_of(st.none(), st.floats(min_value=0.01, max_value=300000)),
    rate=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    accepted=dates,
)
def test_random_projects_agree(book, durable, python_eval, category, investment, area, rate, accepted):
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
    for pack in book.packs_for("project"):
        assert durable.fired(pack, fact) == python_eval.fired(pack, fact)
