"""Step 3 for documents: find what the text says, as positioned observations.

Raw text never enters the rule engine (durable-rules truncates long strings
and its regex dialect is unsafe); here Python finds the observations — every
document number, the 成文日期, self-references, agency names, schedule dates,
typos, count claims — each with its line and column, and turns them into
small facts.  The rule files under rules/document-*/ decide what they mean.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from checker.core.lazyre import lazy_compile
from checker.records.fields import RULE_SCHEMAS, RecordSchema
from checker.records.normalize import Document, display_value

_CITED_TITLE = lazy_compile(r"《[^》\n]*》")
_SECTION_WORDS = lazy_compile(r"进度安排|时间安排|工作安排|实施步骤|时间节点|进度要求|工作步骤|时间进度|实施安排")
_TOP_HEADING = lazy_compile(r"^\s*[一二三四五六七八九十]+、")
_SUB_HEADING = lazy_compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_DEADLINE_AFTER = lazy_compile(r"^(?:底|末|中旬|下旬|上旬)?(?:之前|以前|前)")
_SINCE_AFTER = lazy_compile(r"^(?:底|末)?(?:以来|起|至今|期间)")
_DEADLINE_VERB = lazy_compile(r"完成|报送|上报|报至|提交|办结|到位|建成|实现|落实|印发|出台|启动|验收|整改|交付")
_DEADLINE_BEFORE = lazy_compile(r"(?:截止时间|截止日期|完成时限|完成时间|时间节点)[为是：:\s]*$")
_SENTENCE_END = lazy_compile(r"[。；;\n]")


@dataclass(frozen=True)
class Observation:
    """One thing found in a document, positioned; quacks like a record for the pipeline."""

    kind: str
    id: str  # the document's id: findings are grouped by document
    source: str
    index: int
    line: int | None
    column: int | None
    end_column: int | None
    raw: str
    values: dict[str, Any] = field(default_factory=dict)  # engine-safe fields of the kind's schema
    replacement: str | None = None  # safe text for [column, end_column) on that line
    text_line: int | None = None  # line within the document text (None: found in a record field)

    @property
    def schema(self) -> RecordSchema:
        return RULE_SCHEMAS[self.kind]

    def display(self, name: str) -> str:
        if name == "raw":
            return self.raw
        if name == "id":
            return self.id
        return display_value(self.schema.get(name), self.values.get(name))

    def fact(self) -> dict[str, Any]:
        fact = {"record_id": self.id[:1000], "raw": self.raw[:1000]}
        fact.update((k, v) for k, v in self.values.items() if v is not None)
        return fact


@dataclass
class DocumentObservations:
    values: dict[str, Any]  # derived fields of the document record itself
    observations: list[Observation]
    issuer: str | None = None
    level: str | None = None
    # kinds with more observations than `max_observations`: kind -> how many there were in all
    truncated: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _resources():
    from checker.text.lexicon import default_lexicon
    from checker.text.places import default_places

    places = default_places()
    return places, places.prefix_forms(), default_lexicon()


def _in(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


def observe(doc: Document, as_of: date, organization: dict[str, Any] | None = None) -> DocumentObservations:
    """All observations of one document; `organization` ({name, level}, from the configuration) stands in
    for an issuer the text does not name."""
    from checker.text.cndate import find_dates
    from checker.text.counts import find_count_mismatches
    from checker.text.docnumber import find_doc_numbers
    from checker.text.document_meta import extract_meta
    from checker.text.lexicon import find_typos
    from checker.text.positions import line_index, quoted_spans_cached
    from checker.text.quoting import find_agency_mentions, find_self_references

    places, prefixes, lexicon = _resources()
    text = doc.body or ""
    lines = text.split("\n")
    index = line_index(text)
    quotes = quoted_spans_cached(text)
    titles = [(m.start(), m.end()) for m in _CITED_TITLE.finditer(text)]
    numbers = find_doc_numbers(text, prefixes)
    dates = find_dates(text)
    base = doc.body_line if doc.body_line is not None else None

    def at(line: int) -> int | None:
        return base + line - 1 if base is not None else doc.line

    def offset(obs) -> int:
        return index.offset(obs.line, obs.column)

    def make(kind: str, obs, values: dict[str, Any], replacement: str | None = None, line: int | None = None,
             raw: str | None = None) -> Observation:
        return Observation(kind, doc.id, doc.source, doc.index, at(obs.line) if line is None else line,
                           obs.column, obs.end_column, obs.raw if raw is None else raw, values, replacement,
                           obs.line if line is None else None)

    # -------- metadata: from the text (files) or the record's own fields
    own_number = own_date = None
    own_number_line = own_date_line = None
    issuer = title = None
    if doc.origin == "record":
        if doc.doc_number:
            found = find_doc_numbers(doc.doc_number, prefixes)
            own_number = found[0] if found else None
            own_number_line = doc.line
        if doc.issue_date:
            found_dates = [d for d in find_dates(doc.issue_date) if d.precision == "day" or d.two_digit_year]
            own_date = found_dates[0] if found_dates else None
            own_date_line = doc.line
        issuer, title = doc.issuer, doc.title
    else:
        meta = extract_meta(lines, prefixes, doc_numbers=numbers, dates=dates)
        own_number, own_date = meta.doc_number, meta.date
        issuer = meta.issuer.value if meta.issuer else None
        title = meta.title.value if meta.title else None

    issuer_found = bool(issuer)
    if not issuer and organization:
        issuer = organization.get("name")
    issuer_place = places.place_of_issuer(issuer) if issuer else None
    prefix_place = places.place_of_prefix(own_number.prefix) if own_number and own_number.prefix else None
    level = places.level_of(issuer_place or prefix_place) if (issuer_place or prefix_place) else None
    if level is None and organization and not issuer_found:
        level = organization.get("level")
    reviewers = {r.strip() for r in (doc.reviewers or []) if r and r.strip()}
    values: dict[str, Any] = {
        "doc_number_found": own_number is not None or bool(doc.doc_number),
        "issuer_found": issuer_found,
        "issue_date_found": own_date is not None or bool(doc.issue_date),
        "title_found": bool(title),
        "has_reviewers": doc.reviewers is not None,
        "reviewer_count": len(reviewers),
    }
    if level:
        values["level"] = level
    out = _CappedList()

    # -------- document numbers: the own one and every cited one
    def number_values(n, is_own: bool, quoted: bool) -> dict[str, Any]:
        problems = set(n.problems)
        v = {"is_own": is_own, "quoted": quoted, "prefix": n.prefix or None,
             **{p: p in problems for p in ("lookalike_bracket", "short_year", "leading_zero", "ordinal_di",
                                            "fullwidth_digit", "space_inside")}}
        if is_own and issuer_place and prefix_place:
            v["prefix_matches_issuer"] = issuer_place == prefix_place
        return v

    if doc.origin == "record" and own_number is not None:
        out.append(make("doc_number_ref", own_number, number_values(own_number, True, False), own_number.fixed,
                        line=own_number_line))
    for n in numbers:
        is_own = doc.origin != "record" and n is own_number
        quoted = _in(quotes, offset(n))
        out.append(make("doc_number_ref", n, number_values(n, is_own, quoted), n.fixed))

    # -------- 成文日期
    issue_value = own_date.value if own_date is not None else None
    if doc.issue_date and own_date is None:  # given but not a date at all
        out.append(Observation("issue_date", doc.id, doc.source, doc.index, doc.line, None, None, doc.issue_date,
                               {"valid": False, "short_year": False}))
    elif own_date is not None:
        v: dict[str, Any] = {"style": own_date.style, "leading_zero": own_date.has_leading_zero,
                             "short_year": own_date.two_digit_year, "valid": issue_value is not None}
        if issue_value is not None:
            v["days_after_as_of"] = (issue_value - as_of).days
            if own_number is not None and own_number.year is not None:
                v["year_gap"] = issue_value.year - own_number.year
        fix = own_date.suggested if issue_value is not None and own_date.suggested != own_date.raw else None
        out.append(make("issue_date", own_date, v, fix, line=own_date_line if doc.origin == "record" else None))

    # -------- who speaks: self-references and agency names
    if level:
        from checker.text.places import LEVEL_CHAR

        for ref in find_self_references(text):
            own_word = ref.raw[0] + LEVEL_CHAR[level]
            out.append(make("self_reference", ref, {"ref_level": ref.level, "doc_level": level, "quoted": ref.quoted},
                            own_word if own_word != ref.raw else None))
        ancestors = _ancestors(places, issuer_place or prefix_place)
        for mention in find_agency_mentions(text, places):
            if mention.level in ("province", "city", "county", "district"):
                named = ancestors.get(mention.level) if mention.bare else None
                out.append(make("agency_mention", mention, {"mention_level": mention.level, "doc_level": level,
                                                            "bare": mention.bare, "quoted": mention.quoted},
                                named + mention.raw[1:] if named else None))

    # -------- schedule dates earlier than the 成文日期
    if issue_value is not None:
        for d, in_section in _schedule_dates(text, lines, dates, index, quotes, titles, own_date):
            deadline = _period_end(d)
            if deadline is None:
                continue
            out.append(make("schedule_date", d, {"days_before_issue": (issue_value - deadline).days,
                                                 "in_schedule_section": in_section, "quoted": False,
                                                 "issue_date": own_date.raw}))

    # -------- typos and counts
    for typo in find_typos(text, lexicon):
        out.append(make("typo", typo, {"suggestion": typo.suggestion, "safe_fix": typo.safe_fix, "quoted": typo.quoted},
                        typo.suggestion if typo.safe_fix else None))
    for claim in find_count_mismatches(text):
        out.append(make("count_claim", claim, {"stated": claim.stated, "found": claim.found, "agrees": claim.agrees,
                                               "count_kind": claim.kind, "quoted": _in(quotes, offset(claim))}))
    return DocumentObservations(values, list(out), issuer, level, out.truncated)


class _CappedList(list):
    """At most `max_observations` observations of each kind: a hostile document with 200,000 “我市” is
    reported as such (one warning) instead of costing minutes and gigabytes."""

    def __init__(self):
        super().__init__()
        from checker.core.limits import get_limits

        self.limit = get_limits().max_observations
        self.counts: dict[str, int] = {}
        self.truncated: dict[str, int] = {}

    def append(self, item: Observation) -> None:
        count = self.counts.get(item.kind, 0) + 1
        self.counts[item.kind] = count
        if count <= self.limit:
            super().append(item)
        else:
            self.truncated[item.kind] = count


def _ancestors(places, name: str | None) -> dict[str, str]:
    """Level → name of the document's own place and the places above it (新野县 → 南阳市, 河南省)."""
    out: dict[str, str] = {}
    while name:
        place = places.get(name)
        if place is None:
            break
        out.setdefault(place.level, place.name)
        name = place.parent
    return out


def _period_end(d) -> date | None:
    """The last day a date expression covers: 2021年6月(底) → 2021-06-30, 2023年(底) → 2023-12-31."""
    if d.year is None:
        return None
    if d.precision == "day":
        return d.value
    if d.precision == "month" and d.month:
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return date(d.year, 12, 31)


def _schedule_sections(lines: list[str]) -> set[int]:
    """Line numbers (1-based) inside a 进度安排 / 时间安排 / 工作安排 … section."""
    inside: set[int] = set()
    rank = None  # heading rank of the open section: 1 = 一、, 2 = （一）, 3 = an unmarked short heading
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        this_rank = 1 if _TOP_HEADING.match(line) else 2 if _SUB_HEADING.match(line) else None
        is_short = len(re.sub(r"[\s：:。]", "", stripped)) <= 12
        if rank is not None and this_rank is not None and this_rank <= rank:
            rank = None
        if _SECTION_WORDS.search(stripped) and (this_rank is not None or is_short):
            rank = this_rank or 3
            continue
        if rank is not None:
            if rank == 3 and not stripped:
                rank = None
                continue
            inside.add(number)
    return inside


def _schedule_dates(text, lines, dates, index, quotes, titles, own_date):
    """Dates the document sets as its own schedule or deadline (not past dates it only mentions)."""
    sections = _schedule_sections(lines)
    for d in dates:
        if own_date is not None and d.line == own_date.line and d.column == own_date.column:
            continue
        start = index.offset(d.line, d.column)
        end = start + len(d.raw)
        if _in(quotes, start) or _in(titles, start):
            continue  # quoted wording or a cited title: not the author's own schedule
        after = text[end:end + 40]
        if _SINCE_AFTER.match(after):
            continue  # 2022年以来: a past period, only mentioned
        before = text[max(0, start - 8):start]
        sentence = _SENTENCE_END.split(after, 1)[0]
        if d.line in sections:
            yield d, True
        elif (_DEADLINE_AFTER.match(after) and _DEADLINE_VERB.search(sentence)) or _DEADLINE_BEFORE.search(before):
            yield d, False  # "…前完成", "于…前报送", "截止时间：…"
