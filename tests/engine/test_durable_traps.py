"""One test per durable-rules trap in ../shared/notes/durable-rules.md.

Each would fail if the wrapper stopped guarding against its trap.
"""

import threading
from typing import Any

import pytest

from checker.core.errors import EngineError
from checker.engine.durable import DurableEvaluator
from checker.engine.python import PythonEvaluator
from checker.rules.loader import load_rulebook
from checker.run.facts import to_fact
from tests.conftest import build


def project(**values) -> Any:
    return build("project", source="t", **{"id": "P", "name": "项目", **values})


def rule(rule_id, when, fire, pass_):
    return {"id": rule_id, "when": when, "examples": {"fire": fire, "pass": pass_}}


@pytest.fixture
def three_rules(make_pack):
    return load_rulebook(
        [
            make_pack(
                [
                    rule(
                        "T-LOW",
                        {"field": "prefab_rate_pct", "lt": 50},
                        [{"prefab_rate_pct": 10}],
                        [{"prefab_rate_pct": 60}],
                    ),
                    rule("T-GOV", {"field": "investment", "eq": "government"}, [{"investment": "government"}], [{}]),
                    rule(
                        "T-PUB",
                        {"field": "category", "in": ["public", "affordable_housing"]},
                        [{"category": "public"}],
                        [{"category": "industrial"}],
                    ),
                ]
            )
        ]
    )


def fired(evaluator, book, record):
    return evaluator.fired(book.packs[0], to_fact(record))


def core_with(real, **calls):
    """durable's C core with some of its calls replaced; the others go to the real one."""

    class Core:
        def __getattr__(self, name):
            return calls[name] if name in calls else getattr(real, name)

    return Core()


def test_registry_two_engines_coexist_without_threads(three_rules):
    before = threading.active_count()
    first, second = DurableEvaluator(three_rules), DurableEvaluator(three_rules)
    record = project(prefab_rate_pct=10)
    assert fired(first, three_rules, record) == fired(second, three_rules, record) == {"T-LOW"}
    assert threading.active_count() == before  # the default Host would start 2 timer threads each


def test_every_matching_rule_fires_not_just_one(three_rules):
    engine = DurableEvaluator(three_rules)
    record = project(prefab_rate_pct=10, investment="government", category="public")
    assert fired(engine, three_rules, record) == {"T-LOW", "T-GOV", "T-PUB"}


def test_same_content_twice_and_different_records_same_content(three_rules):
    engine = DurableEvaluator(three_rules)
    a = project(id="A", prefab_rate_pct=10)
    b = project(id="A", prefab_rate_pct=10)  # identical facts: identity would collide without the key
    for _ in range(3):
        engine._verdicts.clear()  # the engine itself sees the same content again (not the remembered verdict)
        assert fired(engine, three_rules, a) == {"T-LOW"}
        engine._verdicts.clear()
        assert fired(engine, three_rules, b) == {"T-LOW"}


def test_a_fact_of_known_content_gets_its_verdict_without_the_engine(three_rules, monkeypatch):
    """Observations of one document differ mostly in where they stand, which no rule reads: the verdict of a
    content already evaluated is reused (the engine is not asked again), and a different content is evaluated."""
    engine = DurableEvaluator(three_rules)
    asserted = []
    real = engine._core

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def assert_fact(self, handle, text):
            asserted.append(text)
            return real.assert_fact(handle, text)

    engine._core = Counting()
    low, high = project(id="A", prefab_rate_pct=10), project(id="B", prefab_rate_pct=60)
    assert [fired(engine, three_rules, r) for r in (low, low, high, project(id="C", prefab_rate_pct=10))] == [
        {"T-LOW"},
        {"T-LOW"},
        set(),
        {"T-LOW"},  # another id, the same content the rules read
    ]
    assert len(asserted) == 2
    first = fired(engine, three_rules, low)
    first.add("changed")  # the caller's set is its own: the remembered verdict is not touched
    assert fired(engine, three_rules, low) == {"T-LOW"} and len(asserted) == 2
    engine.forget_verdicts()  # what the benchmark does before timing a round: the engine is asked again
    assert fired(engine, three_rules, low) == {"T-LOW"} and len(asserted) == 3


def test_no_rule_matches_means_no_finding(three_rules):
    engine = DurableEvaluator(three_rules)
    assert fired(engine, three_rules, project(prefab_rate_pct=90, category="industrial")) == set()
    # and the engine keeps working afterwards
    assert fired(engine, three_rules, project(prefab_rate_pct=10)) == {"T-LOW"}


def test_rule_made_only_of_a_missing_field_test_terminates(make_pack):
    book = load_rulebook(
        [
            make_pack(
                [
                    rule("T-NO-RATE", {"field": "prefab_rate_pct", "missing": True}, [{}], [{"prefab_rate_pct": 5}]),
                ]
            )
        ]
    )
    engine = DurableEvaluator(book)
    assert fired(engine, book, project()) == {"T-NO-RATE"}
    assert fired(engine, book, project(prefab_rate_pct=5)) == set()
    assert fired(engine, book, project()) == {"T-NO-RATE"}


def test_mixed_types_are_normalized_before_the_engine(make_pack):
    book = load_rulebook(
        [
            make_pack(
                [
                    rule(
                        "T-OVER-60",
                        {"field": "prefab_rate_pct", "gt": 60},
                        [{"prefab_rate_pct": 70}],
                        [{"prefab_rate_pct": 50}],
                    ),
                ]
            )
        ]
    )
    engine = DurableEvaluator(book)
    # "50" as text would compare as text ("50" > 60 is true for durable); normalized it is the number 50
    record = build("project", source="t", id="M", name="m", prefab_rate_pct="50")
    assert to_fact(record)["prefab_rate_pct"] == 50.0
    assert fired(engine, book, record) == set()
    assert fired(engine, book, build("project", source="t", id="M", name="m", prefab_rate_pct="70")) == {"T-OVER-60"}


def test_none_values_never_reach_the_engine(three_rules, make_pack):
    fact = to_fact(project(investment=None, prefab_rate_pct=None))
    assert None not in fact.values() and "investment" not in fact
    book = load_rulebook(
        [
            make_pack(
                [
                    rule("T-NOT-GOV", {"field": "investment", "ne": "government"}, [{"investment": "social"}], [{}]),
                    rule("T-HAS-RATE", {"field": "prefab_rate_pct", "present": True}, [{"prefab_rate_pct": 1}], [{}]),
                ]
            )
        ]
    )
    engine = DurableEvaluator(book)
    assert fired(engine, book, project(investment=None, prefab_rate_pct=None)) == set()
    assert fired(engine, book, project(investment="social", prefab_rate_pct=1)) == {"T-NOT-GOV", "T-HAS-RATE"}


def test_long_strings_are_capped_before_the_engine():
    fact = to_fact(project(name="长" * 1500, id="I" * 1500))
    assert all(len(v) <= 1000 for v in fact.values() if isinstance(v, str))
    assert "id" not in fact and "sid" not in fact  # durable would take them as identity / session


def test_regex_operator_is_not_offered(make_pack):
    from checker.core.errors import RuleFileError

    directory = make_pack([rule("T-RE", {"field": "name", "matches": "%d+"}, [{}], [{}])])
    with pytest.raises(RuleFileError, match="未知的键或运算符"):
        load_rulebook([directory])


def test_a_record_that_breaks_many_rules_at_once(make_pack):
    rules = [
        rule(f"T-MANY-{i}", {"field": "prefab_rate_pct", "gt": i}, [{"prefab_rate_pct": 100}], [{"prefab_rate_pct": 0}])
        for i in range(70)
    ]
    book = load_rulebook([make_pack(rules)])
    engine = DurableEvaluator(book)
    hits = fired(engine, book, project(prefab_rate_pct=100))
    assert len(hits) == 70  # past 64 firings durable raises error 303 unless the pack is split
    assert fired(engine, book, project(prefab_rate_pct=35)) == {f"T-MANY-{i}" for i in range(35)}


def test_or_branches_fire_once_per_true_branch_and_are_budgeted(make_pack):
    values = ["commercial_residential", "public", "industrial", "affordable_housing", "other"]
    rules = [
        rule(
            f"T-OR-{i}",
            {
                "any": [
                    {"field": "category", "in": values},
                    {"field": "prefab_rate_pct", "gte": 0},
                    {"field": "investment", "present": True},
                ]
            },
            [{"category": "public"}],
            [{}],
        )
        for i in range(20)
    ]
    book = load_rulebook([make_pack(rules)])
    engine = DurableEvaluator(book)
    record = project(category="public", prefab_rate_pct=1, investment="social")
    assert fired(engine, book, record) == {f"T-OR-{i}" for i in range(20)}


def test_no_python_action_exists_so_none_can_be_swallowed(three_rules, monkeypatch):
    """durable swallows an action's exception into the session state; checker's rulesets carry no action at all
    (only each rule's conditions go to the C core), and the fired rules are read from the core's pending actions."""
    created = []
    real_create = DurableEvaluator._create

    def create(self, name, definition):
        created.append(definition)
        return real_create(self, name, definition)

    monkeypatch.setattr(DurableEvaluator, "_create", create)
    engine = DurableEvaluator(three_rules)
    assert [sorted(rule) for definition in created for rule in definition.values()] == [["all"]] * 3
    assert fired(engine, three_rules, project(prefab_rate_pct=10, investment="government")) == {"T-LOW", "T-GOV"}
    assert fired(engine, three_rules, project(prefab_rate_pct=90)) == set()


def test_a_failing_or_unreadable_action_call_breaks_the_engine(three_rules):
    """The action calls of the C core: an error, or a pending action naming no rule of ours, is never taken as
    "no finding", and the engine stays marked broken."""

    def error_501(handle, offset):
        raise RuntimeError("error 501")

    engine = DurableEvaluator(three_rules)
    real = engine._core
    engine._core = core_with(real, complete_and_start_action=error_501)
    with pytest.raises(EngineError, match="error 501"):
        fired(engine, three_rules, project(prefab_rate_pct=10))
    engine._core = real
    with pytest.raises(EngineError):
        fired(engine, three_rules, project(prefab_rate_pct=90))

    engine = DurableEvaluator(three_rules)
    engine._core = core_with(real, start_action_for_state=lambda handle, offset: ("{}", '{"NOT-OURS":{"m":{}}}'))
    with pytest.raises(EngineError, match="未知规则 NOT-OURS"):
        fired(engine, three_rules, project(prefab_rate_pct=10))

    engine = DurableEvaluator(three_rules)
    pending = {"message": '{"T\\u002dLOW":{"m":{}}}'}
    engine._core = core_with(
        real,
        start_action_for_state=lambda handle, offset: ("{}", pending["message"]),
        complete_and_start_action=lambda handle, offset: None,
    )
    assert fired(engine, three_rules, project(prefab_rate_pct=10)) == {"T-LOW"}  # an escaped key: read as JSON
    pending["message"] = "not json"
    with pytest.raises(EngineError, match="无法识别的动作"):
        fired(engine, three_rules, project(prefab_rate_pct=11))


def test_clean_record_between_firing_ones_does_not_disturb(three_rules):
    engine = DurableEvaluator(three_rules)
    results = [fired(engine, three_rules, project(prefab_rate_pct=r)) for r in (10, 90, 10, 90)]
    assert results == [{"T-LOW"}, set(), {"T-LOW"}, set()]


def test_two_threads_share_one_engine_correctly(three_rules):
    engine = DurableEvaluator(three_rules)
    python = PythonEvaluator(three_rules)
    records = [
        project(
            id=str(i),
            prefab_rate_pct=i % 100,
            investment=("government" if i % 3 else "social"),
            category=("public" if i % 2 else "industrial"),
        )
        for i in range(400)
    ]
    expected = [python.fired(three_rules.packs[0], to_fact(r)) for r in records]
    results: dict[int, list] = {}

    def worker(n: int) -> None:
        results[n] = [fired(engine, three_rules, r) for r in records]

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == expected and results[1] == expected


def test_fallback_when_durable_cannot_import(book, monkeypatch, capsys):
    import builtins

    import checker.engine as engine_module

    real_import = builtins.__import__

    def no_durable(name, *args, **kwargs):
        if name.startswith("durable"):
            raise ImportError("undefined symbol: PyEval_CallObject")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_durable)
    monkeypatch.setattr(engine_module, "_fallback_warned", False)
    first = engine_module.make_evaluator(book)
    second = engine_module.make_evaluator(book)
    assert first.name == second.name == "python"
    err = capsys.readouterr().err
    assert err.count("无法导入 durable-rules") == 1  # said once, on stderr


def test_numbers_durable_cannot_parse_are_kept_out(make_pack):
    """Found by the property test: durable rejects 1e-05 / 1e+16 (error 204); facts avoid that notation."""
    book = load_rulebook(
        [
            make_pack(
                [
                    rule(
                        "T-POSITIVE",
                        {"field": "prefab_rate_pct", "lt": 50},
                        [{"prefab_rate_pct": 1}],
                        [{"prefab_rate_pct": 60}],
                    ),
                ]
            )
        ]
    )
    engine = DurableEvaluator(book)
    for tiny in (1e-05, 5e-05, 1e-9):
        assert to_fact(project(prefab_rate_pct=tiny))["prefab_rate_pct"] == 0
        assert fired(engine, book, project(prefab_rate_pct=tiny)) == {"T-POSITIVE"}
    assert fired(engine, book, project(prefab_rate_pct=1.5e-4)) == {"T-POSITIVE"}


def test_rule_literal_outside_engine_range_is_rejected(make_pack):
    from checker.core.errors import RuleFileError

    directory = make_pack([rule("T-TINY", {"field": "prefab_rate_pct", "gt": 1e-05}, [{"prefab_rate_pct": 1}], [{}])])
    with pytest.raises(RuleFileError, match="超出规则引擎可比较的范围"):
        load_rulebook([directory])


def test_core_results_other_than_match_or_no_match_break_the_engine(three_rules):
    """fired_all calls durable's C module directly: "observed twice" (2) or an error is never taken as no finding."""

    def error_301(handle, text):
        raise RuntimeError("error 301")

    engine = DurableEvaluator(three_rules)
    real = engine._core
    engine._core = core_with(real, assert_fact=lambda handle, text: (2, 0))
    with pytest.raises(EngineError, match="重复提交"):
        fired(engine, three_rules, project(prefab_rate_pct=10))
    engine._core = real
    with pytest.raises(EngineError):  # and the engine stays marked broken
        fired(engine, three_rules, project(prefab_rate_pct=90))

    engine = DurableEvaluator(three_rules)
    engine._core = core_with(real, assert_fact=error_301)
    with pytest.raises(EngineError, match="error 301"):
        fired(engine, three_rules, project(prefab_rate_pct=10))


def test_rulesets_of_kinds_the_command_does_not_check_are_registered_on_first_use(book, python_eval):
    """lint checks documents: the subsidy rules are compiled only if a project is ever evaluated, and then
    give what the plain-Python evaluator gives."""
    engine = DurableEvaluator(book, kinds={"document"})
    assert set(engine._handles) == {"document"}
    record = project(prefab_rate_pct=10, floor_area_m2=5000, investment="government")
    fact = to_fact(record)
    packs = book.packs_for("project")
    fired_by_pack = {p.id: engine.fired(p, fact, "project") for p in packs}
    assert fired_by_pack == {p.id: python_eval.fired(p, fact, "project") for p in packs}
    assert "SUB-GOV-REFERRAL" in fired_by_pack["prefab-subsidy"]
    assert "project" in engine._handles
    assert set(DurableEvaluator(book)._handles) == {rule.kind for rule in book.rules}  # no kinds given: all now
