"""Scaffold a new document check: an observation kind, its rule pack, and its test (as ruff's scripts/add_rule.py).

    python scripts/new_observation.py placeholder 占位符 --rule DOC-PLACEHOLDER --category placeholder \
        --pattern "××|XX|【待补】" --title "未填写的占位符" --message "“{raw}”是未填写的占位符"

writes
    checker/domains/documents/observations/<kind>.py     its schema and observe() (a pattern finder to start from)
    checker/domains/documents/packs/document-<kind>/     pack.yaml and <RULE>.yaml with fire/pass examples
    tests/domains/documents/observations/test_<kind>.py  the finder's positions and the rule end to end
and adds the module to KINDS in observations/__init__.py.  What is generated loads, passes `checker test-rules`
and its test; then replace the pattern finder with the real one and write real examples (docs/CONTRIBUTING.md).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

MODULE = '''"""{label}: {title} (scaffolded by scripts/new_observation.py; describe what is found and why)."""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.lazyre import lazy_compile
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema

SCHEMA = observation_schema("{kind}", "{label}", (), producer=__name__, limits=(
    "按固定的写法匹配（{pattern_text}）；其他写法识别不到",))

_PATTERN = lazy_compile({pattern!r})


def observe(reading) -> Iterator[Observation]:
    """Every match of the pattern in the text, with whether it is quoted."""
    for match in _PATTERN.finditer(reading.text):
        line, column = reading.index.line_col(match.start())
        found = _Match(line, column, column + len(match.group()), match.group())
        yield reading.make("{kind}", found, {{"quoted": reading.quoted(found)}})


class _Match:
    """What reading.make needs of a finder's match: its text line, columns (end exclusive) and raw text."""

    def __init__(self, line: int, column: int, end_column: int, raw: str):
        self.line, self.column, self.end_column, self.raw = line, column, end_column, raw
'''

PACK = """id: document-{kind_dash}
title: {title}
version: 0.1.0
kind: findings
applies_to: {kind}
categories:
  {category}: {title}
description: {title}。
"""

RULE = """id: {rule}
title: {title}
category: {category}
severity: {severity}
citation:
  document: 党政机关公文处理工作条例
  clause: 第二十条（四）
  kind: quote                 # quote: the source's own words; summary: our paraphrase
  text: 文字、数字、计量单位和标点符号等用法是否规范。
when:
  field: quoted
  eq: false
message: {message}
examples:
  fire:
    - text: {fire!r}
      errors: [{{line: 1, column: {fire_column}}}]
  pass:
    - text: {passing!r}
"""

TEST = '''"""{label} ({kind}): the finder's positions and {rule} end to end."""

from __future__ import annotations

from tests.conftest import write


def test_{kind}_is_found_with_its_position(cli, tmp_path):
    path = write(tmp_path / "n.txt", {fire!r} + "\\n")
    result = cli("lint", path, "--format", "json", "--no-config", "--select", "{rule}")
    found = [(f["rule_id"], f["line"], f["column"]) for f in result.json()["findings"]]
    assert found == [("{rule}", 1, {fire_column})]


def test_{kind}_is_not_found_where_it_is_not(cli, tmp_path):
    path = write(tmp_path / "n.txt", {passing!r} + "\\n")
    result = cli("lint", path, "--format", "json", "--no-config", "--select", "{rule}")
    assert result.json()["findings"] == []
'''


def _tidy(paths: list[Path]) -> None:
    """Sort the imports and format what was written, as the project's ruff configuration asks (when ruff is here)."""
    import shutil
    import subprocess

    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        return
    subprocess.run([ruff, "check", "--select", "I", "--fix", "-q", *map(str, paths)], check=False)
    subprocess.run([ruff, "format", "-q", *map(str, paths)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", help="the observation kind, snake_case (placeholder)")
    parser.add_argument("label", help="its Chinese name (占位符)")
    parser.add_argument("--rule", required=True, help="the rule id (DOC-PLACEHOLDER)")
    parser.add_argument("--category", required=True, help="the category the pack declares (placeholder)")
    parser.add_argument("--pattern", required=True, help="a regular expression to start the finder from")
    parser.add_argument("--title", required=True, help="the rule's title (Chinese)")
    parser.add_argument("--message", default="“{raw}”需要处理", help="the finding's message")
    parser.add_argument("--severity", default="info", choices=("error", "warning", "info"))
    parser.add_argument("--fire", help="a text in which the pattern occurs (default: the pattern's first literal)")
    parser.add_argument("--passing", default="本文没有问题。", help="a text in which it must not fire")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.kind):
        parser.error("kind: snake_case letters, digits and underscores")
    docs = args.root / "checker" / "domains" / "documents"
    module = docs / "observations" / f"{args.kind}.py"
    pack = docs / "packs" / f"document-{args.kind.replace('_', '-')}"
    test = args.root / "tests" / "domains" / "documents" / "observations" / f"test_{args.kind}.py"
    for path in (module, pack, test):
        if path.exists():
            parser.error(f"{path} exists already")
    fire = args.fire or "前文" + re.split(r"[|()\[\]\\*+?.^$]", args.pattern)[0] + "后文"
    match = re.search(args.pattern, fire)
    if match is None or re.search(args.pattern, args.passing):
        parser.error("--fire must contain the pattern and --passing must not")
    values = dict(
        kind=args.kind,
        kind_dash=args.kind.replace("_", "-"),
        label=args.label,
        rule=args.rule,
        category=args.category,
        pattern=args.pattern,
        pattern_text=args.pattern.replace('"', ""),
        title=args.title,
        message=args.message,
        severity=args.severity,
        fire=fire,
        fire_column=match.start() + 1,
        passing=args.passing,
    )
    module.write_text(MODULE.format(**values), encoding="utf-8")
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(PACK.format(**values), encoding="utf-8")
    (pack / f"{args.rule}.yaml").write_text(RULE.format(**values), encoding="utf-8")
    test.parent.mkdir(parents=True, exist_ok=True)
    (test.parent / "__init__.py").touch()
    test.write_text(TEST.format(**values), encoding="utf-8")
    kinds = docs / "observations" / "__init__.py"
    text = kinds.read_text(encoding="utf-8")
    text = text.replace(
        "from checker.domains.documents.observations import (\n",
        f"from checker.domains.documents.observations import (\n    {args.kind},\n",
        1,
    )
    # KINDS may be on one line or, once ruff has formatted it, one entry per line with a trailing comma
    text = re.sub(
        r"KINDS = \((.*?),?\s*\)\n",
        lambda m: f"KINDS = ({m.group(1).rstrip()}, {args.kind})\n",
        text,
        count=1,
        flags=re.S,
    )
    kinds.write_text(text, encoding="utf-8")
    _tidy([module, test, kinds])
    for path in (module, pack / "pack.yaml", pack / f"{args.rule}.yaml", test, kinds):
        print(f"wrote {path.relative_to(args.root)}")
    print(
        "next: replace the pattern finder, write real examples, `checker test-rules`, `pytest` (docs/CONTRIBUTING.md)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
