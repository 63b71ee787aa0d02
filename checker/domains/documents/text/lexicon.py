"""Typo lexicon (checker/domains/documents/data/lexicon/typos.yaml) and its finder.

The lexicon is data so reviewers can add an entry without touching code.
Matching is two-stage for speed: one alternation of the plain wrong forms
(which the regex engine scans with a first-character table) finds candidates,
and only there is each entry's context pattern tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.plain import plain
from checker.domains.documents.text.places import load_yaml, validation_error
from checker.domains.documents.text.positions import (
    in_spans,
    line_index,
    quoted_spans_cached,
)

DEFAULT_LEXICON = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "typos.yaml"


@plain(frozen=True, slots=True)
class LexiconEntry:
    wrong: str
    right: str
    context: str | tuple[str, ...] | None
    safe_fix: bool
    note: str
    example: str | None
    pattern: str  # regex source matching exactly `wrong` where it is wrong
    compiled: re.Pattern


@plain(frozen=True)
class Lexicon:
    source: str
    entries: tuple[LexiconEntry, ...]
    candidates: re.Pattern  # any wrong form, longest first
    by_first_char: dict[str, tuple[LexiconEntry, ...]]  # entries by first character of `wrong`, longest first


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class TypoObs:
    line: int
    column: int
    end_column: int
    raw: str
    suggestion: str
    safe_fix: bool
    note: str
    quoted: bool  # inside “ ” etc.: often a quotation of someone else's error


def _models():
    from pydantic import BaseModel, ConfigDict, Field

    class EntryModel(BaseModel):
        model_config = ConfigDict(extra="forbid")
        wrong: str = Field(min_length=1)
        right: str = Field(min_length=1)
        context: str | list[str] | None = None
        example: str | None = None
        safe_fix: bool
        note: str = Field(min_length=1)

    class LexiconFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        version: int = Field(ge=1, le=1)
        entries: list[EntryModel] = Field(min_length=1)

    return LexiconFile


def _entry_pattern(wrong: str, context) -> str:
    if context is None:
        return re.escape(wrong)
    if isinstance(context, str):
        return context
    parts = []
    for phrase in context:
        i = phrase.index(wrong)
        before, after = phrase[:i], phrase[i + len(wrong) :]
        parts.append(
            (f"(?<={re.escape(before)})" if before else "")
            + re.escape(wrong)
            + (f"(?={re.escape(after)})" if after else "")
        )
    return "(?:" + "|".join(parts) + ")"


def build_lexicon(data, source: str) -> Lexicon:
    """Validate parsed YAML data and compile it; every problem names the file and the entry."""
    from pydantic import ValidationError

    try:
        model = _models().model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, "entries", data) from None
    entries: list[LexiconEntry] = []
    seen: set[tuple] = set()
    for i, e in enumerate(model.entries, 1):
        record = f"第{i}条（{e.wrong}）"

        def fail(message: str, field: str) -> CheckerInputError:
            return CheckerInputError(message, Location(source, record=record, field=field), code="INPUT-FORMAT")  # noqa: B023 - used within the iteration

        if e.wrong == e.right:
            raise fail("wrong 与 right 相同", "right")
        context = tuple(e.context) if isinstance(e.context, list) else e.context
        if isinstance(context, tuple):
            if not context:
                raise fail("context 短语列表为空", "context")
            for phrase in context:
                if phrase.count(e.wrong) != 1:
                    raise fail(f"短语“{phrase}”应恰好包含一次“{e.wrong}”", "context")
        pattern = _entry_pattern(e.wrong, context)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise fail(f"正则表达式错误：{exc}", "context") from None
        if compiled.groups:
            raise fail("context 正则中不能有捕获组，请用 (?:…)", "context")
        if compiled.search("") is not None:
            raise fail("context 正则会匹配空串", "context")
        if context is not None and not e.example:
            raise fail("带 context 的条目必须给出 example", "example")
        if e.example is not None:
            hits = [m.group() for m in compiled.finditer(e.example)]
            if not hits:
                raise fail("example 中没有命中本条目", "example")
            if any(h != e.wrong for h in hits):
                raise fail(f"context 正则命中的文字应为“{e.wrong}”，实为“{hits[0]}”", "context")
        key = (e.wrong, context)
        if key in seen:
            raise fail("条目重复", "wrong")
        seen.add(key)
        entries.append(LexiconEntry(e.wrong, e.right, context, e.safe_fix, e.note, e.example, pattern, compiled))
    longest_first = sorted(entries, key=lambda x: -len(x.wrong))
    wrongs = dict.fromkeys(x.wrong for x in longest_first)
    candidates = re.compile("|".join(re.escape(w) for w in wrongs))
    by_first: dict[str, list[LexiconEntry]] = {}
    for x in longest_first:
        by_first.setdefault(x.wrong[0], []).append(x)
    return Lexicon(source, tuple(entries), candidates, {k: tuple(v) for k, v in by_first.items()})


def load_lexicon(path: str | Path = DEFAULT_LEXICON) -> Lexicon:
    """Load, validate and compile a lexicon file."""
    return build_lexicon(load_yaml(path), str(path))


@lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    """The bundled lexicon, loaded once (and kept validated in checker's cache between runs)."""
    from checker.core import cache

    key = cache.data_key(DEFAULT_LEXICON)
    lexicon = cache.load("lexicon", key) if key else None
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(DEFAULT_LEXICON)
        if key:
            cache.store("lexicon", key, _lazy(lexicon), kept=4)
    return lexicon


def _lazy(lexicon: Lexicon) -> Lexicon:
    """The same lexicon with patterns compiled on first use, for the cache: most entries never match."""
    from checker.core.lazyre import LazyPattern
    from checker.core.plain import replace

    def lazy(pattern: re.Pattern) -> LazyPattern:
        return LazyPattern(pattern.pattern, pattern.flags)

    entries = {id(e): replace(e, compiled=lazy(e.compiled)) for e in lexicon.entries}
    return Lexicon(
        lexicon.source,
        tuple(entries[id(e)] for e in lexicon.entries),
        lazy(lexicon.candidates),
        {k: tuple(entries[id(e)] for e in v) for k, v in lexicon.by_first_char.items()},
    )


def find_typos(text: str, lexicon: Lexicon | None = None, limit: int | None = None) -> list[TypoObs]:
    """Every lexicon hit in `text` (or the first `limit`), leftmost first, non-overlapping (longer wrong forms
    win)."""
    return list(islice(iter_typos(text, lexicon), limit))


def iter_typos(text: str, lexicon: Lexicon | None = None) -> Iterator[TypoObs]:
    """Each lexicon hit in `text`, leftmost first (`find_typos`), found as it is taken."""
    lexicon = lexicon or default_lexicon()
    idx = spans = None
    search = lexicon.candidates.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start = m.start()
        hit = None
        for e in lexicon.by_first_char[text[start]]:
            if text.startswith(e.wrong, start):
                mm = e.compiled.match(text, start)
                if mm is not None and mm.end() == start + len(e.wrong):
                    hit = e
                    break
        if hit is None:
            pos = start + 1
            continue
        if idx is None:
            idx = line_index(text)
            spans = quoted_spans_cached(text)
        line, col = idx.line_col(start)
        n = len(hit.wrong)
        pos = start + n
        yield TypoObs(line, col, col + n, hit.wrong, hit.right, hit.safe_fix, hit.note, in_spans(start, spans))
