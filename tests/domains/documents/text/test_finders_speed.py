"""Guard against accidental slow paths (the linter needs >= 100 documents/s of 20 KB)."""

import time

from checker.domains.documents.text.cndate import find_dates
from checker.domains.documents.text.counts import find_count_mismatches
from checker.domains.documents.text.docnumber import find_doc_numbers
from checker.domains.documents.text.document_meta import extract_meta
from checker.domains.documents.text.lexicon import default_lexicon, find_typos
from checker.domains.documents.text.places import default_places
from checker.domains.documents.text.quoting import (
    find_agency_mentions,
    find_self_references,
)
from checker.inputs.decode import decode_text

PARAGRAPH = (
    "根据《关于印发新野县促进装配式建筑发展实施意见的通知》（新政办〔2022〕34号）精神，结合我县实际，"
    "2023年底前，对建筑面积2万平方米(含)以上的商住建筑给予补助。截至2024年10月底，共辅导企业5个，"
    "分别是（甲、乙、丙、丁、戊）；发现问题12个，已完成10个，需持续推进2个。由县住房和城乡建设局负责，"
    "“我市工作”等字样已全部改正，确保类似问题不再出现。\n"
)


def test_all_finders_on_a_20kb_document_are_fast():
    text = PARAGRAPH * (20_000 // len(PARAGRAPH.encode("utf-8")) + 1)
    data = text.encode("utf-8")
    places, lexicon = default_places(), default_lexicon()
    known = places.prefix_forms()

    def run():
        t = decode_text(data, "bench.txt").text
        numbers, dates = find_doc_numbers(t, known), find_dates(t)
        find_self_references(t)
        find_agency_mentions(t, places)
        find_typos(t, lexicon)
        find_count_mismatches(t)
        extract_meta(t.split("\n"), known, doc_numbers=numbers, dates=dates)

    run()
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    timings.sort()
    # About 5 ms here on one core; the bound leaves room for a loaded CI machine.
    assert timings[2] < 0.05, timings
