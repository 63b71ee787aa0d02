"""Write tests/domains/documents/corpus/wide/: each web copy with its half-width punctuation widened back.

Web pages often show `, : ; ( ) ? !` where the published document had full-width ones; the punctuation checks
read these copies, so that the web page's artefact is not counted against the document.  A mark is widened
only next to a Chinese character (never inside numbers, times or addresses such as 8:30, 1,200 or http://).
"""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "domains" / "documents" / "corpus"
WIDE = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e“”《》、。"
_MARK = re.compile(rf"(?<=[{_CJK}])[,:;?!()]|[,:;?!()](?=[{_CJK}])")


def widen(text: str) -> str:
    return _MARK.sub(lambda m: WIDE[m.group()], text)


def main() -> int:
    out = CORPUS / "wide"
    out.mkdir(exist_ok=True)
    written = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        wide = widen(text)
        if wide != text:
            (out / path.name).write_text(wide, encoding="utf-8")
            written += 1
    print(f"{written} copies widened into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
