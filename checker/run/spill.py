"""Findings of a long run written to disk in report order, so a JSON report on a provincial ledger holds none.

A 1,000,000-row ledger has about 130,000 findings, some 650 bytes each in memory (object, message, evidence,
the values that made the rule fire): 85 MB held until the report was written, most of what such a check grew
by.  With JSON output, once a run holds `HELD_FINDINGS` they are settled (selection, waivers), counted and
written as the compact JSON lines the report copies, a batch at a time.

Report order (`RunResult.sort`): by source; a file's own findings first; then its records, those whose most
severe finding is the most severe first, in file order; within a record by severity, line, column and rule.
A batch is only taken between records, so a record's findings are never split and its worst severity is
known when it is written: the record goes as one block to the bucket (source, worst), and a bucket is read
back as its blocks merged by record index (a later batch may hold an earlier record: a worker's range).
A file's own findings are few and stay in memory, and so do those with a line but no record (record number 0:
a read error at a line, a header notice), which several ranges of one file may each report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain

from checker.core.errors import temporary_files
from checker.core.severity import SEVERITIES
from checker.core.values import compact_json
from checker.run.findings import Finding

# Findings a run holds before it writes them to disk: about 6.5 MB.  A county's ledger or a day's documents
# never get there, so their report is written from memory as before.
HELD_FINDINGS = 10_000
_BLOCK = 1 << 16


class FindingSpill:
    """Findings taken in batches of whole records; `texts()` gives every one's JSON text in report order."""

    def __init__(self, settle: Callable[[list[Finding]], list[Finding]]):
        self._settle = settle  # the findings a report keeps of a batch, marked waived where covered
        self._file = None  # made on the first batch with records: most runs never take one
        self._size = 0
        # (source, -worst) -> (offset, length, first and last record index) of each block, in the order written
        self._blocks: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}
        self._file_level: list[Finding] = []
        self._unplaced: list[Finding] = []  # a line but no record: sorted as the file's record 0, at the end
        self.taken = False
        self.counts = dict.fromkeys(SEVERITIES, 0)
        self.waived = 0
        self.worst_counting = 0  # the highest rank of a finding that can fail the run (0: none)

    def take(self, findings: list[Finding], settled: bool = False) -> None:
        """Settle (unless `settled`), count and write whole records' findings; a file's own are kept."""
        self.taken = True
        kept = findings if settled else self._settle(findings)
        records: dict[tuple[str, int], list[Finding]] = {}
        for finding in kept:
            self.counts[finding.severity] += 1
            if finding.waived:
                self.waived += 1
            if finding.counts:
                self.worst_counting = max(self.worst_counting, finding.rank)
            if finding.file_level:
                self._file_level.append(finding)
            elif finding.record_index == 0:
                self._unplaced.append(finding)
            else:
                records.setdefault((finding.source, finding.record_index), []).append(finding)
        buckets: dict[tuple[str, int], list[tuple[int, list[Finding]]]] = {}
        for (source, index), group in records.items():
            buckets.setdefault((source, -max(f.rank for f in group)), []).append((index, group))
        if buckets:
            self._write(buckets)

    @temporary_files
    def _write(self, buckets: dict[tuple[str, int], list[tuple[int, list[Finding]]]]) -> None:
        """Each bucket's records, in record order, as one block of the temporary file."""
        if self._file is None:
            import tempfile  # imported by the first spill: most runs never write one

            self._file = tempfile.TemporaryFile("w+b")
        self._file.seek(self._size)
        for bucket, groups in buckets.items():
            groups.sort(key=lambda entry: entry[0])
            start = self._size
            for index, group in groups:
                group.sort(key=Finding.sort_key)
                for finding in group:  # one line at a time: a finding's JSON is about 2 KB, a batch's 20 MB
                    self._size += self._file.write(f"{index}\t{compact_json(finding.to_json())}\n".encode())
            self._blocks.setdefault(bucket, []).append((start, self._size - start, groups[0][0], groups[-1][0]))

    @temporary_files
    def texts(self) -> Iterator[str]:
        """Every finding taken, as compact JSON, in report order."""
        if self._file is not None:
            self._file.flush()
        own: dict[str, list[Finding]] = {}
        for finding in self._file_level:
            own.setdefault(finding.source, []).append(finding)
        unplaced: dict[str, list[Finding]] = {}
        for finding in self._unplaced:
            unplaced.setdefault(finding.source, []).append(finding)
        buckets: dict[str, set[int]] = {}
        for source, worst in self._blocks:
            buckets.setdefault(source, set()).add(worst)
        first: dict[str, tuple[int, list[Finding]]] = {}  # source -> (-worst, findings) of its record 0
        for source, group in unplaced.items():
            first[source] = (-max(f.rank for f in group), sorted(group, key=Finding.sort_key))
            buckets.setdefault(source, set()).add(first[source][0])
        for source in sorted(own.keys() | buckets.keys()):
            for finding in sorted(own.get(source, ()), key=Finding.sort_key):
                yield compact_json(finding.to_json())
            for worst in sorted(buckets.get(source, ())):
                if source in first and first[source][0] == worst:  # record 0 comes before every record
                    yield from (compact_json(f.to_json()) for f in first[source][1])
                for line in self._bucket(self._blocks.get((source, worst), [])):
                    yield line.partition("\t")[2]

    def _bucket(self, blocks: list[tuple[int, int, int, int]]) -> Iterator[str]:
        """A bucket's lines in record order: its blocks one after another when each holds later records than the
        one before (always, in one process), else merged by record index."""
        if all(before[3] < after[2] for before, after in zip(blocks, blocks[1:])):
            return chain.from_iterable(self._lines(offset, length) for offset, length, _, _ in blocks)
        import heapq

        return heapq.merge(*(self._lines(offset, length) for offset, length, _, _ in blocks), key=_record_index)

    @temporary_files
    def _lines(self, offset: int, length: int) -> Iterator[str]:
        """One block's lines (without their newline), read in pieces of up to 64 KiB."""
        end, rest = offset + length, b""
        while offset < end:
            self._file.seek(offset)  # blocks are read in turn by the merge: each read says where it is
            piece = self._file.read(min(_BLOCK, end - offset))
            if not piece:
                raise OSError("临时文件被截断")
            offset += len(piece)
            lines = (rest + piece).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield line.decode("utf-8")


def _record_index(line: str) -> int:
    return int(line[: line.index("\t")])
