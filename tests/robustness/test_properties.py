"""Properties over random inputs (hypothesis):

- random project and approval records, written as YAML, JSON or CSV, never crash checker: every problem is a
  CheckerInputError or a one-line input error naming the file, and both evaluators agree on every record read;
- random Chinese and mixed text never crashes the linter, and every finding points inside the text;
- `--fix` is idempotent and changes nothing outside the spans it reports, keeping encoding, BOM and line endings.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from checker.core.errors import CheckerInputError
from checker.inputs.reader import read_records
from checker.records.normalize import normalize
from checker.run import fix
from checker.run.facts import to_fact
from checker.run.pipeline import run

AS_OF = date(2024, 12, 1)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- random records

junk = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
texts = st.one_of(st.sampled_from(["城南商住小区", "H1", "A-01", "010", "on", "", " ", "项目\n二期", "１２３"]), junk)
numbers = st.one_of(
    st.integers(-10, 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "12000",
            "1,200.5",
            "１２０００",
            "1.2万平方米",
            "2万m²",
            "30%",
            "３５％",
            "0.3",
            "-5",
            "1e30",
            "nan",
            "inf",
            "12,00",
            "1_000",
            "9" * 40,
            "",
            "abc",
        ]
    ),
)
dates = st.one_of(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)).map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.sampled_from(
        [
            "2023-02-30",
            "23-06-30",
            "二〇二四年五月三十一日",
            "二〇二四年十十月一日",
            "2024/5/31",
            "20240531",
            "0023-05-31",
            "45443",
            "明天",
            "",
        ]
    ),
    st.integers(-5, 3_000_000),
)
categories = st.sampled_from(["商住", "商住建筑", "public", "工业建筑", "保障性住房", "其他", "别墅", "", "Public"])
investments = st.sampled_from(["政府投资", "social", "社会", "民间", ""])
stage_lists = st.sampled_from(["立项用地规划许可、工程建设许可、施工许可", "a；b；c；d", "", "单一环节"])

ids = st.one_of(st.integers(1, 30).map(lambda i: f"H{i}"), texts)  # mostly valid ids: duplicates happen too

names = st.one_of(st.sampled_from(["城南商住小区", "滨河花园"]), texts)

PROJECT_FIELDS = {
    "id": ("编号", ids),
    "name": ("项目名称", names),
    "category": ("建筑类别", categories),
    "investment": ("投资类型", investments),
    "floor_area_m2": ("建筑面积", numbers),
    "prefab_rate_pct": ("装配率", numbers),
    "permit_date": ("施工许可日期", dates),
    "completion_acceptance_date": ("竣工验收日期", dates),
    "approval_flow_type": ("项目类型", st.sampled_from(["一般住宅", "社会投资一般工业项目", "其他", "x"])),
    "approval_flow_stages": ("审批环节", stage_lists),
    "approval_flow_working_days": ("审批用时", numbers),
}
APPROVAL_FIELDS = {
    "id": ("编号", ids),
    "item": ("事项名称", st.sampled_from(["建筑工程施工许可证核发", "商品房预售许可（新办）", "", "x"])),
    "project_id": ("项目编号", texts),
    "accepted_on": ("受理日期", dates),
    "completed_on": ("办结日期", dates),
    "promised_working_days": ("承诺时限", numbers),
}


@st.composite
def record_files(draw):
    kind = draw(st.sampled_from(["project", "approval"]))
    fields = PROJECT_FIELDS if kind == "project" else APPROVAL_FIELDS
    required = ["id", "name"] if kind == "project" else ["id", "item", "accepted_on"]
    chosen = required + draw(st.lists(st.sampled_from([f for f in fields if f not in required]), unique=True))
    columns = [(f, draw(st.booleans())) for f in chosen]  # (field, written with its Chinese alias)
    rows = draw(st.lists(st.fixed_dictionaries({f: fields[f][1] for f in chosen}), min_size=1, max_size=5))
    fmt = draw(st.sampled_from(["yaml", "json", "csv"]))
    return kind, fmt, columns, rows


def write_records(directory: Path, kind: str, fmt: str, columns, rows) -> Path:
    names = [PROJECT_FIELDS.get(f, APPROVAL_FIELDS.get(f))[0] if alias else f for f, alias in columns]
    list_key = "projects" if kind == "project" else "approvals"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row[f] is None else str(row[f]) for f, _ in columns])
        path = directory / "records.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path
    items = [{name: row[f] for name, (f, _) in zip(names, columns)} for row in rows]
    path = directory / f"records.{fmt}"
    if fmt == "yaml":
        path.write_text(yaml.safe_dump({list_key: items}, allow_unicode=True), encoding="utf-8")
    else:
        path.write_text(json.dumps({list_key: items}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


ONE_LINE = re.compile(r"^[^\n\r\x00-\x1f\x7f]*$")


@SETTINGS
@given(record_files())
def test_random_records_never_crash_and_evaluators_agree(book, durable, python_eval, generated):
    kind, fmt, columns, rows = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = write_records(Path(tmp), kind, fmt, columns, rows)
        read = 0
        try:
            for raw in read_records(path):
                read += 1
                record, issues = normalize(raw)
                for issue in issues:
                    assert ONE_LINE.match(issue.one_line()) and issue.location.source == str(path)
                if record is None:
                    assert any(issue.severity == "error" for issue in issues)
                    continue
                fact = to_fact(record, AS_OF)
                for pack in book.packs_for(record.kind):
                    assert durable.fired(pack, fact, record.kind) == python_eval.fired(pack, fact, record.kind), fact
        except CheckerInputError as exc:
            assert ONE_LINE.match(exc.one_line()) and exc.location.source == str(path)
        event(f"{read} read, {fmt}")
        result = run([str(path)], book, durable, AS_OF)
        event(f"{result.records_checked} checked")
        assert all(line.startswith(str(path)) and ONE_LINE.match(line) for line in result.errors), result.errors
        assert result.records_checked <= read <= len(rows)


# ---------------------------------------------------------------- random documents

PIECES = list(
    "新政办宛建〔〕[]（）0123456789０１第号年月日〇一二三十我本市县省局“”‘’《》、，；。：个项完成需接照峻工不在出现"
    " \u3000\t"
) + [
    "新政办〔2022〕34号",
    "新政办[2024]012号",
    "2024年5月31日",
    "2024年05月31日",
    "二〇二四年五月三十一日",
    "市自然资源和规划局",
    "截止2024年10月底，",
    "共5个，分别是（甲、乙）",
    "问题12个，已完成10个，需推进2个",
    "“我市工作”",
    "结合我市实际",
    "新野县人民政府办公室文件",
    "关于",
    "的通知",
    "各单位于2024年1月1日前报送。",
    "\n",
    "\r\n",
    "\r",
]
doc_texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8", exclude_categories=("Cs",))), max_size=150
).map("".join)


def lint(book, durable, path: Path):
    return run([str(path)], book, durable, AS_OF, kinds={"document"})


@SETTINGS
@given(doc_texts, st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_random_text_never_crashes_linter_and_positions_are_inside(book, durable, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notice.txt"
        path.write_bytes(data)
        result = lint(book, durable, path)
    assert all(line.startswith(str(path)) and ONE_LINE.match(line) for line in result.errors), result.errors
    if result.errors:
        assert result.documents == [] and result.records_checked == 0
        event("refused")
        return
    event("linted")
    [document] = result.documents
    lines = document.body.split("\n")
    for f in result.findings:
        if f.line is None:
            continue
        assert 1 <= f.line <= len(lines), f
        if f.column is not None:
            width = len(lines[f.line - 1])
            assert 1 <= f.column <= width + 1, f
            assert f.end_column is None or f.column <= f.end_column <= width + 1, f


# ---------------------------------------------------------------- --fix

FIXABLE = [
    "新政办〔2024〕012号",
    "新政办[2024]5号",
    "新政办〔2024〕第5号",
    "新政办〔２０２４〕５号",
    "接照要求",
    "已峻工",
    "不在出现",
    "2024年03月05日",
    "二〇二四年三月五日",
    "结合我县实际",
    "各单位：",
    "认真落实。",
    "（一）",
    "",
    "注：",
    "截止目前",
    "新政办〔24〕5号",
]
BREAKS = ["\n", "\r\n", "\r"]
_BREAK = re.compile(r"(\r\n|\r|\n)")


@st.composite
def fixable_documents(draw):
    body = draw(st.lists(st.lists(st.sampled_from(FIXABLE), max_size=4).map("".join), min_size=1, max_size=8))
    lines = [
        "新野县人民政府办公室文件",
        "",
        draw(st.sampled_from(["新政办〔2024〕5号", "新政办〔2024〕05号", "新政办[2024]5号"])),
        "",
        "关于某事的通知",
        "",
        *body,
        "",
        "新野县人民政府办公室",
        draw(st.sampled_from(["2024年3月5日", "2024年03月05日", "二〇二四年三月五日", "2024-3-5"])),
    ]
    breaks = [draw(st.sampled_from(BREAKS)) for _ in lines]
    text = "".join(line + brk for line, brk in zip(lines, breaks))
    return text, draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))


def fix_once(book, durable, path: Path) -> list[fix.FilePlan]:
    result = lint(book, durable, path)
    assert result.errors == []
    plans = fix.plan(result.documents, result.findings)
    for p in plans:
        assert p.refused is None
        if p.new_text != p.old_text:
            fix.write(p)
    return plans


def fix_passes(book, durable, path: Path) -> None:
    """The passes `checker lint --fix` makes after its first (cli.FIX_PASSES in all): a fix held back because
    it overlapped another is applied on the next pass, so one --fix leaves nothing for a second one."""
    from checker.cli import FIX_PASSES

    for _ in range(FIX_PASSES - 1):
        before = path.read_bytes()
        fix_once(book, durable, path)
        if path.read_bytes() == before:
            return


def expected_after(old_text: str, edits) -> str:
    """The oracle: each reported span replaced, every other character and every line break kept."""
    parts = _BREAK.split(old_text)
    for f in edits:
        assert 1 <= f.line and (f.line - 1) * 2 < len(parts), f
    for line_number in {f.line for f in edits}:
        content = parts[(line_number - 1) * 2]
        spans = sorted((f.column - 1, f.end_column - 1, f.replacement) for f in edits if f.line == line_number)
        out, position = [], 0
        for start, end, replacement in spans:
            assert position <= start <= end <= len(content), (spans, content)
            out += [content[position:start], replacement]
            position = end
        parts[(line_number - 1) * 2] = "".join(out) + content[position:]
    return "".join(parts)


@SETTINGS
@given(fixable_documents())
def test_fix_is_idempotent_and_only_touches_reported_spans(book, durable, document):
    text, encoding = document
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notice.txt"
        path.write_bytes(text.encode(encoding))
        [plan] = fix_once(book, durable, path) or [None]
        first = path.read_bytes()
        fix_passes(book, durable, path)  # the later passes of the same --fix (fixes that overlapped)
        once = path.read_bytes()
        if plan is None:
            assert once == text.encode(encoding)
            event("nothing to fix")
            return
        event(f"{len(plan.findings)} edits" if plan.findings else "no edit")
        assert plan.old_text == text
        assert plan.new_text == expected_after(text, plan.findings)
        assert first == plan.new_text.encode(encoding)  # encoding and BOM kept
        assert _BREAK.findall(plan.new_text) == _BREAK.findall(text)  # every line ending kept
        fix_once(book, durable, path)
        fix_passes(book, durable, path)
        assert path.read_bytes() == once  # fixing twice equals fixing once
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["notice.txt"]
