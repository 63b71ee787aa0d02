"""Regenerate the example ledgers and approval exports from one table each.

examples/ledger.csv and ledger.xlsx hold the same 16 projects, written the way
county ledgers are (Chinese headers, mixed units and date styles), so checker
gives the same results on both; examples/approvals.csv and approvals.xlsx hold
the same 30 handled items of the approval system (工改系统) export, spanning
holidays and make-up workdays.  Run: python scripts/make_examples.py
"""

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HEADERS = [
    "编号",
    "项目名称",
    "建筑类别",
    "投资类型",
    "建筑面积",
    "装配率",
    "施工许可日期",
    "竣工验收日期",
    "项目类型",
    "审批环节",
    "审批用时(工作日)",
    "备注",
]
RESIDENTIAL, INDUSTRIAL = "社会投资一般住宅项目", "社会投资一般工业项目"
FOUR_STAGES = "立项用地规划许可、工程建设许可、施工许可、竣工验收"
THREE_STAGES = "立项用地、规划施工、竣工验收"
# (id, name, category, investment, area text, rate text, permit, accepted, flow type, stages, days, note)
ROWS = [
    (
        "H1",
        "城南商住小区一期",
        "商住",
        "社会投资",
        "25000",
        "35%",
        "2022/3/1",
        "2023-06-30",
        RESIDENTIAL,
        FOUR_STAGES,
        "31",
        "2023年竣工，两档重叠；按原4环节审批",
    ),
    (
        "H2",
        "滨河花园二期",
        "商住建筑",
        "社会投资",
        "12万平方米",
        "55%",
        "2021年8月12日",
        "2023年9月15日",
        "",
        "",
        "",
        "触及200万元上限",
    ),
    ("H3", "仁和医院综合楼", "公共建筑", "社会投资", "12000㎡", "30%", "2021-05-20", "2022-11-20", "", "", "", ""),
    (
        "H4",
        "书香苑小区",
        "住宅",
        "社会投资",
        "2万平方米",
        "30%",
        "2022-02-10",
        "2023-12-31",
        "",
        "",
        "",
        "恰好达到门槛",
    ),
    (
        "H5",
        "县文化活动中心（民营）",
        "公共建筑",
        "社会投资",
        "9800",
        "40%",
        "2021-09-01",
        "2023-03-10",
        "",
        "",
        "",
        "面积不足",
    ),
    (
        "H6",
        "中原机械厂房",
        "工业建筑",
        "社会投资",
        "8000",
        "60%",
        "2023-03-15",
        "2024-08-20",
        INDUSTRIAL,
        "立项用地规划；施工许可；竣工验收",
        "26",
        "工业项目3环节",
    ),
    ("H7", "县精神病医院建设项目", "公共建筑", "政府投资", "15000", "30%", "2024-05-31", "", "", "", "", "主体施工中"),
    (
        "H8",
        "锦绣华庭",
        "商住",
        "社会投资",
        "30000",
        "50%",
        "2023-04-01",
        "2025-10-15",
        RESIDENTIAL,
        THREE_STAGES,
        "27",
        "",
    ),
    (
        "H9",
        "新城国际社区",
        "商住",
        "社会投资",
        "200000",
        "65%",
        "2022-06-01",
        "2024-12-01",
        RESIDENTIAL,
        THREE_STAGES,
        "30",
        "触及150万元上限；用时超基准",
    ),
    ("H10", "白河湾商住楼", "商住", "社会投资", "30000", "60%", "2024-01-10", "2026-03-01", "", "", "", "晚于政策期限"),
    ("H11", "城东保障性住房小区", "保障性住房", "政府投资", "18000", "55%", "2023-02-01", "2024-06-30", "", "", "", ""),
    ("H12", "城西棚改安置房", "保障性住房", "政府投资", "22000", "25%", "2024-09-01", "", "", "", "", ""),
    (
        "H13",
        "汉城壹号院",
        "商住",
        "社会投资",
        "26000",
        "52%",
        "2024-03-01",
        "",
        RESIDENTIAL,
        THREE_STAGES,
        "28",
        "待竣工验收；恰为基准用时",
    ),
    ("H14", "创业服务中心（民营）", "公共建筑", "社会投资", "11000", "45%", "2022-10-01", "2024-04-18", "", "", "", ""),
    (
        "H15",
        "樊集镇商住楼",
        "商住",
        "社会投资",
        "21000",
        "0.3",
        "2022-01-05",
        "2023-05-20",
        "",
        "",
        "",
        "装配率疑为小数",
    ),
    ("H16", "县档案馆", "公共建筑", "政府投资", "8000", "", "2024-07-01", "", "", "", "", "装配率未填"),
]

APPROVAL_HEADERS = ["编号", "事项名称", "项目编号", "受理日期", "办结日期", "承诺时限(工作日)"]
PERMIT = "建筑工程施工许可证核发"
# (id, item, project, accepted, completed, promised) — comments give the hand count
APPROVALS = [
    ("A01", PERMIT, "H7", "2024-06-07", "2024-06-11", "1"),  # 1: 06-10 端午节
    ("A02", PERMIT, "H12", "2024-09-30", "2024-10-08", "1"),  # 1: 国庆
    ("A03", PERMIT, "H16", "2024-09-28", "2024-09-29", "1"),  # 1: 09-29 调休上班 (Sunday)
    ("A04", PERMIT, "H6", "2024-02-09", "2024-02-18", "1"),  # 1: 02-18 调休上班 after 春节
    ("A05", PERMIT, "H13", "2024-05-06", "2024-05-09", "1"),  # 3: late
    ("A06", PERMIT, "H9", "2024-03-12", "2024-03-12", "1"),  # 0: same day
    ("A07", PERMIT, "H10", "2024-04-03", "2024-04-08", "1"),  # 2: 清明 04-04..06, 04-07 调休上班 → late
    ("A08", PERMIT, "H8", "2024-04-30", "2024-05-06", "1"),  # 1: 劳动节
    ("A09", PERMIT, "", "2024-12-31", "2025-01-02", "1"),  # 1: 元旦
    ("A10", PERMIT, "", "2025-01-24", "2025-02-05", "1"),  # 3: 01-26 调休上班 counts → late
    ("A11", "建筑工程施工许可证核发（新办）", "", "2025-09-30", "2025-10-09", "1"),  # 1: 国庆中秋
    ("A12", PERMIT, "", "2025-10-10", "2025-10-11", "1"),  # 1: 10-11 调休上班 (Saturday)
    ("A13", PERMIT, "", "2023-03-02", "2023-03-09", "7"),  # 5: before compression, promised 7 → late
    ("A14", PERMIT, "", "2023-05-15", "2023-05-19", "7"),  # 4: promised 7 → late
    ("A15", PERMIT, "", "2023-08-01", "2023-08-04", "3"),  # 3: promised 3 → late
    ("A16", PERMIT, "", "2026-02-13", "2026-02-24", "1"),  # 2: 02-14 调休上班 counts → late
    ("A17", PERMIT, "", "2026-11-23", "", "1"),  # still open
    ("A18", PERMIT, "", "2024-07-15", "2024-07-16", "1"),  # 1
    ("A19", PERMIT, "", "2024-08-29", "2024-08-30", "1"),  # 1
    ("A20", PERMIT, "", "2024-11-18", "2024-11-18", "1"),  # 0
    ("A21", "商品房预售许可", "H8", "2024-03-04", "2024-03-15", "10"),  # out of scope
    ("A22", "商品房预售许可", "H9", "2024-09-26", "2024-10-16", "10"),  # out of scope
    ("A23", "建设工程消防验收", "H6", "2024-07-01", "2024-07-12", "12"),  # out of scope
    ("A24", "建设工程竣工验收备案", "H11", "2024-07-01", "2024-07-05", "5"),  # out of scope
    ("A25", "建设工程竣工验收备案", "H1", "2023-07-03", "2023-07-04", "5"),  # out of scope
    ("A26", "房屋建筑工程质量监督注册", "H13", "2024-02-26", "2024-02-27", "3"),  # out of scope
    ("A27", "房屋建筑工程质量监督注册", "H12", "2024-09-13", "2024-09-18", "3"),  # out of scope (中秋)
    ("A28", "商品房预售许可", "", "2025-05-06", "2025-05-12", "10"),  # out of scope
    ("A29", PERMIT, "", "2025-04-03", "2025-04-07", "1"),  # 1: 清明 04-04..06
    ("A30", PERMIT, "", "2025-06-30", "2025-07-01", "1"),  # 1
]


def _cell(text: str, header: str):
    """Spreadsheet cells hold numbers and dates where a ledger would."""
    if not text:
        return None
    if header == "装配率" and text.endswith("%"):
        return float(text[:-1]) / 100  # shown as 35% by the cell's number format
    if header in ("建筑面积", "审批用时(工作日)", "承诺时限(工作日)") and text.isdigit():
        return int(text)
    if header in ("施工许可日期", "竣工验收日期", "受理日期", "办结日期") and len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    return text


def _write(out: Path, stem: str, sheet_title: str, headers: list[str], rows: list[tuple]) -> None:
    with (out / f"{stem}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(text, header) for text, header in zip(row, headers)])
        r = sheet.max_row
        for col, cell in enumerate(sheet[r], start=1):
            header = headers[col - 1]
            if header == "装配率" and isinstance(cell.value, float):
                cell.number_format = "0%"
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    book.save(out / f"{stem}.xlsx")


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "examples"
    out.mkdir(exist_ok=True)
    _write(out, "ledger", "装配式项目台账", HEADERS, ROWS)
    _write(out, "approvals", "工改系统办件导出", APPROVAL_HEADERS, APPROVALS)
    _docx(out / "documents" / "forwarded-city-copy.txt", out / "documents" / "forwarded-city-copy.docx")


def _docx(text_file: Path, target: Path) -> None:
    """The same notice as a Word file: one paragraph per line, as offices keep them."""
    from docx import Document

    document = Document()
    for line in text_file.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    document.save(target)


if __name__ == "__main__":
    main()
