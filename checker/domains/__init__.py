"""The domains, in one explicit list: each is a folder with its code, its rule packs and its data.

`install()` registers them (record kinds, rule-language additions, shipped packs) once per process; the
command line, the tests and the benchmark call it before anything else.  Adding a domain is its folder and
one line in DOMAINS (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from checker.domains.approvals import ApprovalsDomain
from checker.domains.documents import DocumentsDomain
from checker.domains.subsidy import SubsidyDomain
from checker.run import domain as _registry

# The order matters: approvals adds columns to the subsidy domain's project ledger.
DOMAINS = (SubsidyDomain(), ApprovalsDomain(), DocumentsDomain())


def install() -> None:
    """Register every domain (idempotent), and give the rule loader the way examples become facts."""
    from checker.rules.language import set_example_subjects
    from checker.run.process import example_subjects

    _registry.install(DOMAINS)
    set_example_subjects(example_subjects)
