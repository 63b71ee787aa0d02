"""The observation kinds found in documents: one module each (its schema `SCHEMA` and its `observe(reading)`),
listed here in the order they run, as Vale lists its check types.

Adding a document check: a module here (copy scripts/new_observation.py's output), one line in KINDS, a rule
pack under packs/ whose pack.yaml `applies_to` names the kind, and its tests (docs/CONTRIBUTING.md).
"""

from __future__ import annotations

from checker.domains.documents.observations import (
    agency_mention,
    count_claim,
    doc_number_ref,
    document_elements,
    duplicate_text,
    heading_numbering,
    issue_date,
    layout,
    number_usage,
    punctuation,
    schedule_date,
    self_reference,
    typo,
)

KINDS = (
    doc_number_ref,
    issue_date,
    self_reference,
    agency_mention,
    schedule_date,
    typo,
    count_claim,
    heading_numbering,
    punctuation,
    number_usage,
    duplicate_text,
    document_elements,
    layout,
)
