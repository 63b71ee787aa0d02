"""`checker lint` on official documents: exact findings, positions, fixes, encodings, inputs."""

import io
import os
import stat
import sys

import pytest

from tests.conftest import EXAMPLES, write

DOCS = EXAMPLES / "documents"
AS_OF = "2024-12-01"


def findings(cli, *paths, as_of=AS_OF, layout=False):
    """Findings as (rule, line, column); the layout of a .docx (test_layout.py) left out unless asked for."""
    extra = () if layout else ("--ignore", "layout")
    result = cli("lint", *paths, "--format", "json", "--as-of", as_of, *extra)
    return result, [(f["rule_id"], f["line"], f["column"]) for f in result.json()["findings"]]


def test_clean_county_notice_has_no_findings(cli):
    result, got = findings(cli, DOCS / "clean-county-notice.txt")
    assert result.code == 0 and got == []


def test_forwarded_city_copy(cli):
    result, got = findings(cli, DOCS / "forwarded-city-copy.txt")
    assert result.code == 1
    assert got == [("DOC-ISSUER-SELF", 9, 57), ("DOC-ISSUER-AGENCY", 11, 9), ("DOC-ISSUER-SELF", 13, 3)]
    doc = result.json()["findings"]
    assert [f["suggestion"] for f in doc] == ["我县", "南阳市自然资源和规划局", "本县"]
    assert doc[0]["message"] == "县级文件自称“我市”" and doc[0]["end_column"] == 59


def test_docx_gives_the_same_findings(cli):
    """Its text does; its layout (Word's defaults, on purpose) is judged on top: test_layout.py."""
    _, txt = findings(cli, DOCS / "forwarded-city-copy.txt")
    _, docx = findings(cli, DOCS / "forwarded-city-copy.docx")
    assert docx == txt
    _, with_layout = findings(cli, DOCS / "forwarded-city-copy.docx", layout=True)
    assert {rule for rule, _, _ in with_layout} - {rule for rule, _, _ in txt} >= {"DOC-LAYOUT-MARGIN"}


def test_past_schedule(cli):
    result, got = findings(cli, DOCS / "past-schedule.txt")
    assert got == [("DOC-DATE-SCHEDULE-PAST", 17, 9), ("DOC-DATE-SCHEDULE-PAST", 19, 9)]
    messages = [f["message"] for f in result.json()["findings"]]
    assert messages == [
        "期限“2021年6月”早于本文成文日期（2023年3月15日）623 天",
        "期限“2021年12月”早于本文成文日期（2023年3月15日）439 天",
    ]


def test_malformed_numbers_dates_typos_counts(cli):
    result, got = findings(cli, DOCS / "malformed-numbers-dates.txt")
    assert got == [
        ("DOC-NUMBER-BRACKET", 3, 4),
        ("DOC-NUMBER-LEADING-ZERO", 3, 4),
        ("DOC-NUMBER-DI", 9, 35),
        ("DOC-NUMBER-YEAR", 9, 64),
        ("DOC-NUMBER-BRACKET", 9, 94),
        ("DOC-NUMBER-LEADING-ZERO", 9, 94),
        ("DOC-DATE-LEADING-ZERO", 16, 1),
        ("DOC-TYPO", 9, 74),
        ("DOC-TYPO", 11, 9),
        ("DOC-COUNT-MISMATCH", 13, 10),
    ]
    replacements = {(f["rule_id"], f["line"], f["column"]): f["replacement"] for f in result.json()["findings"]}
    assert replacements[("DOC-NUMBER-BRACKET", 3, 4)] == "〔2024〕12号"
    assert replacements[("DOC-NUMBER-YEAR", 9, 64)] is None  # a two-digit year is never guessed
    assert replacements[("DOC-DATE-LEADING-ZERO", 16, 1)] == "2024年5月31日"
    assert replacements[("DOC-TYPO", 11, 9)] == "竣工"
    assert replacements[("DOC-COUNT-MISMATCH", 13, 10)] is None


def test_document_records_review_rule(cli):
    result, got = findings(cli, DOCS / "records.yaml")
    assert got == [("DOC-REVIEW-TWO", 3, None)]
    assert result.json()["findings"][0]["message"] == "审核人只有 1 人（张伟），转发文件须两人审核"


NOTICE = """新野县人民政府办公室文件

新政办〔2024〕{number}号

关于{topic}的通知

各乡镇人民政府，县人民政府各部门：

{body}

新野县人民政府办公室
{date}
"""


def notice(
    tmp_path, name="n.txt", number="5", topic="某事", body="请认真落实。", date="2024年3月5日", encoding="utf-8"
):
    path = tmp_path / name
    path.write_bytes(NOTICE.format(number=number, topic=topic, body=body, date=date).encode(encoding))
    return path


@pytest.mark.parametrize(
    "date, rules",
    [
        ("2024年3月5日", []),
        ("二〇二四年三月五日", ["DOC-DATE-FORMAT"]),
        ("2024-3-5", ["DOC-DATE-FORMAT"]),
        ("2024年03月05日", ["DOC-DATE-LEADING-ZERO"]),
        ("2023年3月5日", ["DOC-DATE-YEAR-MISMATCH"]),
        ("2025年3月5日", ["DOC-DATE-YEAR-MISMATCH", "DOC-DATE-FUTURE"]),
    ],
)
def test_issue_date_checks(cli, tmp_path, date, rules):
    _, got = findings(cli, notice(tmp_path, date=date))
    assert [r for r, _, _ in got] == rules
    assert all(line == 12 for _, line, _ in got)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("结合我市实际。", [("DOC-ISSUER-SELF", 9, 3)]),
        ("我省各地要加强领导。", [("DOC-ISSUER-SELF", 9, 1)]),
        ("结合我县实际。", []),
        ("文件中出现“我市工作”等字样，已纠正。", []),
        ("请省住房和城乡建设厅指导。", [("DOC-ISSUER-AGENCY", 9, 2)]),
        ("请河南省住房和城乡建设厅指导。", []),
        ("由县住房和城乡建设局牵头。", []),
        ("共有3项任务，分别是：甲、乙、丙。", []),
        ("共有4项任务，分别是：甲、乙、丙。", [("DOC-COUNT-MISMATCH", 9, 3)]),
        ("发现问题12个，已完成10个，需持续推进2个。", []),
        ("确保此类问题不在出现，不在此列的除外。", [("DOC-TYPO", 9, 7)]),
        ("“接照”系错字。", [("DOC-TYPO-QUOTED", 9, 2)]),  # info only: a quotation of the error
        ("2022年以来，成效明显；各单位于2024年3月1日前报送总结。", [("DOC-DATE-SCHEDULE-PAST", 9, 18)]),
        ("各单位于2024年3月20日前报送总结。", []),
        ("根据《关于2021年底前完成改造的通知》和“2023年底前完成”的要求。", []),
    ],
)
def test_body_checks_and_must_not_fire_cases(cli, tmp_path, body, expected):
    _, got = findings(cli, notice(tmp_path, body=body))
    assert got == expected


def test_prefix_must_belong_to_issuer(cli, tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(
        NOTICE.format(number="5", topic="某事", body="正文。", date="2024年3月5日").replace(
            "新政办〔2024〕5号", "宛建〔2024〕5号"
        ),
        encoding="utf-8",
    )
    _, got = findings(cli, path)
    assert got == [("DOC-ISSUER-PREFIX", 3, 3)]


def test_missing_metadata_is_info_not_guessed(cli, tmp_path):
    path = write(tmp_path / "bare.txt", "各单位：\n请认真落实。\n")
    result, got = findings(cli, path)
    assert sorted(r for r, _, _ in got) == [
        "DOC-META-DATE",
        "DOC-META-ISSUER",
        "DOC-META-LEVEL",
        "DOC-META-NUMBER",
        "DOC-META-TITLE",
    ]
    assert {f["severity"] for f in result.json()["findings"]} == {"info"} and result.code == 0
    messages = {f["rule_id"]: f["message"] for f in result.json()["findings"]}
    assert messages["DOC-META-ISSUER"] == "未识别到发文机关"
    assert messages["DOC-META-LEVEL"] == (
        "未能判定发文机关层级，未检查自称与机关名称的层级一致（DOC-ISSUER-SELF、DOC-ISSUER-AGENCY）"
    )


def test_a_level_from_the_number_prefix_is_not_reported_as_unchecked(cli, tmp_path):
    # no issuer in the text, but 新政办 is 新野县's code: the level checks ran, and the report does not say otherwise
    path = write(tmp_path / "n.txt", "新政办〔2024〕3号\n关于某事的通知\n各单位：\n结合我市实际。\n2024年3月5日\n")
    _, got = findings(cli, path)
    rules = [r for r, _, _ in got]
    assert "DOC-ISSUER-SELF" in rules and "DOC-META-LEVEL" not in rules


def test_an_issuer_from_another_province_is_checked(cli, tmp_path):
    text = "关于某事的通知\n各乡镇人民政府：\n结合我市实际，现通知如下。\n寿县人民政府\n2024年3月5日\n"
    _, got = findings(cli, write(tmp_path / "n.txt", text))
    assert ("DOC-ISSUER-SELF", 3, 3) in got


def test_gbk_and_bom_inputs(cli, tmp_path):
    gbk = notice(tmp_path, "gbk.txt", body="结合我市实际。", encoding="gbk")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(
        b"\xef\xbb\xbf"
        + NOTICE.format(number="5", topic="某事", body="结合我市实际。", date="2024年3月5日").encode("utf-8")
    )
    for path in (gbk, bom):
        _, got = findings(cli, path)
        assert got == [("DOC-ISSUER-SELF", 9, 3)]


def test_docx_built_in_the_test(cli, tmp_path):
    from docx import Document

    document = Document()
    for line in NOTICE.format(number="012", topic="某事", body="结合我市实际。", date="2024年3月5日").split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "n.docx"
    document.save(path)
    _, got = findings(cli, path)
    assert got == [("DOC-NUMBER-LEADING-ZERO", 3, 4), ("DOC-ISSUER-SELF", 9, 3)]


def test_stdin(cli, tmp_path, monkeypatch):
    data = NOTICE.format(number="5", topic="某事", body="结合我市实际。", date="2024年3月5日").encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result, got = findings(cli, "-")
    assert got == [("DOC-ISSUER-SELF", 9, 3)]
    assert result.json()["findings"][0]["source"] == "<stdin>"


def test_directory_is_walked_by_extension(cli, tmp_path):
    (tmp_path / "sub").mkdir()
    notice(tmp_path, "a.txt", body="结合我市实际。")
    (tmp_path / "sub" / "b.md").write_text(
        NOTICE.format(number="5", topic="某事", body="结合我县实际。", date="2024年3月5日"), encoding="utf-8"
    )
    (tmp_path / "sub" / "skipped.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "sub" / ".hidden.txt").write_text("我市", encoding="utf-8")
    (tmp_path / "sub" / "~$b.docx").write_bytes(b"lock")
    result = cli("lint", tmp_path, "--format", "json", "--as-of", AS_OF)
    report = result.json()
    assert [f.rsplit("/", 1)[-1] for f in report["files"]] == ["a.txt", "b.md"]
    skipped = [
        (f["source"].rsplit("/", 1)[-1], f["severity"], f["message"])
        for f in report["findings"]
        if f["rule_id"] == "INPUT-SKIPPED"
    ]
    assert skipped == [
        (
            "skipped.xls",
            "info",
            "已跳过：文件类型“.xls”不受支持（本命令检查 .doc .docx .json .jsonl .md .ofd .pdf .txt .wps .yaml .yml）；"
            "请在 Excel/WPS 中另存为 .xlsx 或 .csv",
        )
    ]
    assert report["summary"]["skipped_files"] == 1 and result.code == 1
    strict = cli("lint", tmp_path, "--format", "json", "--as-of", AS_OF, "--strict-inputs")
    assert strict.code == 2
    assert [f["severity"] for f in strict.json()["findings"] if f["rule_id"] == "INPUT-SKIPPED"] == ["error"]
    assert f"{tmp_path / 'sub' / 'skipped.xls'}: 已跳过：文件类型“.xls”不受支持" in strict.err
    text = cli("lint", tmp_path, "--as-of", AS_OF).out
    assert "；跳过 1 个文件，类型不受支持" in text


def test_unreadable_document_is_one_line_exit_2(cli, tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    result = cli("lint", path, notice(tmp_path, body="结合我市实际。"))
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert str(path) in line and "不是文本文件" in line
    assert "DOC-ISSUER-SELF" in result.out  # the other document is still checked


def test_nothing_is_modified_without_fix(cli, tmp_path):
    path = notice(tmp_path, number="012", date="2024年03月05日")
    before = path.read_bytes()
    cli("lint", path)
    cli("lint", path, "--diff")
    assert path.read_bytes() == before


def test_diff_then_fix_atomically(cli, tmp_path):
    path = notice(tmp_path, number="012", body="接照要求，确保已峻工项目不在出现问题。", date="2024年03月05日")
    path.chmod(0o640)
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    diff = cli("lint", path, "--diff", "--as-of", AS_OF)
    assert diff.code == 1
    assert "-新政办〔2024〕012号\r\n" in diff.out or "-新政办〔2024〕012号" in diff.out
    assert "+新政办〔2024〕12号" in diff.out and "+2024年3月5日" in diff.out
    assert "+按照要求，确保已竣工项目不再出现问题。" in diff.out
    fixed = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert fixed.code == 0, fixed.out
    data = path.read_bytes()
    assert data == crlf.replace("〔2024〕012号".encode(), "〔2024〕12号".encode()).replace(
        "2024年03月05日".encode(), "2024年3月5日".encode()
    ).replace("接照要求，确保已峻工项目不在出现问题".encode(), "按照要求，确保已竣工项目不再出现问题".encode())
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "已修正 5 处（1 个文件），剩余 0 处" in fixed.err
    assert [p.name for p in tmp_path.iterdir()] == ["n.txt"]  # no temporary file left behind
    again = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert path.read_bytes() == data and "已修正 0 处" in again.err  # idempotent


def test_fix_keeps_gbk_encoding(cli, tmp_path):
    path = notice(tmp_path, number="012", encoding="gbk")
    cli("lint", path, "--fix", "--as-of", AS_OF)
    assert "新政办〔2024〕12号" in path.read_bytes().decode("gbk")


def test_failed_write_leaves_original_intact(cli, tmp_path, monkeypatch):
    path = notice(tmp_path, number="012")
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 2 and "写入失败，原文件未改动" in result.err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["n.txt"]


def test_read_only_directory(cli, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    path = notice(tmp_path, number="012")
    before = path.read_bytes()
    tmp_path.chmod(0o555)
    try:
        result = cli("lint", path, "--fix", "--as-of", AS_OF)
    finally:
        tmp_path.chmod(0o755)
    assert result.code == 2 and path.read_bytes() == before


def test_file_changed_since_read_is_not_overwritten(tmp_path):
    from datetime import date

    from checker.engine.python import PythonEvaluator
    from checker.rules.loader import load_rulebook
    from checker.run import fix
    from checker.run.pipeline import run

    path = notice(tmp_path, number="012")
    book = load_rulebook()
    result = run([str(path)], book, PythonEvaluator(book), date(2024, 12, 1), kinds={"document"})
    path.write_text(path.read_text(encoding="utf-8") + "追加的内容\n", encoding="utf-8")
    changed = path.read_bytes()
    [p] = fix.plan(result.documents, result.findings)
    assert p.refused and "已被修改" in p.refused
    assert path.read_bytes() == changed


def test_docx_is_never_rewritten(cli, tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("新政办〔2024〕012号")
    path = tmp_path / "n.docx"
    document.save(path)
    before = path.read_bytes()
    result = cli("lint", path, "--fix")
    assert path.read_bytes() == before and ".docx 与记录文件不会被改写" in result.err


def test_symlink_is_not_followed(cli, tmp_path):
    target = notice(tmp_path, number="012")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    before = target.read_bytes()
    result = cli("lint", link, "--fix")
    assert target.read_bytes() == before and "符号链接" in result.err


def test_text_report_underlines_under_wide_characters(cli):
    out = cli("lint", DOCS / "forwarded-city-copy.txt", "--no-color", "--as-of", AS_OF).out
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "精神，结合我市工作实际" in line)
    from rich.cells import cell_len

    source, underline = lines[i], lines[i + 1]
    # the underline starts in the same terminal cell as 我市 (each Chinese character takes two cells)
    assert cell_len(underline[: underline.index("━")]) == cell_len(source[: source.index("我市")])
    assert underline.count("━") == 4 and "改为“我县”" in underline


def test_check_includes_documents(cli):
    result = cli("check", DOCS, "--format", "json", "--as-of", AS_OF)
    assert {f["rule_id"] for f in result.json()["findings"]} >= {"DOC-ISSUER-SELF", "DOC-REVIEW-TWO"}


def test_document_record_body_positions_are_file_lines(cli, tmp_path):
    path = write(
        tmp_path / "docs.yaml",
        """
        documents:
          - id: R1
            doc_number: 新政办〔2024〕5号
            issuer: 新野县人民政府办公室
            issue_date: 2024年3月5日
            body: |
              各乡镇人民政府：
              结合我市实际，认真落实。
        """,
    )
    _, got = findings(cli, path)
    # body line 2 is file line 8; the column counts within the body line; no title given: info
    assert got == [("DOC-ISSUER-SELF", 8, 3), ("DOC-META-TITLE", 2, None)]


def test_findings_bomb_is_capped_per_kind(cli, tmp_path):
    from checker.core.limits import limits_overridden

    body = "\n".join(["结合我市实际。"] * 300)
    path = notice(tmp_path, body=body)
    with limits_overridden(max_observations=50):
        result = cli("lint", path, "--format", "json", "--as-of", AS_OF)
    doc = result.json()
    assert sum(f["rule_id"] == "DOC-ISSUER-SELF" for f in doc["findings"]) == 50
    [warning] = [f for f in doc["findings"] if f["rule_id"] == "INPUT-TOO-MANY"]
    assert warning["message"] == "文中自称超过 50 处，只检查了前 50 处，其余未查" and warning["severity"] == "warning"


def test_fix_keeps_the_owner(cli, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    path = notice(tmp_path, number="012")
    os.chown(path, 1234, 2345)
    cli("lint", path, "--fix", "--as-of", AS_OF)
    assert "〔2024〕12号" in path.read_text(encoding="utf-8")
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 2345)


def test_control_characters_in_a_path_are_escaped(cli, tmp_path):
    path = tmp_path / "bad\x1b[2J.csv"
    path.write_text("编号,项目名称\n1,2\n1,3\n", encoding="utf-8")
    result = cli("check", path)
    assert "\x1b" not in result.err and "\\x1b[2J" in result.err and len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "body",
    [
        "在党中央、国务院和省委、省政府、市委、市政府、县委的坚强领导下，全县工作取得新进展。",
        "根据省委、省政府总体部署和市委、市政府《关于某事的意见》要求，结合我县实际。",
        "认真贯彻落实市委、市政府决策部署，按照中省市县关于安全生产的决策部署抓好落实。",
        "现将省政府办公厅《关于某事的通知》转发给你们，请认真贯彻执行。",
        "根据《省住建厅、市住建局关于开展自建房安全专项整治的通知》要求，结合实际。",
        "现将《转发南阳市关于我市进入2020年汛期的通知》转发给你们。",
    ],
)
def test_standard_phrasing_of_a_county_notice_raises_no_issuer_finding(cli, tmp_path, body):
    _, got = findings(cli, notice(tmp_path, body=body))
    assert [g for g in got if g[0].startswith("DOC-ISSUER")] == []


def test_the_addressee_line_of_a_city_notice_is_not_its_own_voice(cli, tmp_path):
    text = (
        "南阳市人民政府办公室文件\n宛政办〔2024〕3号\n关于某事的通知\n各县、区人民政府，市政府各工作部门：\n"
        "请认真落实。\n南阳市人民政府办公室\n2024年3月5日\n"
    )
    _, got = findings(cli, write(tmp_path / "city.txt", text))
    assert [g for g in got if g[0].startswith("DOC-ISSUER")] == []


def test_what_stays_a_finding_in_a_county_notice(cli, tmp_path):
    body = "请于5月底前报送市住房和城乡建设局村镇建设科。结合我市实际，抓好落实。"
    _, got = findings(cli, notice(tmp_path, body=body))
    assert got == [("DOC-ISSUER-AGENCY", 9, 9), ("DOC-ISSUER-SELF", 9, 26)]


def test_the_documents_section_of_the_json_report(cli, tmp_path):
    result, _ = findings(cli, notice(tmp_path))
    (doc,) = result.json()["documents"]
    assert doc == {
        "source": str(tmp_path / "n.txt"),
        "record_id": "n.txt",
        "doc_number": "新政办〔2024〕5号",
        "doc_number_line": 3,
        "issuer": "新野县人民政府办公室",
        "issuer_line": 1,
        "issuers": [{"text": "新野县人民政府办公室", "line": 11}],
        "issuer_level": "county",
        "title": "关于某事的通知",
        "title_line": 5,
        "title_end_line": 5,
        "issue_date": "2024年3月5日",
        "issue_date_line": 12,
        "addressees": "各乡镇人民政府，县人民政府各部门：",
        "addressees_line": 7,
    }
    assert result.json()["summary"]["documents"]["documents"] == 1


def test_a_municipality_speaks_of_itself_as_a_city(cli, tmp_path):
    # 重庆市 is province-level, but its documents say 我市; 我省 would be the mistake
    text = "关于某事的函\n各区县规划和自然资源局：\n结合我市实际，现将有关事项函告如下。\n重庆市规划和自然资源局\n2019年5月6日\n"
    _, got = findings(cli, write(tmp_path / "cq.txt", text))
    assert [g for g in got if g[0] == "DOC-ISSUER-SELF"] == []
    _, got = findings(cli, write(tmp_path / "cq2.txt", text.replace("我市", "我省")))
    assert [g for g in got if g[0] == "DOC-ISSUER-SELF"] == [("DOC-ISSUER-SELF", 3, 3)]


def test_fix_counts_findings_reports_what_remains_where_it_now_is(cli, tmp_path):
    """Two rules on one span are both fixed; the report after --fix is of the file as it is now (columns moved
    by the fixes before them), lists only what remains, and the exit code comes from that."""
    path = tmp_path / "m.txt"
    path.write_bytes((DOCS / "malformed-numbers-dates.txt").read_bytes())
    result = cli("lint", path, "--fix", "--as-of", AS_OF, "--format", "json")
    assert result.code == 1  # DOC-NUMBER-YEAR (〔24〕) has no safe fix and is an error
    assert result.err.splitlines() == ["checker: 已修正 8 处（1 个文件），剩余 2 处"]
    got = [(f["rule_id"], f["line"], f["column"], f["fixed"]) for f in result.json()["findings"]]
    assert ("DOC-NUMBER-BRACKET", 3, 4, True) in got and ("DOC-NUMBER-LEADING-ZERO", 3, 4, True) in got
    remaining = [(r, line, col) for r, line, col, fixed in got if not fixed]
    assert remaining == [("DOC-NUMBER-YEAR", 9, 63), ("DOC-COUNT-MISMATCH", 13, 10)]  # 第15号 -> 15号 moved it left
    text = cli("lint", path, "--as-of", AS_OF).out
    assert f"{path}:9:63" in text and "已修正" not in text
    path.write_bytes((DOCS / "malformed-numbers-dates.txt").read_bytes())
    report = cli("lint", path, "--fix", "--as-of", AS_OF).out
    assert "DOC-NUMBER-BRACKET" not in report and "已修正" not in report
    assert "文号 新政办〔2024〕12号（第3行）" in report  # the headline reads the fixed file
    assert "错误 1，警告 1，提示 0" in report


def test_diff_works_on_standard_input_and_fix_is_refused_there(cli, monkeypatch):
    data = (DOCS / "malformed-numbers-dates.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = cli("lint", "-", "--diff", "--as-of", AS_OF)
    assert result.code == 1  # ruff's convention: a diff to apply
    assert result.out.startswith("--- a/<stdin>\n+++ b/<stdin>\n")
    assert "-新政办[2024]012号\n+新政办〔2024〕12号\n" in result.out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    refused = cli("lint", "-", "--fix", "--as-of", AS_OF)
    assert "checker: <stdin>: 标准输入无法改写（用 --diff 查看修改，或对文件运行 --fix）" in refused.err
    assert "已修正 0 处（0 个文件），剩余 10 处" in refused.err and refused.code == 1


def test_a_file_named_of_a_type_not_read_is_an_input_error_and_the_rest_is_checked(cli, tmp_path):
    notice(tmp_path, "a.txt", body="结合我市实际。")
    (tmp_path / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("lint", tmp_path / "b.xls", tmp_path / "a.txt", "--format", "json", "--as-of", AS_OF)
    assert result.code == 2
    assert (
        f"checker: 输入错误 {tmp_path / 'b.xls'}: 文件类型“.xls”不受支持（本命令检查 .doc .docx .json .jsonl .md .ofd "
        ".pdf .txt .wps .yaml .yml）；请在 Excel/WPS 中另存为 .xlsx 或 .csv [INPUT-FILE]"
    ) in result.err
    assert [f["rule_id"] for f in result.json()["findings"] if f["source"].endswith("a.txt")] == ["DOC-ISSUER-SELF"]
    subsidy = cli("subsidy", tmp_path / "a.txt")
    assert subsidy.code == 2
    assert (
        "本命令不检查“.txt”文件（本命令检查 .csv .json .jsonl .xlsx .yaml .yml；checker check 检查全部类型）"
        in subsidy.err
    )
