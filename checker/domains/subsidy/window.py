"""The subsidy pack kind: rules that are subsidy windows (a date range and an award) or referrals.

A window's acceptance-date range becomes part of its condition, so the engine decides it; its referral test
("装配率 ≥ 50% 同时享受市级以上财政的补贴") becomes an extra engine condition, `RULE-ID:referral`.
The pydantic models are built only when rule files are read (they are not needed for a cached rule book).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from checker.rules.conditions import Condition, ConditionError, Group, parse_condition
from checker.rules.language import PackKind, RuleKind

ACCEPTANCE_FIELD = "completion_acceptance_date"  # the standard is chosen by the year of 竣工验收合格
REFERRAL = "referral"


def confirm_suffix(index: int) -> str:
    """The engine condition of a window's `index`-th confirmation (evaluated as "RULE-ID:confirm-N")."""
    return f"confirm-{index + 1}"


@lru_cache(maxsize=1)
def _window_keys() -> dict[str, tuple[Any, bool]]:
    from datetime import date
    from typing import Literal

    from pydantic import Field

    from checker.rules.rulefile import _Strict

    class Award(_Strict):
        yuan_per_m2: float | str  # number or $setting
        cap_yuan: float | str
        ceiling: bool = False  # "不超过…": the amount is an upper bound

    class Confirm(_Strict):
        when: dict[str, Any] | None = None  # a condition on the project; none: always, when the window holds
        reason: str = Field(min_length=1)

    class Window(_Strict):
        """A subsidy window: which acceptance dates it covers and what it pays."""

        label: str
        accepted_from: date | str | None = None
        accepted_to: date | str | None = None
        award: Award
        referral: Literal["always", "never", "when"] = "never"
        referral_when: dict[str, Any] | None = None
        referral_text: str | None = None
        # readings the text does not settle: when the window holds and `when` holds too, the outcome
        # needs a reviewer's confirmation, for `reason`
        confirm: list[Confirm] = Field(default_factory=list)

    for model in (Award, Confirm, Window):
        model.__module__ = __name__
    return {"window": (Window, True)}


def _pack_keys() -> dict[str, tuple[Any, bool]]:
    return {"overlap_note": (str, False)}  # shown when an acceptance date falls in two windows


def compile_window(spec: Any, condition: Condition, schema: Any, params: dict[str, Any]) -> tuple[Condition, dict]:
    """The window's full condition (its date range spliced in) and its referral test."""
    window = spec.window
    bounds = []
    for op, raw in (("gte", window.accepted_from), ("lte", window.accepted_to)):
        if raw is None:
            continue
        value = params.get(raw[1:]) if isinstance(raw, str) and raw.startswith("$") else raw
        if isinstance(raw, str) and raw.startswith("$") and raw[1:] not in params:
            raise ConditionError(f"window: 未定义的参数“{raw}”")
        if value is None:
            continue  # an unknown bound (e.g. the policy's start date) is open
        bounds.append({"field": ACCEPTANCE_FIELD, op: value})
    for key in ("yuan_per_m2", "cap_yuan"):
        value = getattr(window.award, key)
        if isinstance(value, str):
            if not value.startswith("$") or value[1:] not in params:
                raise ConditionError(f"window.award.{key}: 应为数值或已定义的 $参数")
            value = params[value[1:]]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConditionError(f"window.award.{key}: 应为正数")
    full = condition
    if bounds:
        parsed = [parse_condition(b, schema, params, "window") for b in bounds]
        # splice an unlabelled top-level `all` so explanations stay one level deep
        rest = (
            condition.items
            if isinstance(condition, Group) and condition.mode == "all" and not condition.label
            else (condition,)
        )
        full = Group("all", (*parsed, *rest))
    extra = {}
    if window.referral == "when":
        if window.referral_when is None:
            raise ConditionError("window: referral 为 when 时须有 referral_when")
        extra[REFERRAL] = Group(
            "all", (full, parse_condition(window.referral_when, schema, params, "window.referral_when"))
        )
    elif window.referral_when is not None:
        raise ConditionError("window: 只有 referral: when 才能写 referral_when")
    for index, confirm in enumerate(window.confirm):
        where = f"window.confirm[{index + 1}].when"
        test = (
            full if confirm.when is None else Group("all", (full, parse_condition(confirm.when, schema, params, where)))
        )
        extra[confirm_suffix(index)] = test
    return full, extra


SUBSIDY_PACKS = PackKind(
    "subsidy",
    rule_kinds=(RuleKind("subsidy-window", keys=_window_keys, compile=compile_window), RuleKind("subsidy-referral")),
    pack_keys=_pack_keys,
)
