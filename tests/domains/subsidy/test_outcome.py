"""Every branch of the 新政办〔2022〕34号 reading, with exact amounts, on both evaluators."""

import json
from datetime import date
from decimal import Decimal

import pytest

from checker.domains.subsidy.outcome import evaluate_subsidy
from tests.conftest import build

AS_OF = date(2025, 11, 25)
OVERLAP = "2023年竣工验收的项目同时落入“2023年底前”和“2023年至2025年底”两档：按金额较高者计，适用档次需人工确认。"
RESIDENTIAL = "台账的建筑类别不是“商住建筑”，按商住建筑计入本档；条文的“商住建筑”是否包括单纯的住宅或商业建筑，请确认"
THIRTY = "装配率恰为 30%：条文“30%以上”未注“(含)”，按包括本数计（类推民法典第一千二百五十九条），请确认"
ANY_CATEGORY = (
    "本档条文未设面积门槛、未限定建筑类别，按字面适用于第一档未列的类别（工业建筑、保障性住房、其他）；是否适用，请确认"
)


@pytest.fixture(params=["durable", "python"])
def evaluator(request, durable, python_eval):
    return durable if request.param == "durable" else python_eval


@pytest.fixture
def decide(book, evaluator):
    pack = next(p for p in book.packs if p.id == "prefab-subsidy")

    def run(as_of=AS_OF, **values):
        record = build("project", source="t", **{"id": "P", "name": "测试项目", "investment": "social", **values})
        return evaluate_subsidy(record, pack, evaluator, as_of)

    return run


def test_window_one_residential(decide):
    o = decide(
        category="commercial_residential",
        floor_area_m2=25000,
        prefab_rate_pct=35,
        completion_acceptance_date=date(2022, 6, 30),
    )
    assert (o.status, o.eligible, o.amount_yuan, o.window.id) == (
        "eligible",
        True,
        Decimal("500000.00"),
        "SUB-COUNTY-2023",
    )
    assert not o.amount_is_ceiling and not o.municipal_referral and o.notes == []


def test_window_one_public_exact_thresholds_qualify(decide):
    o = decide(category="public", floor_area_m2=10000, prefab_rate_pct=30, completion_acceptance_date=date(2022, 1, 5))
    assert (o.status, o.amount_yuan) == ("eligible", Decimal("200000.00"))
    o = decide(
        category="commercial_residential",
        floor_area_m2=20000,
        prefab_rate_pct=30,
        completion_acceptance_date=date(2023, 12, 31),
    )
    assert (o.status, o.amount_yuan, o.window.id) == ("eligible", Decimal("400000.00"), "SUB-COUNTY-2023")


@pytest.mark.parametrize(
    "values",
    [
        dict(category="commercial_residential", floor_area_m2=19999.99, prefab_rate_pct=40),
        dict(category="public", floor_area_m2=9999, prefab_rate_pct=40),
        dict(category="public", floor_area_m2=15000, prefab_rate_pct=29.99),
        dict(category="industrial", floor_area_m2=50000, prefab_rate_pct=40),
        dict(category="affordable_housing", floor_area_m2=50000, prefab_rate_pct=40),
    ],
)
def test_window_one_thresholds_fail(decide, values):
    o = decide(completion_acceptance_date=date(2022, 6, 1), **values)
    assert (o.status, o.eligible, o.amount_yuan, o.window) == ("not_eligible", False, Decimal("0"), None)


def test_window_one_cap_and_referral_at_50(decide):
    o = decide(
        category="commercial_residential",
        floor_area_m2=120000,
        prefab_rate_pct=50,
        completion_acceptance_date=date(2022, 9, 15),
    )
    assert (o.amount_yuan, o.municipal_referral) == (Decimal("2000000.00"), True)
    assert o.referral_reasons == ["装配率达到 50%(含)以上，同时享受市级以上财政的补贴"]


def test_window_two_any_category_no_area_threshold_ceiling(decide):
    o = decide(
        category="industrial", floor_area_m2=8000, prefab_rate_pct=50, completion_acceptance_date=date(2024, 8, 20)
    )
    assert (o.status, o.amount_yuan, o.amount_is_ceiling, o.window.id) == (
        "eligible",
        Decimal("120000.00"),
        True,
        "SUB-REWARD-2025",
    )
    assert o.municipal_referral and o.amount_text() == "不超过 120,000"


def test_window_two_cap(decide):
    o = decide(
        category="other", floor_area_m2=200000, prefab_rate_pct=65, completion_acceptance_date=date(2025, 12, 31)
    )
    assert o.amount_yuan == Decimal("1500000.00")


def test_window_two_rate_below_50(decide):
    o = decide(
        category="public", floor_area_m2=11000, prefab_rate_pct=49.9, completion_acceptance_date=date(2024, 4, 18)
    )
    assert (o.status, o.amount_yuan) == ("not_eligible", Decimal("0"))


def test_2023_is_evaluated_under_both_windows_larger_amount_wins(decide):
    # W1: 20 × 30,000 = 600,000; W2: 15 × 30,000 = 450,000 → W1
    o = decide(
        category="commercial_residential",
        floor_area_m2=30000,
        prefab_rate_pct=55,
        completion_acceptance_date=date(2023, 6, 30),
    )
    assert (o.amount_yuan, o.window.id, o.amount_is_ceiling) == (Decimal("600000.00"), "SUB-COUNTY-2023", False)
    assert [w.holds for w in o.windows] == [True, True]
    assert o.notes == [] and o.needs_confirmation
    assert o.confirmation_reasons == [OVERLAP]
    assert o.municipal_referral


def test_2023_only_window_two_applies(decide):
    # industrial is not in window 1; window 2 pays 15 × 9,000 = 135,000 (ceiling)
    o = decide(
        category="industrial", floor_area_m2=9000, prefab_rate_pct=60, completion_acceptance_date=date(2023, 2, 1)
    )
    assert (o.amount_yuan, o.window.id, o.amount_is_ceiling) == (Decimal("135000.00"), "SUB-REWARD-2025", True)
    assert o.confirmation_reasons == [OVERLAP, ANY_CATEGORY] and o.notes == []


def test_government_investment_gets_no_county_subsidy(decide):
    o = decide(
        investment="government",
        category="public",
        floor_area_m2=30000,
        prefab_rate_pct=60,
        completion_acceptance_date=date(2023, 6, 1),
    )
    assert (o.status, o.eligible, o.amount_yuan, o.municipal_referral) == ("not_eligible", False, Decimal("0"), True)
    assert o.referral_reasons == ["政府投资项目享受市级以上有关奖励政策，不享受县级补助"]


def test_missing_investment_type_is_not_assumed_social(decide):
    o = decide(
        investment=None,
        category="public",
        floor_area_m2=30000,
        prefab_rate_pct=60,
        completion_acceptance_date=date(2024, 6, 1),
    )
    assert o.status == "not_eligible"


def test_pending_acceptance_with_what_if(decide):
    o = decide(category="commercial_residential", floor_area_m2=26000, prefab_rate_pct=52)
    assert (o.status, o.eligible, o.amount_yuan) == ("pending_acceptance", False, Decimal("0"))
    h = o.hypothetical
    assert o.hypothetical_date == AS_OF
    assert (h.eligible, h.amount_yuan, h.window.id, h.amount_is_ceiling) == (
        True,
        Decimal("390000.00"),
        "SUB-REWARD-2025",
        True,
    )


def test_pending_acceptance_after_policy_end(decide):
    o = decide(as_of=date(2026, 11, 28), category="commercial_residential", floor_area_m2=26000, prefab_rate_pct=52)
    assert o.status == "pending_acceptance" and o.hypothetical.status == "outside_window"


def test_psychiatric_hospital_case(decide):
    o = decide(
        investment="government",
        category="public",
        floor_area_m2=15000,
        prefab_rate_pct=30,
        permit_date=date(2024, 5, 31),
    )
    assert (o.status, o.eligible, o.amount_yuan, o.municipal_referral) == (
        "pending_acceptance",
        False,
        Decimal("0"),
        True,
    )
    assert not o.hypothetical.eligible


def test_accepted_after_2025_is_outside_the_windows(decide):
    o = decide(
        category="commercial_residential",
        floor_area_m2=30000,
        prefab_rate_pct=60,
        completion_acceptance_date=date(2026, 1, 1),
    )
    assert (o.status, o.eligible, o.amount_yuan) == ("outside_window", False, Decimal("0"))
    assert "不在政策各档期限内" in o.notes[0]


def test_fractional_amount_is_rounded_to_the_fen(decide):
    o = decide(
        category="public", floor_area_m2=12345.678, prefab_rate_pct=30, completion_acceptance_date=date(2022, 1, 1)
    )
    assert o.amount_yuan == Decimal("246913.56")


def test_policy_start_setting_bounds_window_one(make_pack, evaluator, tmp_path):
    """The policy's start date is rule data: setting it makes earlier acceptances fall outside."""
    import shutil

    from checker.domains.subsidy import PACKS
    from checker.engine.durable import DurableEvaluator
    from checker.engine.python import PythonEvaluator
    from checker.rules.loader import load_rulebook

    copy = tmp_path / "prefab-subsidy"
    shutil.copytree(PACKS / "prefab-subsidy", copy)
    pack_file = copy / "pack.yaml"
    pack_file.write_text(
        pack_file.read_text(encoding="utf-8").replace("value: null", "value: 2022-01-01"), encoding="utf-8"
    )
    book = load_rulebook([copy])
    engine = DurableEvaluator(book) if evaluator.name == "durable" else PythonEvaluator(book)
    record = build(
        "project",
        source="t",
        id="E",
        name="早",
        investment="social",
        category="public",
        floor_area_m2=20000,
        prefab_rate_pct=40,
        completion_acceptance_date=date(2021, 12, 31),
    )
    assert evaluate_subsidy(record, book.packs[0], engine, AS_OF).status == "outside_window"
    later = record.replace(completion_acceptance_date=date(2022, 1, 1))
    assert evaluate_subsidy(later, book.packs[0], engine, AS_OF).amount_yuan == Decimal("400000.00")


# ------------------------------------------------------------ readings a reviewer must confirm


def test_a_plain_case_needs_no_confirmation(decide):
    o = decide(category="商住", floor_area_m2=25000, prefab_rate_pct=35, completion_acceptance_date=date(2022, 6, 30))
    assert (o.status, o.needs_confirmation, o.confirmation_reasons) == ("eligible", False, [])
    assert o.to_json()["needs_confirmation"] is False and o.to_json()["confirmation_reasons"] == []


@pytest.mark.parametrize("category", ["industrial", "affordable_housing", "other"])
def test_a_category_the_first_window_does_not_list_qualifying_only_under_the_second(decide, category):
    o = decide(category=category, floor_area_m2=9000, prefab_rate_pct=60, completion_acceptance_date=date(2024, 3, 1))
    assert (o.status, o.window.id) == ("eligible", "SUB-REWARD-2025")
    assert o.confirmation_reasons == [ANY_CATEGORY]
    # the same project under the second window, but commercial-residential: the text plainly covers it
    o = decide(
        category="commercial_residential",
        floor_area_m2=9000,
        prefab_rate_pct=60,
        completion_acceptance_date=date(2024, 3, 1),
    )
    assert (o.window.id, o.needs_confirmation) == ("SUB-REWARD-2025", False)


def test_a_project_accepted_in_2023_says_both_windows_only_when_it_qualifies(decide):
    o = decide(
        category="commercial_residential",
        floor_area_m2=25000,
        prefab_rate_pct=35,
        completion_acceptance_date=date(2023, 5, 1),
    )
    assert (o.window.id, o.confirmation_reasons, o.notes) == ("SUB-COUNTY-2023", [OVERLAP], [])
    o = decide(  # qualifies under neither: nothing to confirm, and no note about the two windows
        category="commercial_residential",
        floor_area_m2=25000,
        prefab_rate_pct=20,
        completion_acceptance_date=date(2023, 5, 1),
    )
    assert (o.status, o.confirmation_reasons, o.notes) == ("not_eligible", [], [])


@pytest.mark.parametrize("ledger_value", ["住宅", "住宅建筑", "商业建筑"])
def test_a_category_from_an_ambiguous_ledger_value(decide, ledger_value):
    o = decide(
        category=ledger_value, floor_area_m2=25000, prefab_rate_pct=35, completion_acceptance_date=date(2022, 6, 30)
    )
    assert (o.status, o.amount_yuan) == ("eligible", Decimal("500000.00"))
    assert o.confirmation_reasons == [RESIDENTIAL]
    data = o.to_json()
    assert data["needs_confirmation"] is True and data["confirmation_reasons"] == [RESIDENTIAL]
    shown = "商业建筑" if ledger_value == "商业建筑" else "住宅建筑"
    assert data["reasons"][2] == f"2023年底前：建筑类别 属于 {{商住建筑、住宅建筑、商业建筑}}（{shown}）"


def test_exactly_thirty_percent_rests_on_the_inclusive_reading(decide):
    o = decide(category="public", floor_area_m2=10000, prefab_rate_pct=30, completion_acceptance_date=date(2022, 1, 5))
    assert (o.status, o.confirmation_reasons) == ("eligible", [THIRTY])
    o = decide(  # 2万 carries (含): an area of exactly 20,000 m² is plain
        category="commercial_residential",
        floor_area_m2=20000,
        prefab_rate_pct=31,
        completion_acceptance_date=date(2022, 1, 5),
    )
    assert (o.status, o.needs_confirmation) == ("eligible", False)


def test_every_reason_is_listed_once_in_order(decide):
    # 住宅, exactly 30 %, accepted in 2023: the example ledger's H4
    o = decide(category="住宅", floor_area_m2=20000, prefab_rate_pct=30, completion_acceptance_date=date(2023, 12, 31))
    assert (o.status, o.amount_yuan, o.window.id) == ("eligible", Decimal("400000.00"), "SUB-COUNTY-2023")
    assert o.confirmation_reasons == [OVERLAP, RESIDENTIAL, THIRTY]
    text = o.to_json_text()
    assert f'"needs_confirmation":true,"confirmation_reasons":["{OVERLAP}","{RESIDENTIAL}","{THIRTY}"]' in text
    assert json.loads(text) == o.to_json()


def test_json_gives_the_decisive_reasons_and_the_trees_only_when_explained(decide):
    """Eligible: the conditions that held in the window awarded; not eligible: what failed in the closest
    window whose dates cover the acceptance; each with the value found.  `--explain` adds every window's tree."""
    o = decide(category="public", floor_area_m2=8800, prefab_rate_pct=35, completion_acceptance_date=date(2023, 3, 1))
    assert o.status == "not_eligible"
    assert o.to_json()["reasons"] == [  # both windows cover 2023, and each is missed by one condition
        "2023年底前：建筑面积 ≥ 10,000 m²（实际 8,800 m²）",
        "2023年至2025年底：装配率 ≥ 50%（实际 35%）",
    ]
    assert o.to_json()["windows"] is None and '"windows":null' in o.to_json_text()
    o = decide(category="public", floor_area_m2=12000, prefab_rate_pct=25, completion_acceptance_date=date(2024, 3, 1))
    assert o.to_json()["reasons"] == ["2023年至2025年底：装配率 ≥ 50%（实际 25%）"]
    o.explained = True
    data = json.loads(o.to_json_text())
    assert data == o.to_json()
    assert [w["window"] for w in data["windows"]] == [r.id for r in o.pack.rules if r.spec.window is not None]
    assert data["windows"][0]["check"]["children"][0] == {
        "text": "竣工验收日期 ≤ 2023-12-31",
        "passed": False,
        "field": "completion_acceptance_date",
        "actual": "2024-03-01",
        "expected": "≤ 2023-12-31",
    }
