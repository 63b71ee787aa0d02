"""Subsidy eligibility: which window applies, how much, and why.

Windows, rates, caps and referrals come from a `subsidy` rule pack; the
engine decides which window rules hold; this module only turns that into an
outcome (status, amount, window, referral) and keeps each condition's
explanation so a reviewer sees every ✓/✗ with its value and threshold.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from checker.core.memo import by_identity
from checker.core.plain import field, plain
from checker.core.values import compact_json, date_key, format_number
from checker.domains.subsidy.window import REFERRAL, confirm_suffix
from checker.engine.base import Evaluator
from checker.records.record import Record
from checker.rules.book import Pack, Rule
from checker.rules.conditions import Check, decisive, explain, explain_json, show
from checker.run.facts import to_fact

STATUS_LABEL = {
    "eligible": "符合",
    "not_eligible": "不符合",
    "pending_acceptance": "待竣工验收",
    "outside_window": "不在政策期限内",
}


@plain
class WindowResult:
    rule: Rule
    covers_date: bool  # the acceptance date lies in the window's range
    holds: bool  # engine verdict
    amount: Decimal | None
    referral: bool
    fact: dict | None = field(default=None, repr=False)  # what was evaluated; None for what-if outcomes

    @cached_property
    def check(self) -> Check | None:
        """Per-condition explanation, built when a report shows it (None for what-if outcomes)."""
        return explain(self.rule.condition, self.fact) if self.fact is not None else None

    def check_json(self) -> str:
        """`check.to_json()` as compact JSON text, without building the `Check` tree."""
        if self.fact is None:
            return "null"
        return explain_json(self.rule.condition, self.fact)[1]


@plain
class SubsidyOutcome:
    record: Record
    pack: Pack
    status: str
    eligible: bool
    amount_yuan: Decimal
    amount_is_ceiling: bool
    window: Rule | None
    municipal_referral: bool
    referral_reasons: list[str]
    windows: list[WindowResult]
    notes: list[str] = field(default_factory=list)
    # readings of the policy text the outcome rests on that a reviewer must confirm (empty: a plain case)
    confirmation_reasons: list[str] = field(default_factory=list)
    hypothetical: SubsidyOutcome | None = None
    hypothetical_date: date | None = None
    # JSON: every window's condition tree as well as the decisive reasons (`--explain`; the trees of a provincial
    # ledger were most of its report and of its time)
    explained: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.confirmation_reasons)

    @property
    def window_label(self) -> str | None:
        return self.window.spec.window.label if self.window else None

    def amount_text(self) -> str:
        if not self.eligible:
            return "0"
        text = format_number(float(self.amount_yuan))
        return f"不超过 {text}" if self.amount_is_ceiling else text

    def decisive_windows(self) -> list[tuple[WindowResult, list]]:
        """The windows the outcome turns on, each with its deciding leaves (`conditions.decisive`): the one
        awarded; else, of the windows whose dates cover the acceptance (all of them when none does), those with
        the fewest failures (each of a tie: a 2023 project may miss one window by its area, the other by its rate)."""
        if self.window is not None:
            awarded = next(w for w in self.windows if w.rule is self.window)
            return [(awarded, decisive(awarded.rule.condition, awarded.fact)[1])] if awarded.fact is not None else []
        candidates = [w for w in self.windows if w.covers_date and w.fact is not None]
        candidates = candidates or [w for w in self.windows if w.fact is not None]
        found = [(w, decisive(w.rule.condition, w.fact)[1]) for w in candidates]
        fewest = min((len(leaves) for _, leaves in found), default=0)
        return [(w, leaves) for w, leaves in found if len(leaves) == fewest]

    def reasons(self) -> list[str]:
        """Why, as short strings: the conditions of the window awarded that held, or those that failed in the
        closest windows, with the value found, each prefixed by its window's label; an outside-window note as is."""
        if self.status == "outside_window":
            return list(self.notes)
        out = []
        for window, leaves in self.decisive_windows():
            label = window.rule.spec.window.label
            for leaf, passed in leaves:
                shown = show(leaf.spec, window.fact.get(leaf.field), unit=True)
                out.append(f"{label}：{leaf.text}（{shown}）" if passed else f"{label}：{leaf.text}（实际 {shown}）")
        return out + list(self.notes)

    def window_checks(self) -> list[dict[str, Any]]:
        """Every window's condition tree as data (JSON with `--explain`): each condition, value found, threshold."""
        out: list[dict[str, Any]] = []
        for result in self.windows:
            out.append(
                {
                    "window": result.rule.id,
                    "window_label": result.rule.spec.window.label,
                    "covers_acceptance_date": result.covers_date,
                    "holds": result.holds,
                    "check": result.check.to_json() if result.check is not None else None,
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        data = self._head()
        data["reasons"] = self.reasons()
        data["referral_reasons"] = list(self.referral_reasons)
        data["windows"] = self.window_checks() if self.explained else None
        hypothetical = self._hypothetical_json()
        if hypothetical is not None:
            data["if_accepted_on"] = hypothetical
        return data

    def to_json_text(self) -> str:
        """`to_json()` as compact JSON text; the window trees (`--explain`) written without intermediate dicts."""
        if not self.explained:
            return compact_json(self.to_json())  # one encoder call: a ledger's report is one per project
        text = compact_json(self._head())[:-1]
        text += f',"reasons":{compact_json(self.reasons())},"referral_reasons":{compact_json(self.referral_reasons)}'
        trees = []
        for result in self.windows:
            key = (result.rule.id, result.rule.spec.window.label, result.covers_date, result.holds)
            head = _window_heads.get(key)
            if head is None:
                head = _window_heads[key] = compact_json(
                    {"window": key[0], "window_label": key[1], "covers_acceptance_date": key[2], "holds": key[3]}
                )[:-1]
            trees.append(f'{head},"check":{result.check_json()}}}')
        text += f',"windows":[{",".join(trees)}]'
        hypothetical = self._hypothetical_json()
        if hypothetical is not None:
            text += f',"if_accepted_on":{compact_json(hypothetical)}'
        return text + "}"

    def _head(self) -> dict[str, Any]:
        return {
            "record_id": self.record.id,
            "name": self.record.name,
            "source": self.record.source,
            "line": self.record.line,
            "status": self.status,
            "status_label": self.status_label,
            "eligible": self.eligible,
            "amount_yuan": _json_amount(self.amount_yuan),
            "amount_is_ceiling": self.amount_is_ceiling,
            "window": self.window.id if self.window else None,
            "window_label": self.window_label,
            "municipal_referral": self.municipal_referral,
            "needs_confirmation": self.needs_confirmation,
            "confirmation_reasons": list(self.confirmation_reasons),
        }

    def _hypothetical_json(self) -> dict[str, Any] | None:
        if self.hypothetical is None:
            return None
        return {
            "date": self.hypothetical_date.isoformat(),
            "eligible": self.hypothetical.eligible,
            "status": self.hypothetical.status,
            "amount_yuan": _json_amount(self.hypothetical.amount_yuan),
            "amount_is_ceiling": self.hypothetical.amount_is_ceiling,
            "window": self.hypothetical.window.id if self.hypothetical.window else None,
            "window_label": self.hypothetical.window_label,
        }


_window_heads: dict[tuple, str] = {}  # a window's JSON head: the same few texts for every project


def _json_amount(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _param(rule: Rule, value: Any) -> Decimal:
    if isinstance(value, str) and value.startswith("$"):
        value = rule.params[value[1:]]
    return Decimal(str(value))


_FEN = Decimal("0.01")
_window_terms: dict[int, tuple[Rule, tuple[Decimal, Decimal, date | None, date | None]]] = {}


def _terms(rule: Rule) -> tuple[Decimal, Decimal, date | None, date | None]:
    """A window's rate, cap and acceptance range, resolved from its params once (not per project)."""
    return by_identity(_window_terms, rule, _resolve_terms)


def _resolve_terms(rule: Rule) -> tuple[Decimal, Decimal, date | None, date | None]:
    window = rule.spec.window

    def bound(raw: Any) -> date | None:
        if isinstance(raw, str) and raw.startswith("$"):
            raw = rule.params.get(raw[1:])
        if isinstance(raw, str):
            raw = date.fromisoformat(raw)
        return raw

    return (
        _param(rule, window.award.yuan_per_m2),
        _param(rule, window.award.cap_yuan),
        bound(window.accepted_from),
        bound(window.accepted_to),
    )


def award_amount(rule: Rule, floor_area_m2: float) -> Decimal:
    """rate × area, capped, rounded to the fen (分)."""
    rate, cap, _, _ = _terms(rule)
    amount = min(rate * Decimal(str(floor_area_m2)), cap)
    return amount.quantize(_FEN, rounding=ROUND_HALF_UP)


def _covers(rule: Rule, day: date) -> bool:
    _, _, lo, hi = _terms(rule)
    return (lo is None or day >= lo) and (hi is None or day <= hi)


def evaluate_subsidy(
    record: Record,
    pack: Pack,
    evaluator: Evaluator,
    as_of: date,
    fact: dict | None = None,
    hits: set[str] | None = None,
) -> SubsidyOutcome:
    """`fact` and `hits` may come from the record's one evaluation over all packs (see run.process.check_record)."""
    if fact is None:
        fact = to_fact(record, as_of)
    accepted = record.completion_acceptance_date
    if accepted is None:
        outcome = _decide(record, pack, evaluator, fact, None, hits)
        hypothetical_fact = dict(fact, completion_acceptance_date=date_key(as_of))
        outcome.hypothetical = _decide(record, pack, evaluator, hypothetical_fact, as_of, explained=False)
        outcome.hypothetical_date = as_of
        return outcome
    return _decide(record, pack, evaluator, fact, accepted, hits)


def _decide(
    record: Record,
    pack: Pack,
    evaluator: Evaluator,
    fact: dict,
    accepted: date | None,
    hits: set[str] | None = None,
    explained: bool = True,
) -> SubsidyOutcome:
    """The outcome; `explained=False` skips the per-condition explanation (the what-if shows only its result)."""
    hits = evaluator.fired(pack, fact) if hits is None else hits
    windows, referral_reasons = [], []
    for rule in pack.rules:
        if rule.spec.kind == "subsidy-referral":
            if rule.id in hits:
                referral_reasons.append(
                    rule.render_message({name: record.display(name) for name in rule.message_fields})
                )
            continue
        covers = accepted is not None and _covers(rule, accepted)
        holds = rule.id in hits
        amount = award_amount(rule, record.floor_area_m2) if holds else None
        window = rule.spec.window
        referral = holds and (window.referral == "always" or rule.engine_id(REFERRAL) in hits)
        windows.append(WindowResult(rule, covers, holds, amount, referral, fact if explained else None))

    eligible_windows = [w for w in windows if w.holds]
    best = max(eligible_windows, key=lambda w: w.amount, default=None)  # max keeps the first on ties
    notes = []
    if accepted is None:
        status = "pending_acceptance"
    elif not any(w.covers_date for w in windows):
        status = "outside_window"
        notes.append(_outside_note(pack, accepted))
    else:
        status = "eligible" if best else "not_eligible"
    confirmations = []
    if best is not None and sum(w.covers_date for w in windows) > 1 and pack.spec.overlap_note:
        confirmations.append(" ".join(pack.spec.overlap_note.split()))  # only a project that qualifies somewhere
    for w in eligible_windows:
        for index, confirm in enumerate(w.rule.spec.window.confirm):
            if w.rule.engine_id(confirm_suffix(index)) in hits:
                text = " ".join(confirm.reason.split()).format_map({k: _show(v) for k, v in w.rule.params.items()})
                if text not in confirmations:
                    confirmations.append(text)
    if best is not None and best.referral:
        text = best.rule.spec.window.referral_text or "同时享受市级以上财政的有关奖励"
        referral_reasons.append(text.format_map({k: _show(v) for k, v in best.rule.params.items()}))
    eligible = status == "eligible"
    return SubsidyOutcome(
        record=record,
        pack=pack,
        status=status,
        eligible=eligible,
        amount_yuan=best.amount if eligible else Decimal("0"),
        amount_is_ceiling=bool(eligible and best.rule.spec.window.award.ceiling),
        window=best.rule if best else None,
        municipal_referral=bool(referral_reasons),
        referral_reasons=referral_reasons,
        windows=windows,
        notes=notes,
        confirmation_reasons=confirmations,
    )


def _show(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _outside_note(pack: Pack, accepted: date) -> str:
    ranges = []
    for rule in pack.rules:
        if rule.spec.window is None:
            continue
        window = rule.spec.window
        hi = window.accepted_to
        ranges.append(f"{window.label}（至 {hi}）" if hi else window.label)
    return f"竣工验收日期 {accepted.isoformat()} 不在政策各档期限内：{'；'.join(ranges)}"
