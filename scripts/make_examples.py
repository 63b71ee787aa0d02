"""Regenerate examples/ledger.csv and examples/ledger.xlsx from one table.

The two files hold the same 16 projects, written the way county ledgers are
(Chinese headers, mixed units and date styles), so `checker subsidy` gives
the same results on both.  Run: python scripts/make_examples.py
"""

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HEADERS = ["编号", "项目名称", "建筑类别", "投资类型", "建筑面积", "装配率", "施工许可日期", "竣工验收日期", "备注"]
# (id, name, category, investment, area text, rate text, permit, accepted, note)
ROWS = [
    ("H1", "城南商住小区一期", "商住", "社会投资", "25000", "35%", "2022/3/1", "2023-06-30", "2023年竣工，两档重叠"),
    ("H2", "滨河花园二期", "商住建筑", "社会投资", "12万平方米", "55%", "2021年8月12日", "2023年9月15日", "触及200万元上限"),
    ("H3", "仁和医院综合楼", "公共建筑", "社会投资", "12000㎡", "30%", "2021-05-20", "2022-11-20", ""),
    ("H4", "书香苑小区", "住宅", "社会投资", "2万平方米", "30%", "2022-02-10", "2023-12-31", "恰好达到门槛"),
    ("H5", "县文化活动中心（民营）", "公共建筑", "社会投资", "9800", "40%", "2021-09-01", "2023-03-10", "面积不足"),
    ("H6", "中原机械厂房", "工业建筑", "社会投资", "8000", "60%", "2023-03-15", "2024-08-20", ""),
    ("H7", "县精神病医院建设项目", "公共建筑", "政府投资", "15000", "30%", "2024-05-31", "", "主体施工中"),
    ("H8", "锦绣华庭", "商住", "社会投资", "30000", "50%", "2023-04-01", "2025-10-15", ""),
    ("H9", "新城国际社区", "商住", "社会投资", "200000", "65%", "2022-06-01", "2024-12-01", "触及150万元上限"),
    ("H10", "白河湾商住楼", "商住", "社会投资", "30000", "60%", "2024-01-10", "2026-03-01", "晚于政策期限"),
    ("H11", "城东保障性住房小区", "保障性住房", "政府投资", "18000", "55%", "2023-02-01", "2024-06-30", ""),
    ("H12", "城西棚改安置房", "保障性住房", "政府投资", "22000", "25%", "2024-09-01", "", ""),
    ("H13", "汉城壹号院", "商住", "社会投资", "26000", "52%", "2024-03-01", "", "待竣工验收"),
    ("H14", "创业服务中心（民营）", "公共建筑", "社会投资", "11000", "45%", "2022-10-01", "2024-04-18", ""),
    ("H15", "樊集镇商住楼", "商住", "社会投资", "21000", "0.3", "2022-01-05", "2023-05-20", "装配率疑为小数"),
    ("H16", "县档案馆", "公共建筑", "政府投资", "8000", "", "2024-07-01", "", "装配率未填"),
]


def _cell(text: str, header: str):
    """Spreadsheet cells hold numbers and dates where a ledger would."""
    if not text:
        return None
    if header == "装配率" and text.endswith("%"):
        return float(text[:-1]) / 100  # shown as 35% by the cell's number format
    if header == "建筑面积" and text.isdigit():
        return int(text)
    if header in ("施工许可日期", "竣工验收日期") and len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    return text


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "examples"
    out.mkdir(exist_ok=True)
    with (out / "ledger.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    book = Workbook()
    sheet = book.active
    sheet.title = "装配式项目台账"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append([_cell(text, header) for text, header in zip(row, HEADERS)])
        r = sheet.max_row
        rate = sheet.cell(row=r, column=HEADERS.index("装配率") + 1)
        if isinstance(rate.value, float):
            rate.number_format = "0%"
        for col in ("施工许可日期", "竣工验收日期"):
            cell = sheet.cell(row=r, column=HEADERS.index(col) + 1)
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    book.save(out / "ledger.xlsx")


if __name__ == "__main__":
    main()
