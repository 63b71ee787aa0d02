"""数字用法 (number_usage, GB/T 15835-2011): each DOC-DIGITS-* rule's exact positions, what must not fire (the forms
the standard keeps, durations that look like years, the 成文日期 and 发文字号 the other packs judge), and --fix."""

from __future__ import annotations

from tests.conftest import write

AS_OF = "2026-11-30"

# a notice as a county office writes one, with one of each problem in its body
NOTICE = """\
新政办〔2024〕12号
关于做好2025年城镇老旧小区改造工作的通知
各乡镇人民政府，县直有关单位：
24年以来，全县共改造老旧小区36个。２０２５年计划改造40个，户均补助3-5万元，物业服务费年均上涨幅度控制在15～30%以内。
本办法自二零二五年一月一日起施行，二〇二五年3月底前完成摸底。
各地要用3-5年时间，基本完成改造任务；2007年2月15日(农历十二月二十八,星期四)召开动员会，三四个月内完成，一律不得拖延。
新野县人民政府办公室
2025年1月3日
"""


def _lint(cli, path, *more):
    result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF, "--select", "number-usage", *more)
    return [(f["rule_id"], f["line"], f["column"], f["end_column"]) for f in result.json()["findings"]]


def test_each_rule_at_its_exact_position(cli, tmp_path):
    path = write(tmp_path / "n.txt", NOTICE)
    assert _lint(cli, path) == [
        ("DOC-DIGITS-SHORT-YEAR", 4, 1, 4),  # 24年以来
        ("DOC-DIGITS-FULLWIDTH", 4, 20, 24),  # ２０２５
        ("DOC-DIGITS-RANGE-UNIT", 4, 37, 41),  # 3-5万
        ("DOC-DIGITS-RANGE-UNIT", 4, 57, 63),  # 15～30%
        ("DOC-DIGITS-ZERO", 5, 5, 10),  # 二零二五年
        ("DOC-DIGITS-MIXED-DATE", 5, 18, 25),  # 二〇二五年3月
    ]


def test_messages_name_the_text_and_the_right_form(cli, tmp_path):
    path = write(tmp_path / "n.txt", NOTICE)
    result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    messages = [f["message"] for f in result.json()["findings"]]
    assert messages == [
        "年份“24年”只写了后两位，应写全四位数字",
        "“２０２５”用了全角数字，应为“2025”",
        "数值范围“3-5万”的前一个数值省略了“万”，应写作“3万-5万”",
        "数值范围“15～30%”的前一个数值省略了“%”，应写作“15%～30%”",
        "年份“二零二五年”中的“零”应为“〇”",
        "日期“二〇二五年3月”中汉字数字与阿拉伯数字混用，可统一写作“2025年3月”",
    ]


def test_fix_applies_only_the_safe_fixes_and_is_idempotent(cli, tmp_path):
    path = write(tmp_path / "n.txt", NOTICE)
    fixed = cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    assert "已修正 4 处" in fixed.err
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3] == (
        "24年以来，全县共改造老旧小区36个。2025年计划改造40个，户均补助3万-5万元，物业服务费年均上涨幅度控制在15%～30%以内。"
    )
    assert lines[4] == "本办法自二〇二五年一月一日起施行，二〇二五年3月底前完成摸底。"  # the mixed date is only shown
    data = path.read_bytes()
    again = cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    assert path.read_bytes() == data and "已修正 0 处" in again.err
    assert _lint(cli, path) == [("DOC-DIGITS-SHORT-YEAR", 4, 1, 4), ("DOC-DIGITS-MIXED-DATE", 5, 18, 25)]


def test_fullwidth_digits_in_a_range_are_fixed_with_it_in_one_pass(cli, tmp_path):
    path = write(tmp_path / "n.txt", "年均增长１５～３０％，人均住房面积达到３６．５平方米。\n")
    assert _lint(cli, path) == [
        ("DOC-DIGITS-FULLWIDTH", 1, 5, 11),
        ("DOC-DIGITS-RANGE-UNIT", 1, 5, 11),
        ("DOC-DIGITS-FULLWIDTH", 1, 20, 24),
    ]
    cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    assert path.read_text(encoding="utf-8") == "年均增长15％～30％，人均住房面积达到36.5平方米。\n"
    assert _lint(cli, path) == []


def test_quoted_range_keeps_its_wording_and_loses_only_fullwidth(cli, tmp_path):
    path = write(tmp_path / "n.txt", "原文件规定“年均增长１５～３０％”。\n")
    assert _lint(cli, path) == [("DOC-DIGITS-FULLWIDTH", 1, 11, 17)]
    cli("lint", path, "--fix", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    assert path.read_text(encoding="utf-8") == "原文件规定“年均增长15～30％”。\n"


def test_the_issue_date_and_doc_numbers_are_left_to_their_own_packs(cli, tmp_path):
    path = write(
        tmp_path / "n.txt",
        "新政办〔２０２４〕12号\n关于某事的通知\n各单位：\n依据宛政〔24〕3号文件办理。\n新野县人民政府办公室\n二零二四年三月十日\n",
    )
    assert _lint(cli, path) == []
    result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF)
    rules = {f["rule_id"] for f in result.json()["findings"]}
    assert {"DOC-NUMBER-CHARS", "DOC-NUMBER-YEAR", "DOC-DATE-FORMAT"} <= rules


def test_fullwidth_digits_in_the_issue_date_are_reported(cli, tmp_path):
    """No date rule checks the digits' width, so this one does, there too."""
    path = write(tmp_path / "n.txt", "关于某事的通知\n各单位：\n正文。\n新野县人民政府办公室\n２０２４年５月３１日\n")
    assert _lint(cli, path) == [
        ("DOC-DIGITS-FULLWIDTH", 5, 1, 5),
        ("DOC-DIGITS-FULLWIDTH", 5, 6, 7),
        ("DOC-DIGITS-FULLWIDTH", 5, 8, 10),
    ]


def test_a_record_document_skips_its_issue_date_in_the_body_too(cli, tmp_path):
    path = write(
        tmp_path / "d.yaml",
        """\
        documents:
          - id: D1
            issue_date: 二零二四年三月十日
            body: "各单位：\\n项目计划于25年底前全部完工。\\n二零二四年三月十日"
        """,
    )
    result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF, "--select", "number-usage")
    assert [(f["rule_id"], f["message"]) for f in result.json()["findings"]] == [
        ("DOC-DIGITS-SHORT-YEAR", "年份“25年”只写了后两位，应写全四位数字")
    ]
