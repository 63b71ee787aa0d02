"""重复文字 (duplicate_text): the rules end to end on real text — ids, positions, severities, safe fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
AS_OF = "2026-11-30"

NOTICE = """新野县人民政府办公室文件

新政办〔2024〕5号

{title}

各乡镇人民政府，县人民政府各部门：

{body}

新野县人民政府办公室
2024年3月5日
"""


def lint(cli, path, *extra):
    result = cli(
        "lint", path, "--format", "json", "--no-config", "--as-of", AS_OF, "--select", "duplicate-text", *extra
    )
    return [
        (f["rule_id"], f["severity"], f["line"], f["column"], f["end_column"], f["message"])
        for f in result.json()["findings"]
    ]


def notice(tmp_path, body, title="关于做好值班工作的通知"):
    return write(tmp_path / "n.txt", NOTICE.format(title=title, body=body))


def test_the_real_left_overs_of_the_corpus_are_found(cli):
    assert lint(cli, CORPUS / "a-05.txt") == [("DOC-REPEAT-CHAR", "warning", 4, 9, 11, "“为为”中“为”字重复")]
    assert lint(cli, CORPUS / "c-23.txt") == [
        ("DOC-REPEAT-FRAME", "warning", 19, 22, 25, "前有“现将”，“现印发”中的“现”重复")
    ]


@pytest.mark.parametrize("name", ["a-21.txt", "a-29.txt", "b-13.txt", "b-16.txt", "b-28.txt", "a-17.txt"])
def test_real_documents_whose_repeats_are_right_give_nothing(cli, name):
    # a-21: 《…旅游圈文化旅游建设规划》 (a cited title); a-29: 办公厅转发国务院办公厅转发 (title, cited title);
    # b-13: 齐齐哈尔; b-16: 供应应急; b-28: 市市政园林管理局; a-17: 法律法规规定
    assert lint(cli, CORPUS / name) == []


def test_each_rule_with_its_position_and_severity(cli, tmp_path):
    body = (
        "一、各单位要设立值班室设立值班室，明确专人负责。\n"
        "二、切实提高群众的的获得感。\n"
        "三、现将《值班制度》现印发给你们。\n"
        "四、要强化值班工作进一步加强值班工作。\n"
        "五、要进一步加强加强管理，做好安全生产工作工作。"
    )
    assert lint(cli, notice(tmp_path, body)) == [  # warnings first, then information
        ("DOC-REPEAT", "warning", 9, 7, 17, "“设立值班室设立值班室”中“设立值班室”重复"),
        ("DOC-REPEAT-CHAR", "warning", 10, 9, 11, "“的的”中“的”字重复"),
        ("DOC-REPEAT-FRAME", "warning", 11, 11, 14, "前有“现将”，“现印发”中的“现”重复"),
        ("DOC-REPEAT", "warning", 13, 20, 24, "“工作工作”中“工作”重复"),
        (
            "DOC-REPEAT-PHRASE",
            "info",
            12,
            6,
            19,
            "“值班工作”在“值班工作进一步加强值班工作”中出现两次，可能是修改时未删的旧文字",
        ),
        ("DOC-REPEAT-WORD", "info", 13, 7, 11, "“加强加强”中“加强”可能重复"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "文中“设立值班室设立值班室”“分别为为”“现将…现印发”都应改正。",  # quoted: someone's wording
        "现将《关于强化值班工作进一步加强值班工作的通知》转发给你们。",  # a cited title: no phrase
        "序号|单位|单位\n1|设立值班室设立值班室|为为",  # table rows
        "此事请大家研究研究，一个一个地落实，层层压实责任，常常深入基层。",
        "达到目的的手段要合法，该行为为违法行为，为了了解情况，现在在全县开展调查。",
        "共投入2020万元，二零二零年完成。",
    ],
)
def test_nothing_is_reported_where_the_text_is_right(cli, tmp_path, body):
    assert lint(cli, notice(tmp_path, body)) == []


def test_a_run_in_a_cited_title_is_reported(cli, tmp_path):
    path = notice(tmp_path, "现将《关于设立值班室设立值班室的通知》转发给你们。")
    assert lint(cli, path) == [("DOC-REPEAT", "warning", 9, 6, 16, "“设立值班室设立值班室”中“设立值班室”重复")]
    cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "duplicate-text")
    assert "《关于设立值班室设立值班室的通知》" in path.read_text(encoding="utf-8")  # checked against the original


def test_a_real_page_with_the_left_overs_of_the_issue(cli, tmp_path):
    # 新会区人民政府办公室转发省府办公厅关于进一步加强值班工作的意见的通知 (2009), as its web page gives it
    body = (
        "一、强化值班工作进一步加强值班工作。\n"
        "各镇政府(街道办)应设立值班室设立值班室,实行24小时值班制度,配备一定数量的专兼职值班人员,"
        "并有镇并镇(街)领导带班"
    )
    assert lint(cli, notice(tmp_path, body, title="转发省府办公厅关于进一步加强值班工作的意见的通知")) == [
        ("DOC-REPEAT", "warning", 10, 11, 21, "“设立值班室设立值班室”中“设立值班室”重复"),
        (
            "DOC-REPEAT-PHRASE",
            "info",
            9,
            5,
            18,
            "“值班工作”在“值班工作进一步加强值班工作”中出现两次，可能是修改时未删的旧文字",
        ),
    ]


def test_a_phrase_on_the_title_line_is_not_reported(cli, tmp_path):
    path = notice(tmp_path, "现转发给你们，请遵照执行。", title="关于强化值班工作进一步加强值班工作的通知")
    assert lint(cli, path) == []


def test_fix_deletes_the_extra_copy_and_is_idempotent(cli, tmp_path):
    body = "各单位要设立值班室设立值班室，明确专人负责。现将《值班制度》现印发给你们。切实提高群众的的获得感。"
    path = notice(tmp_path, body)
    fixed = cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "duplicate-text")
    assert "已修正 2 处" in fixed.err
    text = path.read_text(encoding="utf-8")
    # the run and the 现 are deleted; 的的 is only suggested (a listed function word may still be right)
    assert "各单位要设立值班室，明确专人负责。现将《值班制度》印发给你们。切实提高群众的的获得感。" in text
    again = cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "duplicate-text")
    assert "已修正 0 处" in again.err
    assert path.read_text(encoding="utf-8") == text
    assert [f[0] for f in lint(cli, path)] == ["DOC-REPEAT-CHAR"]


def test_a_doubled_word_is_suggested_not_fixed(cli, tmp_path):
    path = notice(tmp_path, "做好安全生产工作工作。")
    result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF, "--select", "DOC-REPEAT")
    [finding] = result.json()["findings"]
    assert (finding["suggestion"], finding["replacement"]) == ("工作", None)  # shown, never applied
    cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "DOC-REPEAT")
    assert "做好安全生产工作工作。" in path.read_text(encoding="utf-8")


def test_the_configuration_extends_the_word_lists_the_finder_reads(cli, tmp_path, monkeypatch):
    """Pack settings reach the finder: a reduplication added in the configuration is no longer a repeat."""
    doc = tmp_path / "n.txt"
    doc.write_text("关于某事的通知\n各单位：\n要把工作做细做细。\n新野县人民政府\n2024年3月5日\n", encoding="utf-8")
    args = ("lint", doc, "--format", "json", "--as-of", "2024-12-01", "--select", "duplicate-text")
    monkeypatch.chdir(tmp_path)
    before = [f["rule_id"] for f in cli(*args, "--no-config").json()["findings"]]
    assert before, "the doubled 做细 is a repeat by the shipped lists"
    (tmp_path / "checker.toml").write_text(
        '[settings.document-duplicate-text]\nreduplications = {add = ["做细"]}\n', encoding="utf-8"
    )
    result = cli(*args)
    assert result.code in (0, 1), result.err
    after = [f["rule_id"] for f in result.json()["findings"]]
    assert after != before
    (tmp_path / "checker.toml").write_text(
        '[settings.document-duplicate-text]\nreduplications = {add = ["做细做细"]}\n', encoding="utf-8"
    )
    bad = cli(*args)
    assert bad.code == 2 and "“做细做细”应为两个字" in bad.err and "内部错误" not in bad.err
