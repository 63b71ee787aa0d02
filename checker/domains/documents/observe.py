"""Reading a document: its metadata, and every observation kind run over its text.

Raw text never enters the rule engine (durable-rules truncates long strings and its regex dialect is unsafe);
here Python reads what the text says once — the document's own 发文字号 and 成文日期, who issued it and at
which level, where the quotations and cited titles are — into a `Reading`, and each observation kind
(observations/, listed in KINDS) finds its observations in it, each with its line and column.  The rule packs
under packs/document-*/ decide what they mean.
"""

from __future__ import annotations

import gc
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import Any

from checker.core.edits import SAFE
from checker.core.lazyre import lazy_compile
from checker.core.plain import field, plain
from checker.domains.documents.observation import Observation

# 《 up to its 》, or up to the line's end when it has none: a 《 left open consumes the stretch it cannot close, so
# the scan goes on after it instead of trying every later 《 of that stretch again (300,000 《 on a line: linear)
_CITED_TITLE = lazy_compile(r"《[^》\n]*》?")


MORE = object()  # yielded by a kind that had more observations than its room (`Reading.each`)


@plain
class DocumentObservations:
    values: dict[str, Any]  # derived fields of the document record itself
    observations: list[Observation]
    issuer: str | None = None
    level: str | None = None
    # kinds with more observations than `max_observations` (only the first ones are checked)
    truncated: list[str] = field(default_factory=list)
    outcome: Any = None  # outcome.DocumentOutcome: its number, issuer, title, date and addressees as read


@lru_cache(maxsize=1)
def _resources():
    from checker.domains.documents.text.lexicon import default_lexicon
    from checker.domains.documents.text.places import default_places

    places = default_places()
    return places, places.prefix_forms(), default_lexicon()


@plain
class Reading:
    """What every observation kind may read of one document, found once."""

    doc: Any
    as_of: date
    text: str
    lines: list[str]
    index: Any  # text.positions.LineIndex
    quotes: list[tuple[int, int]]  # spans inside quotation marks
    titles: list[tuple[int, int]]  # spans of cited titles 《…》
    numbers: Any  # every 发文字号 in the text, read lazily (text.docnumber.DocNumbers of DocNumberObs)
    dates: list  # every date in the text (DateObs)
    places: Any
    prefixes: Any
    lexicon: Any
    own_number: Any = None  # the document's own 发文字号
    own_number_line: int | None = None  # its file line, when it comes from a record field
    own_date: Any = None  # the 成文日期
    own_date_line: int | None = None
    issuer_place: Any = None  # text.places.Place of the issuer, when known
    prefix_place: Any = None  # Place of the own number's 机关代字, when listed
    level: str | None = None  # the issuer's level, when known
    addressee_line: int | None = None  # text line of the 主送机关, when found
    issuer: str | None = None  # the issuer's name as read (or the configured organization's)
    meta: Any = None  # text.document_meta.DocumentMeta, for text documents
    room: int = sys.maxsize  # observations the kind being observed may still report (`observe` sets it; see `each`)
    # the body's lines and text (a .docx's headers, footers and notes come after them): what the metadata and the
    # kinds about the document's structure read; the whole text is what every text check reads
    body_lines: list[str] = field(default_factory=list)
    body_text: str = ""

    def place(self, text_line: int | None) -> str | None:
        """Where a text line stands in a .docx (正文, 表格, 页眉 …); None for other documents."""
        runs = self.doc.places
        if not runs or text_line is None:
            return None
        return runs[bisect_right(runs, (text_line, "\uffff")) - 1][1]

    @property
    def from_record(self) -> bool:
        """A YAML/JSON document record: metadata from its fields, not found in the text."""
        return self.doc.origin == "record"

    def at(self, line: int) -> int | None:
        """The file line of a text line."""
        base = self.doc.text_line
        return base + line - 1 if base is not None else self.doc.line

    def offset(self, obs) -> int:
        return self.index.offset(obs.line, obs.column)

    def quoted(self, obs) -> bool:
        from checker.domains.documents.text.positions import in_spans

        return in_spans(self.offset(obs), self.quotes)

    def in_cited_title(self, obs) -> bool:
        """Inside a cited title 《…》: the other document's words, not the author's."""
        from checker.domains.documents.text.positions import in_spans

        return in_spans(self.offset(obs), self.titles)

    def on_addressee_line(self, obs) -> bool:
        """On the 主送机关 line: it names whom the document is sent to (各县、区人民政府)."""
        return self.addressee_line is not None and obs.line == self.addressee_line

    @property
    def wanted(self) -> int:
        """How many items a finder need find for the kind being observed: its room and one more, which says
        there were more (a finder may stop there; see `each`)."""
        return self.room + 1

    def each(self, found: Iterable[Any], build: Callable[[Any], Observation]) -> Iterator[Observation | object]:
        """`build(item)` for each item found while the kind being observed has room (`max_observations`); then,
        if there is one more item, `MORE`, and nothing is read further: 300,000 unclosed 《 cost the first
        thousand and one, not 300,000 observations (each with its values, its quotation test and its snippet),
        when the finder is lazy or stops at `wanted`."""
        for item in found:
            if self.room <= 0:
                yield MORE
                return
            yield build(item)

    def make(
        self,
        kind: str,
        obs,
        values: dict[str, Any],
        replacement: str | None = None,
        line: int | None = None,
        raw: str | None = None,
        applicability: str = SAFE,
    ) -> Observation:
        """An observation at a finder's match (`line`: a file line, for one found in a record field)."""
        text_line = obs.line if line is None else None
        snippet = self.lines[text_line - 1] if text_line is not None and text_line <= len(self.lines) else None
        doc = self.doc
        return Observation(
            kind,
            doc.id,
            doc.source,
            doc.index,
            self.at(obs.line) if line is None else line,
            obs.column,
            obs.end_column,
            obs.raw if raw is None else raw,
            values,
            replacement,
            text_line,
            applicability,
            snippet,
            self.place(text_line),
        )


def cited_titles(text: str) -> list[tuple[int, int]]:
    """Spans of the cited titles 《…》 (marks included): each 《 with the first 》 after it on its line.  A 《 whose
    line holds no 》 after it is no title, nor is any 《 between it and the line's end (none of them closes)."""
    return [m.span() for m in _CITED_TITLE.finditer(text) if text[m.end() - 1] == "》"]


def read(doc: Any, as_of: date, organization: dict[str, Any] | None = None) -> tuple[Reading, dict[str, Any], Any]:
    """The reading of a document, its own derived fields, and the issuer name found (or stood in for).

    Its 发文字号 and dates are found lazily (`DocNumbers`, `Found`): the metadata reads only those it may take for
    the document's own (`DocNumbers.for_meta`, `dates_for_meta`), a kind only as many as it has room for, so a
    text of 60,000 cited numbers or 100,000 dates is not read through to build each of them.  Its quotations
    are found when first asked about."""
    from checker.domains.documents.text import document_meta
    from checker.domains.documents.text.cndate import Found, dates_for_meta, find_dates, iter_dates
    from checker.domains.documents.text.docnumber import DocNumbers, find_doc_numbers
    from checker.domains.documents.text.positions import line_index
    from checker.domains.documents.text.quoting import quoted_spans_when_asked

    places, prefixes, lexicon = _resources()
    text = doc.body or ""
    lines = text.split("\n")
    reading = Reading(
        doc,
        as_of,
        text,
        lines,
        line_index(text, lines),
        quoted_spans_when_asked(text),
        cited_titles(text),
        DocNumbers(text, prefixes),
        Found(iter_dates(text)),
        places,
        prefixes,
        lexicon,
    )
    body = doc.body_lines
    if body is not None and body < len(lines):
        reading.body_lines = lines[:body]
        reading.body_text = "\n".join(reading.body_lines)
    else:
        reading.body_lines, reading.body_text = lines, text
    issuer = title = None
    if reading.from_record:
        if doc.doc_number:
            found = find_doc_numbers(doc.doc_number, prefixes)
            reading.own_number = found[0] if found else None
            reading.own_number_line = doc.line
        if doc.issue_date:
            found_dates = [d for d in find_dates(doc.issue_date) if d.precision == "day" or d.two_digit_year]
            reading.own_date = found_dates[0] if found_dates else None
            reading.own_date_line = doc.line
        issuer, title = doc.issuer, doc.title
    else:
        # of the body only: numbers and dates in a header or footer are not the document's own; and of those only
        # the ones the metadata may take (it reads them as `for_meta` and `dates_for_meta` say)
        meta_lines = reading.body_lines
        numbers = reading.numbers.for_meta(meta_lines, document_meta._TOP_LINES)
        dates = dates_for_meta(reading.body_text, meta_lines, document_meta._end_brackets, document_meta._TITLE_LINES)
        meta = document_meta.extract_meta(meta_lines, prefixes, doc_numbers=numbers, dates=dates)
        reading.meta = meta
        reading.own_number, reading.own_date = meta.doc_number, meta.date
        reading.addressee_line = meta.addressees.line if meta.addressees else None
        issuer = meta.issuer.value if meta.issuer else None
        title = meta.title.value if meta.title else None

    issuer_found = bool(issuer)
    if not issuer and organization:
        issuer = organization.get("name")
    own_number = reading.own_number
    reading.issuer = issuer
    reading.issuer_place = places.issuer_place(issuer) if issuer else None
    reading.prefix_place = places.prefix_place(own_number.prefix) if own_number and own_number.prefix else None
    # a 代字 is a local fact: it gives the level only when the text names no issuer at all
    place = reading.issuer_place or (reading.prefix_place if not issuer_found else None)
    reading.level = place.level if place else None
    if reading.level is None and organization and not issuer_found:
        reading.level = organization.get("level")
    reviewers = {r.strip() for r in (doc.reviewers or []) if r and r.strip()}
    values: dict[str, Any] = {
        "doc_number_found": own_number is not None or bool(doc.doc_number),
        "issuer_found": issuer_found,
        "issue_date_found": reading.own_date is not None or bool(doc.issue_date),
        "title_found": bool(title),
        "level_found": reading.level is not None,
        "has_reviewers": doc.reviewers is not None,
        "reviewer_count": len(reviewers),
    }
    if reading.level:
        values["level"] = reading.level
    return reading, values, issuer


def observe(doc: Any, as_of: date, organization: dict[str, Any] | None = None) -> DocumentObservations:
    """All observations of one document; `organization` ({name, level}, from the configuration) stands in
    for an issuer the text does not name.

    At most `max_observations` observations of each kind are kept: a hostile document with 200,000 “我市” is
    reported as such (one warning) instead of costing minutes and gigabytes.  A kind yields its observations,
    then `MORE` when it had more than its room (`Reading.each`); a finder asked for `Reading.wanted` items may
    stop there, so what a hostile text costs is bounded by the limit, not by what it holds."""
    from checker.core.limits import get_limits
    from checker.domains.documents.observations import KINDS

    limit = get_limits().max_observations
    out: list[Observation] = []
    truncated: list[str] = []
    with _collector_paused():
        reading, values, issuer = read(doc, as_of, organization)
        for kind in KINDS:
            reading.room = limit
            for got in kind.observe(reading):
                if got is MORE or reading.room <= 0:
                    truncated.append(kind.SCHEMA.kind)
                    break
                out.append(got)
                reading.room -= 1
    from checker.domains.documents.outcome import document_outcome

    return DocumentObservations(values, out, issuer, reading.level, truncated, document_outcome(reading))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one document is read: the finders build hundreds of thousands of
    small objects on a hostile document (and no reference cycles), which the collector would otherwise walk
    again and again, up to half the time.  Only what turned it off turns it back on: it stays off if it was, and
    threads reading documents side by side never leave it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
