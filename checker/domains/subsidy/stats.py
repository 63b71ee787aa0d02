"""Running totals of a run's subsidy outcomes: every report's summary, kept apart from the decisions so a run
without projects (a lint) writes its empty subsidy summary without loading the subsidy evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.core.plain import plain

if TYPE_CHECKING:
    from decimal import Decimal


@plain
class SubsidyStats:
    """Running totals of a run's subsidy outcomes (the same numbers in every format)."""

    projects: int = 0
    eligible: int = 0
    pending_acceptance: int = 0
    municipal_referral: int = 0
    needs_confirmation: int = 0
    total: Decimal | int = 0  # the eligible amounts (Decimal) added up
    any_ceiling: bool = False

    @staticmethod
    def key(outcome) -> tuple:
        """What the totals need of one outcome (small: travels from worker processes)."""
        return (
            outcome.status,
            bool(outcome.municipal_referral),
            outcome.eligible,
            outcome.amount_yuan,
            outcome.amount_is_ceiling,
            outcome.needs_confirmation,
        )

    def add(self, outcome) -> None:
        self.add_key(self.key(outcome))

    def add_key(self, key: tuple) -> None:
        status, referral, eligible, amount, ceiling, confirm = key
        self.projects += 1
        self.needs_confirmation += confirm
        self.pending_acceptance += status == "pending_acceptance"
        self.municipal_referral += referral
        if eligible:
            self.eligible += 1
            self.total += amount
            self.any_ceiling = self.any_ceiling or ceiling

    def to_json(self) -> dict[str, Any]:
        return {
            "projects": self.projects,
            "eligible": self.eligible,
            "pending_acceptance": self.pending_acceptance,
            "municipal_referral": self.municipal_referral,
            "needs_confirmation": self.needs_confirmation,
            "total_amount_yuan": float(self.total),
        }
