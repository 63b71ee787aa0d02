"""Per-record outcomes of a domain (subsidy decisions, approval items) and their running totals.

A provincial ledger has hundreds of thousands of rows: outcomes are either kept
as objects (for the terminal, HTML, SARIF and JUnit reports) or, for JSON
output, written straight to a temporary file as JSON lines and dropped, so
memory does not grow with the input.  Summaries are kept as running totals
either way, so every format reports the same numbers.  The totals object is the
domain's: `key(outcome)` is what it needs of one outcome (small: it travels from
worker processes) and `add_key(key)` adds it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from checker.core.errors import temporary_files

# A worker keeps up to this much JSON text per section and task in memory and sends it back with its result;
# only beyond it does it write a spill file.  A document's outcome is a few hundred characters: linting 2,000
# documents with --jobs made 2,000 files (and as many fsyncs and unlinks) for nothing.
HELD_CHARS = 1 << 20


class Outcomes:
    """A list of outcomes with running totals; with `spill()`, outcomes go to disk as JSON lines instead.

    Spilled outcomes are a sequence of segments: files this process wrote, and the files worker processes
    wrote (taken over whole by `absorb`, never copied or re-serialized: with --jobs the parent only
    concatenates text when the report is written).  A worker spills to a named file in `directory` and
    keeps each line's record index and totals key for that merge; its first lines (up to `HELD_CHARS`) stay in
    memory and travel back with its result, so a task with a few outcomes makes no file at all.
    """

    def __init__(self, stats, to_text: Callable[[Any], str]):
        self.items: list = []
        self.stats = stats
        self._to_text = to_text  # an outcome as one compact JSON text
        self._spilling = False
        self._segments: list = []  # open temporary files (ours) and paths (a worker's), in order
        self._file = None  # the segment being written by this process
        self._own: _Spooled | None = None  # this process's newest own segment (the only one held in memory)
        self._path: str | None = None  # a worker's spill file, handed to the parent
        self._keys: list[tuple[int, tuple]] | None = None  # (record index, totals key) per spilled line
        self._directory: str | None = None  # a worker's: where its spill file goes, once it needs one
        self._held: list[str] | None = None  # a worker's lines not written to a file (yet)
        self._held_chars = 0
        self.count = 0

    def spill(self, directory: str | None = None) -> None:
        self._spilling = True
        if directory is not None:
            self._directory = directory
            self._keys = []
            self._held = []

    def _writer(self):
        if self._file is None:
            if self._directory is not None:  # a worker: a named file, which the parent takes over whole
                import tempfile  # with shutil and random: only for a worker whose lines do not fit in memory

                self._file = tempfile.NamedTemporaryFile(
                    "w", encoding="utf-8", dir=self._directory, suffix=".jsonl", delete=False
                )
                self._path = self._file.name
                for line in self._held:
                    self._file.write(line + "\n")
                self._held = []
            else:
                if self._own is not None:  # at most one segment in memory: the one before goes to disk
                    self._own.to_file()
                self._file = self._own = _Spooled()
                self._segments.append(self._file)
        return self._file

    @temporary_files
    def append(self, outcome) -> None:
        key = self.stats.key(outcome)
        self.stats.add_key(key)
        self.count += 1
        if self._spilling:
            text = self._to_text(outcome)
            if self._held is not None and self._path is None and self._held_chars + len(text) <= HELD_CHARS:
                self._held.append(text)
                self._held_chars += len(text)
            else:
                self._writer().write(text + "\n")
            if self._keys is not None:
                self._keys.append((outcome.record.index, key))
        else:
            self.items.append(outcome)

    def extend(self, outcomes) -> None:
        for outcome in outcomes:
            self.append(outcome)

    @temporary_files
    def absorb(self, other: Outcomes, dropped: set[int]) -> None:
        """Append a worker's outcomes except those of `dropped` record indices (duplicate ids)."""
        if other._path is None and other._held is None:
            self.extend(o for o in other.items if o.record.index not in dropped)
            return
        if other._path is None:  # a worker's few lines, sent back in its result
            for (index, key), line in zip(other._keys, other._held):
                if index not in dropped:
                    self.stats.add_key(key)
                    self.count += 1
                    self._writer().write(line + "\n")
            return
        if not dropped.intersection(index for index, _ in other._keys):
            for _, key in other._keys:
                self.stats.add_key(key)
            self.count += len(other._keys)
            self._file = None  # later outcomes of ours go to a new segment after this one
            self._segments.append(other._path)
            return
        try:  # rare: a range repeated an earlier range's id; copy its other lines
            with open(other._path, encoding="utf-8") as lines:
                for (index, key), line in zip(other._keys, lines):
                    if index not in dropped:
                        self.stats.add_key(key)
                        self.count += 1
                        self._writer().write(line)
        finally:
            os.unlink(other._path)

    def discard(self) -> None:
        """Drop a worker's outcomes unread (their range is not merged)."""
        if self._path is not None:
            os.unlink(self._path)

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getstate__(self):  # worker partials travel by pickle: a spill file by its name, once closed
        if self._path is not None and self._file is not None:
            self._file.close()
        state = dict(self.__dict__)
        state["_file"] = state["_own"] = None
        state["_segments"] = []
        return state

    @temporary_files
    def _blocks(self, binary: bool = False) -> Iterator:
        """The spilled text (UTF-8 bytes with `binary`), segment after segment, in blocks of up to 64 KiB."""
        size, empty = 1 << 16, b"" if binary else ""
        for segment in self._segments:
            if isinstance(segment, str):
                with open(segment, "rb" if binary else "r", **({} if binary else {"encoding": "utf-8"})) as handle:
                    yield from iter(lambda: handle.read(size), empty)  # noqa: B023 - consumed right here
            elif isinstance(segment, _Spooled) and segment.file is None:
                text = "".join(segment.parts)
                data = text.encode("utf-8") if binary else text
                for start in range(0, len(data), size):
                    yield data[start : start + size]
            else:
                segment = segment.file if isinstance(segment, _Spooled) else segment
                segment.flush()
                handle = segment.buffer if binary else segment
                handle.seek(0)
                yield from iter(lambda: handle.read(size), empty)  # noqa: B023 - consumed right here
                handle.seek(0, os.SEEK_END)

    def write_joined(self, stream, separator: str) -> bool:
        """Write every outcome's JSON text, `separator` between them; False when there is none.

        Spilled text is copied in blocks: its lines are compact JSON (a newline inside a value is
        escaped), so each line break is exactly one separator.
        """
        if not self._spilling:
            first = True
            for text in self.json_lines():
                if not first:
                    stream.write(separator)
                stream.write(text)
                first = False
            return not first
        target, newline = stream, "\n"
        if _utf8_buffer(stream) is not None:  # hundreds of MB for a provincial ledger: copy bytes, not text
            stream.flush()
            target, newline, separator = stream.buffer, b"\n", separator.encode("utf-8")
        wrote = pending = False
        for block in self._blocks(binary=target is not stream):
            if pending:
                target.write(separator)
            pending = block.endswith(newline)
            target.write((block[:-1] if pending else block).replace(newline, separator))
            wrote = True
        return wrote

    def json_lines(self) -> Iterator[str]:
        """Every outcome as one compact JSON text, in order."""
        if not self._spilling:
            for outcome in self.items:
                yield self._to_text(outcome)
            return
        rest = ""
        for block in self._blocks():
            lines = (rest + block).split("\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest


def _utf8_buffer(stream):
    """The binary buffer under a UTF-8 text stream that translates no newlines, else None."""
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return buffer if buffer is not None and encoding == "utf8" and os.linesep == "\n" else None


class _Spooled:
    """This process's own segment: its text in memory up to `HELD_CHARS`, then a temporary file, so a short run
    (one notice, a small ledger) writes none and does not import tempfile (with shutil and random).  Only the
    newest of a list's own segments stays in memory (one between workers' files moves to disk when the next
    begins), so what is held is bounded however the segments alternate."""

    def __init__(self):
        self.parts: list[str] = []
        self.chars = 0
        self.file = None

    def write(self, text: str) -> None:
        if self.file is not None:
            self.file.write(text)
            return
        self.parts.append(text)
        self.chars += len(text)
        if self.chars > HELD_CHARS:
            self.to_file()

    def to_file(self) -> None:
        if self.file is None:
            import tempfile

            self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
            self.file.write("".join(self.parts))
            self.parts = []
