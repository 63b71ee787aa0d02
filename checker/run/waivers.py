"""Waivers: findings a reviewer has accepted, with a reason, an approver and an expiry date.

A waived finding is still reported (marked waived, with its reason) but does not
fail the run.  A waiver is itself checked: one that is malformed, has no reason,
has expired, or matches nothing becomes a finding of category `waiver`.

Two sources:
- a waiver file (`checker-waivers.yaml`): a `waivers:` list of
  {rule, record | file (+ line), reason, approver, expires};
- an inline marker in a text document, on its own line or at the end of one:
  `checker: waive RULE-ID reason="…" approver="…" expires=YYYY-MM-DD`
  (may sit inside an HTML comment in .md files); it covers findings on the
  marker's line and on the next non-empty line.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from checker.core.lazyre import lazy_compile
from checker.core.plain import field, plain
from checker.core.values import lines_holding
from checker.run.findings import Finding

WAIVER_FILE = "checker-waivers.yaml"
WAIVER_CITATION = "checker 豁免声明规则（README“Waivers”）"
_MARKER_START = lazy_compile("checker:")
_MARKER = lazy_compile(r"checker:\s*waive\s+(?P<rule>[A-Z][A-Z0-9-]+)(?P<rest>[^\n]*?)(?:-->|$)")
_ATTR = lazy_compile(r'(?P<key>reason|approver|expires)\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')


_INVISIBLE = lazy_compile(r"[\s\u200b-\u200f\u2060\ufeff\u3000]+")


def _blank(text: str) -> bool:
    """Empty once spaces and invisible characters (zero-width space, BOM) are gone: no reason, no name."""
    return not _INVISIBLE.sub("", text)


@cache
def _spec_model():
    """The pydantic model of one waiver, built on first use: most runs have no waiver to validate."""
    from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

    class WaiverSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")

        rule: str = Field(min_length=1)
        record: str | None = None
        file: str | None = None
        line: int | None = Field(default=None, gt=0)
        reason: str = Field(min_length=1)
        approver: str = Field(min_length=1)
        expires: date

        @field_validator("record", mode="before")
        @classmethod
        def _record_text(cls, value):
            # `record: 123` in YAML is the number 123; the record's id is the text "123"
            return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

        @model_validator(mode="after")
        def _target(self):
            if _blank(self.reason):
                raise ValueError("reason（理由）不能为空")
            if _blank(self.approver):
                raise ValueError("approver（批准人）不能为空")
            if self.record is None and self.file is None:
                raise ValueError("须指明 record（记录编号）或 file（文件）")
            if self.line is not None and self.file is None:
                raise ValueError("line 只能与 file 一起使用")
            return self

    WaiverSpec.__module__ = __name__
    WaiverSpec.__qualname__ = "WaiverSpec"
    return WaiverSpec


def __getattr__(name: str):
    if name == "WaiverSpec":
        return _spec_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@plain
class Waiver:
    spec: Any  # WaiverSpec (see _spec_model)
    source: str  # the waiver file, or the document with the inline marker
    line: int | None  # where the waiver is written
    covers_lines: tuple[int, ...] = ()  # inline markers: the lines they cover
    used: int = 0

    def targets_file(self, path: str, base: Path | None) -> bool:
        """Whether the waiver's target is in this file (inline markers: their own file; no file named: any)."""
        if self.covers_lines:
            return path == self.source
        return self.spec.file is None or _same_file(self.spec.file, path, base)

    def matches(self, finding: Finding, base: Path | None, same_file=None) -> bool:
        if finding.rule_id != self.spec.rule:
            return False
        if self.covers_lines:
            return finding.source == self.source and finding.line in self.covers_lines
        if self.spec.record is not None and self.spec.record != finding.record_id:
            return False
        if self.spec.file is not None:
            if not (same_file or _same_file)(self.spec.file, finding.source, base):
                return False
            if self.spec.line is not None and self.spec.line != finding.line:
                return False
        return True

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.spec.reason,
            "approver": self.spec.approver,
            "expires": self.spec.expires.isoformat(),
            "source": self.source,
            "line": self.line,
        }


@plain
class WaiverSet:
    waivers: list[Waiver] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # malformed entries, found while loading
    base: Path | None = None  # directory the waiver file's paths are relative to


def _same_file(declared: str, source: str, base: Path | None) -> bool:
    candidates = {Path(declared)}
    if base is not None:
        candidates.add(base / declared)
    try:
        target = Path(source).resolve()
        return any(c.resolve() == target for c in candidates)
    except OSError:
        return declared == source


def _problem(rule_id: str, message: str, source: str, line: int | None, severity: str = "error") -> Finding:
    return Finding(
        rule_id=rule_id,
        category="waiver",
        severity=severity,
        source=source,
        record_id=None,
        message=message,
        citation=WAIVER_CITATION,
        line=line,
    )


def load_waivers(path: Path | None) -> WaiverSet:
    """Read a waiver file; each bad entry becomes a finding instead of stopping the run."""
    result = WaiverSet(base=path.parent if path else None)
    if path is None:
        return result
    from checker.core.errors import CheckerInputError
    from checker.inputs.yamlfile import load_yaml

    source = str(path)
    try:
        doc = load_yaml(path)
    except CheckerInputError as exc:
        result.problems.append(
            _problem("WAIVER-FILE-INVALID", f"豁免文件无法读取：{exc.message}", source, exc.location.line)
        )
        return result
    data = doc.data
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        result.problems.append(_problem("WAIVER-FILE-INVALID", "豁免文件应为含 waivers: 列表的映射", source, None))
        return result
    for index, item in enumerate(items, start=1):
        line = doc.lines_of(item)[0] if isinstance(item, dict) else None
        if not isinstance(item, dict):
            result.problems.append(_problem("WAIVER-INVALID", f"第{index}条豁免应为映射", source, line))
            continue
        from pydantic import ValidationError

        try:
            spec = _spec_model().model_validate(item)
        except ValidationError as exc:
            from checker.core.validation import error_line

            text = error_line(exc.errors()[0])
            result.problems.append(_problem("WAIVER-INVALID", f"第{index}条豁免无效（{text}），未生效", source, line))
            continue
        result.waivers.append(Waiver(spec, source, line))
    return result


def inline_waivers(source: str, lines: list[str]) -> tuple[list[Waiver], list[Finding], list[str]]:
    """Markers in a text document: the waivers, problems with them, and the lines with markers blanked.

    Blanking (spaces of the same length) keeps every other position in the line unchanged and keeps
    the marker's own words (dates, rule ids) out of the document checks.
    """
    waivers: list[Waiver] = []
    problems: list[Finding] = []
    blanked = list(lines)
    # only the lines holding a marker's start are looked at: found in the joined text, in C
    for index in lines_holding("\n".join(lines), _MARKER_START):
        number, text = index + 1, lines[index]
        match = _MARKER.search(text)
        if not match:
            continue
        start = match.start()
        comment = text.rfind("<!--", 0, start)
        if comment != -1 and not text[comment + 4 : start].strip():
            start = comment
        blanked[number - 1] = text[:start] + " " * (len(text) - start)
        attrs = {
            m["key"]: (m["quoted"] if m["quoted"] is not None else m["bare"]) for m in _ATTR.finditer(match["rest"])
        }
        covers = [number]
        if not text[:start].strip():  # a marker on its own line covers the next non-empty line
            following = next((n for n in range(number + 1, len(lines) + 1) if lines[n - 1].strip()), None)
            if following:
                covers.append(following)
        from pydantic import ValidationError

        try:
            # like a waiver file's: a reason, an approver and an expiry date, or the marker does nothing
            spec = _spec_model()(
                rule=match["rule"],
                file=source,
                reason=attrs.get("reason", ""),
                **{key: attrs[key] for key in ("approver", "expires") if key in attrs},
            )
        except ValidationError as exc:
            from checker.core.validation import error_line

            message = error_line(exc.errors()[0])
            problems.append(_problem("WAIVER-INVALID", f"行内豁免无效（{message}），未生效", source, number))
            continue
        waivers.append(Waiver(spec, source, number, tuple(covers)))
    return waivers, problems, blanked


class WaiverMatcher:
    """Waivers applied to findings as they come (a spilled run marks each batch before it goes to disk).

    `add` takes waivers found later in the run (inline markers, which come with their document, before its
    findings); `extras(ran)` is what the waivers themselves are found to be once every finding was marked.
    `ran(waiver)` says whether the waiver's rule ran on its target in this run (None: always): a waiver for a
    ledger row is not "unused" in a run that linted documents only, or that `--select` kept its rule out of.
    """

    def __init__(self, waivers: list[Waiver], problems: list[Finding], as_of: date, base: Path | None):
        self._as_of, self._base = as_of, base
        self._out = list(problems)
        self._active: list[Waiver] = []
        self._index = _WaiverIndex([])
        self._same_file = cache(_same_file)  # a path resolved once per run, not once per finding and waiver
        self.add(waivers)

    def add(self, waivers: list[Waiver]) -> None:
        for waiver in waivers:
            if waiver.spec.expires < self._as_of:
                self._out.append(
                    _problem(
                        "WAIVER-EXPIRED",
                        f"豁免已于 {waiver.spec.expires.isoformat()} 过期（{waiver.spec.rule}），相关发现恢复报告",
                        waiver.source,
                        waiver.line,
                        "warning",
                    )
                )
            else:
                self._active.append(waiver)
                self._index.add(waiver)

    def mark(self, findings) -> None:
        for finding in findings:
            if finding.category == "waiver":
                continue
            for waiver in self._index.of(finding):
                if waiver.matches(finding, self._base, self._same_file):
                    finding.waiver = waiver.as_dict()
                    waiver.used += 1
                    break

    def extras(self, ran=None) -> list[Finding]:
        out = list(self._out)
        for waiver in self._active:
            if not waiver.used and (ran is None or ran(waiver)):
                target = waiver.spec.record or waiver.spec.file
                out.append(
                    _problem(
                        "WAIVER-UNUSED",
                        f"豁免未匹配任何发现（{waiver.spec.rule} · {target}），请删除或更正",
                        waiver.source,
                        waiver.line,
                        "warning",
                    )
                )
        return out


class _WaiverIndex:
    """The waivers that could cover a finding, in file order: by rule, then by record, covered line or line.

    Matching every finding against every waiver took 158 s for 5,000 findings and 20,000 waivers; a finding
    now meets only the waivers of its rule that name its record, its line, or no record and no line.
    """

    def __init__(self, waivers: list[Waiver]):
        self._by_rule: dict[str, dict[tuple, list[tuple[int, Waiver]]]] = {}
        self._count = 0
        for waiver in waivers:
            self.add(waiver)

    def add(self, waiver: Waiver) -> None:
        """After every waiver added before it (a finding meets the first that matches)."""
        order, self._count = self._count, self._count + 1
        buckets = self._by_rule.setdefault(waiver.spec.rule, {})
        if waiver.covers_lines:
            keys = [("inline", waiver.source, line) for line in waiver.covers_lines]
        elif waiver.spec.record is not None:
            keys = [("record", waiver.spec.record)]
        else:
            keys = [("line", waiver.spec.line if waiver.spec.file is not None else None)]
        for key in keys:
            buckets.setdefault(key, []).append((order, waiver))

    def of(self, finding: Finding) -> list[Waiver]:
        buckets = self._by_rule.get(finding.rule_id)
        if not buckets:
            return []
        found = []
        for key in (
            ("record", finding.record_id),
            ("inline", finding.source, finding.line),
            ("line", finding.line),
            ("line", None),
        ):
            found.extend(buckets.get(key, ()))
        found.sort(key=lambda entry: entry[0])
        return [waiver for _, waiver in found]
