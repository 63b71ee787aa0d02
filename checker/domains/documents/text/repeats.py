"""Text repeated by mistake: fragments left over from editing.

Five shapes, each an observation the rules judge (`kind`):

- run: a run of 3 to `max_unit` characters written twice or more in a row (设立值班室设立值班室);
- word: a two-character unit written twice (工作工作), unless the language doubles it (研究研究, 讨论讨论);
  `word_end` says whether the sentence or word ends right after it (纯小数小数点 is 纯小数 + 小数点, not a repeat);
- char: one of the listed function characters doubled (的的, 为为), unless part of a listed phrase (目的的,
  行为为, 为了了解) or of an AABB form (的的确确, 实实在在);
- frame: the leading word of a sentence frame repeated inside it (现将《…》现印发: the second 现);
- phrase: the same phrase of 4+ characters twice with a few characters between (值班工作进一步加强值班工作).

Not found: repeats across a line break, around punctuation or spaces (a table's cells, 规划，规划用途), units that
are all numerals (二零二零, 2020), units of one character repeated (常常, 层层: only listed function characters
count), and the quantifier reduplication 一个一个 (a unit needs two characters that are not numerals).  Whether
a finding is quoted, in a cited title, a title line or a table row is the observation module's to say.

The words and thresholds come from the pack's settings (`RepeatVocab.from_settings`).  Every scan is linear:
the one regex with a back-reference tries at most `max_unit` lengths at each position, each a comparison of at
most `max_unit` characters; periodic stretches that are rejected are stepped over as a whole.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

from checker.core.lazyre import compile_pattern, lazy_compile
from checker.core.plain import field, plain
from checker.domains.documents.text.positions import line_index

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
_UNIT = _HAN + "0-9\uff10-\uff19A-Za-z\uff21-\uff3a\uff41-\uff5a"
_HAN_RE = lazy_compile(f"[{_HAN}]")
_UNIT_RE = lazy_compile(f"[{_UNIT}]+")
_SENTENCE_END = lazy_compile(r"[。；;：:！!？?\n]")
FRAME_MARK = "…"


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class RepeatObs:
    line: int
    column: int
    end_column: int  # exclusive
    raw: str  # the text the finding covers
    kind: str  # run | word | char | phrase | frame
    unit: str  # what is repeated
    copies: int
    start: int  # offsets in the text
    end: int
    replacement: str | None  # the span's text with the repeat removed; None: no fix proposed
    lead: str = ""  # frame: the frame's leading word (现将)
    word_end: bool = False  # what follows ends the word: not a Chinese character, or a particle (的, 了 ...)


@plain(frozen=True)
class RepeatVocab:
    """The pack's language data, compiled: what doubles legitimately, what never does."""

    max_unit: int
    reduplications: frozenset[str]  # AB whose ABAB is the language (研究研究)
    numerals: frozenset[str]
    doubled_chars: str
    char_exceptions: dict[str, tuple[tuple[str, int], ...]]  # char -> (phrase, offset of the doubled pair)
    frames: tuple[tuple[str, str, int], ...]  # (lead, again, length of the repeated word)
    frame_not_after: frozenset[str]  # characters that make the repeated word part of another (出现, 实现)
    phrase_min: int
    phrase_max: int
    phrase_gap: int
    gap_words: tuple[str, ...]
    word_end_chars: frozenset[str]
    patterns: dict[str, re.Pattern] = field(default_factory=dict, compare=False)

    @classmethod
    def from_settings(cls, settings: dict, source: str = "settings") -> RepeatVocab:
        """Validate and compile the pack's settings; a bad entry raises ValueError naming the setting."""

        def fail(key: str, message: str) -> ValueError:
            return ValueError(f"{source}: {key}: {message}")

        def number(key: str, low: int, high: int) -> int:
            value = settings[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise fail(key, f"应为 {low} 到 {high} 之间的整数")
            return value

        def strings(key: str) -> list[str]:
            value = settings[key]
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise fail(key, "应为非空字符串的列表")
            return value

        max_unit = number("max_unit_length", 3, 40)
        reduplications = strings("reduplications")
        for word in reduplications:
            if len(word) != 2:
                raise fail("reduplications", f"“{word}”应为两个字（ABAB 中的 AB）")
        chars = "".join(strings("doubled_chars"))
        if len(set(chars)) != len(chars) or not all(_HAN_RE.fullmatch(c) for c in chars):
            raise fail("doubled_chars", "应为互不相同的单个汉字")
        exceptions: dict[str, list[tuple[str, int]]] = {}
        for phrase in strings("doubled_char_exceptions"):
            pairs = [k for k in range(len(phrase) - 1) if phrase[k] == phrase[k + 1] and phrase[k] in chars]
            if len(pairs) != 1:
                raise fail("doubled_char_exceptions", f"“{phrase}”应恰好包含一处 doubled_chars 中的字的重叠")
            exceptions.setdefault(phrase[pairs[0]], []).append((phrase, pairs[0]))
        frames = []
        for entry in strings("frame_repeats"):
            lead, sep, again = entry.partition(FRAME_MARK)
            common = 0
            while common < min(len(lead), len(again)) and lead[common] == again[common]:
                common += 1
            if not sep or not lead or not common or common == len(again):
                raise fail("frame_repeats", f"“{entry}”应写成“现将…现印发”：两段以同一个词开头，用“…”隔开")
            frames.append((lead, again, common))
        phrase_min = number("phrase_min_length", 3, 20)
        phrase_max = number("phrase_max_length", phrase_min, 40)
        return cls(
            max_unit,
            frozenset(reduplications),
            frozenset(str(settings["numerals"])),
            chars,
            {c: tuple(v) for c, v in exceptions.items()},
            tuple(frames),
            frozenset("".join(strings("frame_not_after"))),
            phrase_min,
            phrase_max,
            number("phrase_max_gap", 1, 20),
            tuple(strings("phrase_gap_words")),
            frozenset("".join(strings("word_end_chars"))),
        )

    def pattern(self, name: str) -> re.Pattern:
        compiled = self.patterns.get(name)
        if compiled is None:
            if name == "repeat":  # the leftmost position with a unit of 2..max_unit characters written twice
                source = f"([{_UNIT}]{{2,{self.max_unit}}}?)\\1"
            elif name == "char":
                source = f"([{re.escape(self.doubled_chars)}])\\1+" if self.doubled_chars else "(?!)"
            elif name == "phrase":  # a 4-gram that recurs after 1..gap+max-4 characters (then extended)
                head = min(4, self.phrase_min)
                source = f"([{_HAN}]{{{head}}})[{_HAN}]{{1,{self.phrase_gap + self.phrase_max - head}}}?\\1"
            else:  # frame leads
                # longest first, equal lengths in text order: the same pattern text (kept compiled) in every run
                leads = sorted({lead for lead, _, _ in self.frames}, key=lambda lead: (-len(lead), lead))
                source = "|".join(re.escape(lead) for lead in leads) or "(?!)"
            compiled = self.patterns[name] = compile_pattern(source)
        return compiled


def find_repeats(text: str, vocab: RepeatVocab, *, limit: int | None = None) -> list[RepeatObs]:
    """Every repeat in `text` (the first `limit` of them; None: all), in text order, none overlapping another:
    runs and words first, then doubled characters, frames and phrases where none was found.

    With a limit each scan stops at its `limit`-th repeat.  A repeat it leaves unread starts after that one, so a
    later scan's span that it would have refused and that starts before reaches over that one, and is refused
    all the same: the first `limit` of all are those of the whole text, and only they get a line and column."""
    taken = _Taken()
    for finder in (_runs, _chars, _frames, _phrases):
        hits = (hit for hit in finder(text, vocab, taken) if not taken.overlaps(hit[0], hit[1]))
        taken.add_all(list(hits if limit is None else islice(hits, limit)))
    hits = taken.hits if limit is None else taken.hits[:limit]
    return [_make(text, vocab, *hit) for hit in hits]


class _Taken:
    """The spans found so far, sorted and disjoint (each finder's own hits are disjoint and in text order)."""

    def __init__(self):
        self.hits: list[tuple] = []
        self.starts: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and self.hits[i][1] > start:
            return True
        return i + 1 < len(self.hits) and self.hits[i + 1][0] < end

    def covering(self, pos: int) -> int | None:
        """The end of the span that holds `pos`, if one does."""
        i = bisect_right(self.starts, pos) - 1
        return self.hits[i][1] if i >= 0 and self.hits[i][1] > pos else None

    def add_all(self, hits: list[tuple]) -> None:
        if hits:
            self.hits = sorted([*self.hits, *hits])
            self.starts = [hit[0] for hit in self.hits]


def _make(text: str, vocab: RepeatVocab, start, end, kind, unit, copies, replacement, lead="") -> RepeatObs:
    line, column = line_index(text).line_col(start)
    after = text[end] if end < len(text) else ""
    word_end = not after or not _HAN_RE.match(after) or after in vocab.word_end_chars
    raw = text[start:end]
    return RepeatObs(
        line, column, column + end - start, raw, kind, unit, copies, start, end, replacement, lead, word_end
    )


# ------------------------------------------------------------------ runs and words


def _smallest_period(s: str) -> int:
    """The smallest p such that s[k] == s[k + p] for every k (len(s) when there is none shorter)."""
    for p in range(1, len(s)):
        if s[p:] == s[:-p]:
            return p
    return len(s)


def _unit_ok(unit: str, vocab: RepeatVocab, exact: bool = True) -> bool:
    """A unit worth reporting: not itself periodic (工作工作 as a unit of 4, or, for a phrase, 一个一个一), and with two
    characters that are not numerals (or one, in a unit of 3+: 2023年2023年) — so not 二零二零 nor 一个一个."""
    size = len(unit)
    if not _UNIT_RE.fullmatch(unit):
        return False
    period = _smallest_period(unit)
    if (size % period == 0 and period < size) if exact else period <= size // 2:
        return False
    meaningful = sum(1 for c in unit if c not in vocab.numerals and _HAN_RE.match(c))
    return meaningful >= 2 or (meaningful == 1 and size >= 3)


def _periodic_end(text: str, start: int, size: int) -> int:
    """End of the stretch from `start` in which every character equals the one `size` before it (at least
    start + size).  Galloping slice comparisons: linear, and in C."""
    end, n, step = start + size, len(text), 8
    if end < n and text[end] != text[end - size]:
        return end
    while end < n:
        stop = min(n, end + step)
        if text[end:stop] == text[end - size : stop - size]:
            end, step = stop, step * 2
            continue
        if step == 1:
            break
        step //= 2
    return end


def _best_at(text: str, i: int, vocab: RepeatVocab, beyond: int) -> tuple[int, int] | None:
    """(unit length, copies) of the acceptable repeat at `i` covering the most text, among those reaching past
    `beyond`; None when there is none."""
    best = None
    n = len(text)
    first = text[i]
    for size in range(2, vocab.max_unit + 1):
        if i + 2 * size > n:
            break
        if text[i + size] != first or i + 2 * size <= beyond or text[i : i + size] != text[i + size : i + 2 * size]:
            continue
        unit = text[i : i + size]
        if not _unit_ok(unit, vocab):
            continue  # before its copies are counted: a unit refused at every place of a long periodic stretch
            # (工作工作， written 100,000 times: 工作工作， at each 工作工作) must not count to its end each time
        copies = (_periodic_end(text, i + size, size) - i) // size
        if size == 2 and copies == 2 and unit in vocab.reduplications:
            continue
        if best is None or size * copies > best[0] * best[1]:
            best = (size, copies)
    return best


def _runs(text: str, vocab: RepeatVocab, taken: _Taken):
    search = vocab.pattern("repeat").search
    pos = 0
    while (m := search(text, pos)) is not None:
        i, size = m.start(), len(m.group(1))
        found = _best_at(text, i, vocab, i)
        start = i
        if found is None:
            # Inside the rejected periodic stretch every repeat is a rotation of the rejected unit (or has a
            # smaller period): only repeats that reach past its end are new, and they start near it.
            end = _periodic_end(text, i + size, size)
            pos = i + 1
            if end - i > 2 * size:
                pos = end
                for j in range(max(i + 1, end - 2 * vocab.max_unit), end):
                    found = _best_at(text, j, vocab, end)
                    if found is not None:
                        start = j
                        break
            if found is None:
                continue
        size, copies = found
        unit = text[start : start + size]
        yield (start, start + size * copies, "word" if size == 2 else "run", unit, copies, unit)
        pos = start + size * copies


# ------------------------------------------------------------------ doubled function characters


def _exempt_pair(text: str, p: int, vocab: RepeatVocab) -> bool:
    """The doubled pair at p is part of a listed phrase (目的的, 行为为, 为了了解)."""
    for phrase, k in vocab.char_exceptions.get(text[p], ()):
        if p >= k and text.startswith(phrase, p - k):
            return True
    return False


def _chars(text: str, vocab: RepeatVocab, taken: _Taken):
    for m in vocab.pattern("char").finditer(text):
        s, e = m.span()
        if taken.overlaps(s, e):
            continue
        c = text[s]
        if e - s == 2:
            before = s >= 2 and text[s - 2] == text[s - 1] != c
            after = e + 1 < len(text) and text[e] == text[e + 1] != c
            if before or after:  # AABB: 的的确确, 实实在在
                continue
        if _exempt_pair(text, s, vocab):
            s += 1
        if e - s >= 2 and _exempt_pair(text, e - 2, vocab):
            e -= 1
        if e - s >= 2:
            yield (s, e, "char", c, e - s, c)


# ------------------------------------------------------------------ frames (现将…现印发)


def _frames(text: str, vocab: RepeatVocab, taken: _Taken):
    by_lead: dict[str, list[tuple[str, int]]] = {}
    for lead, again, common in vocab.frames:
        by_lead.setdefault(lead, []).append((again, common))
    leads = vocab.pattern("frame").finditer(text)  # read as the scan goes: each with the one after it
    following = next(leads, None)
    while following is not None:
        m, following = following, next(leads, None)
        limit = min(len(text), m.end() + 300)
        if following is not None:
            limit = min(limit, following.start())
        if limit <= m.end():
            continue
        stop = _SENTENCE_END.search(text, m.end(), limit)
        if stop is not None:
            limit = stop.start()
        hits = []
        for again, common in by_lead[m.group()]:
            at = text.find(again, m.end(), limit)
            while at >= 0 and text[at - 1] in vocab.frame_not_after:  # 出现印发不规范: 出现, not 现
                at = text.find(again, at + 1, limit)
            if at >= 0:
                hits.append((at, again, common))
        if hits:
            at, again, common = min(hits)
            yield (at, at + len(again), "frame", again[:common], 2, again[common:], m.group())


# ------------------------------------------------------------------ phrases (值班工作进一步加强值班工作)


def _phrases(text: str, vocab: RepeatVocab, taken: _Taken):
    search = vocab.pattern("phrase").search
    head = min(4, vocab.phrase_min)
    n = len(text)
    pos = 0
    while (m := search(text, pos)) is not None:
        i = m.start()
        inside = taken.covering(i)
        if inside is not None:  # in a repeat already found: go on after it
            pos = inside
            continue
        j = m.end() - head
        size = head
        while size < vocab.phrase_max and i + size < j - 1 and j + size < n and text[i + size] == text[j + size]:
            size += 1
        phrase, gap = text[i : i + size], text[i + size : j]
        if (
            size >= vocab.phrase_min
            and len(gap) <= vocab.phrase_gap
            and _unit_ok(phrase, vocab, exact=False)
            and not any(word in gap for word in vocab.gap_words)
        ):
            yield (i, j + size, "phrase", phrase, 2, None)
            pos = j + size
            continue
        pos = i + 1
        period = _smallest_period(text[i : i + head])
        if period < head:
            # in a stretch of period p (一个一个…, 的的的…) every phrase of 2p+ characters is periodic: the next
            # one that is not starts near its end
            pos = max(pos, _periodic_end(text, i, period) - 2 * period - head)
