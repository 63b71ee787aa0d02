"""The subsidy domain: prefabricated-building subsidies under 新政办〔2022〕34号, and the prefab mandate.

Its record kind is the project ledger; its packs are `prefab-subsidy` (the subsidy windows, a pack kind of its
own) and `prefab-mandate` (findings); each project's outcome is a subsidy decision with its reasons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.inputs.formats import RECORD_SUFFIXES
from checker.records import fields
from checker.rules import language
from checker.run.domain import Command, Domain, SectionSpec

PACKS = Path(__file__).resolve().parent / "packs"


def _stats():
    from checker.domains.subsidy.stats import SubsidyStats

    return SubsidyStats()


def _to_text(outcome) -> str:
    return outcome.to_json_text()


def _pack_of(outcome):
    return outcome.pack


def _present(outcomes, result):
    from checker.domains.subsidy import present

    return present.present(outcomes, result)


def _brief(outcomes):
    if not outcomes:  # a lint's text report: no projects, no line, and the presentation is not loaded
        return None
    from checker.domains.subsidy import present

    return present.brief(outcomes)


def _case_text(outcome):
    from checker.domains.subsidy import present

    return present.case_text(outcome)


class SubsidyDomain(Domain):
    name = "subsidy"
    title = "装配式建筑补贴"
    kinds = ("project",)
    sections = (
        SectionSpec(
            "subsidies",
            "subsidy",
            _stats,
            _to_text,
            _present,
            summary_always=True,
            brief=_brief,
            case_text=_case_text,
            pack_of=_pack_of,
        ),
    )
    commands = (
        Command(
            "subsidy",
            "装配式建筑补贴资格与金额（新政办〔2022〕34号）",
            label="补贴",
            categories="none",
            sections=("subsidies",),
            fail_on=False,
            report="subsidies",
            show_errors=True,
            input_suffixes=RECORD_SUFFIXES,  # ledgers and record files; a text is not a ledger
        ),
    )

    def register(self) -> None:
        from checker.domains.subsidy.records import PROJECT
        from checker.domains.subsidy.window import SUBSIDY_PACKS

        fields.register(PROJECT)
        language.add_pack_kind(SUBSIDY_PACKS)
        language.add_pack_dirs(PACKS)

    def pack_dirs(self) -> list[Path]:
        return [PACKS]

    def outcome(self, subject: Any, fact: dict, hits: set[str], findings: list, run: Any) -> None:
        if subject.kind != "project":
            return
        outcomes = run.outcomes("subsidies")
        if outcomes is None:
            return
        from checker.domains.subsidy.outcome import evaluate_subsidy

        for pack in run.book.packs_for("project"):
            if pack.spec.kind == "subsidy":
                outcome = evaluate_subsidy(subject, pack, run.evaluator, run.as_of, fact, hits)
                outcome.explained = run.context.explain
                outcomes.append(outcome)
