"""The repeat finder (text/repeats.py) with the pack's own word lists: positions, what the language doubles, and
hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domains.documents.observations.duplicate_text import vocab
from checker.domains.documents.text.repeats import RepeatVocab, find_repeats


def found(text: str) -> list[tuple]:
    return [(o.kind, o.line, o.column, o.end_column, o.raw, o.unit, o.copies) for o in find_repeats(text, vocab())]


def test_a_run_written_twice_is_one_finding_covering_both_copies():
    assert found("各单位要设立值班室设立值班室，明确专人负责。") == [
        ("run", 1, 5, 15, "设立值班室设立值班室", "设立值班室", 2)
    ]
    [obs] = find_repeats("设立值班室设立值班室设立值班室。", vocab())
    assert (obs.copies, obs.replacement) == (3, "设立值班室")


def test_the_longest_repeat_at_a_place_wins():
    # 工作工作 inside 工作工作落实工作工作落实 is part of the longer repeat
    assert found("抓好工作工作落实工作工作落实。") == [("run", 1, 3, 15, "工作工作落实工作工作落实", "工作工作落实", 2)]


def test_a_doubled_word_says_whether_the_word_ends_after_it():
    [end] = find_repeats("做好安全生产工作工作。", vocab())
    [mid] = find_repeats("纯小数小数点前缺“0”。", vocab())
    assert (end.kind, end.raw, end.word_end) == ("word", "工作工作", True)
    assert (mid.kind, mid.raw, mid.word_end) == ("word", "小数小数", False)


def test_the_left_over_为为_of_a_real_批复():
    # corpus a-05.txt line 4
    assert found("二、项目法人分别为为邓州市湍北高级中学校和邓州市人民路学校。") == [
        ("char", 1, 9, 11, "为为", "为", 2)
    ]


def test_the_left_over_现_of_a_real_notice():
    # corpus c-23.txt line 19 (its missing 《 is another check's)
    [obs] = find_repeats("经市政府同意,现将东宁市干旱灾害应急预案》现印发给你们,请认真贯彻执行", vocab())
    assert (obs.kind, obs.column, obs.end_column, obs.raw, obs.unit, obs.lead) == (
        "frame",
        22,
        25,
        "现印发",
        "现",
        "现将",
    )
    assert obs.replacement == "印发"


def test_a_frame_lasts_one_sentence_and_restarts_at_the_next_lead():
    assert found("现将有关事项通知如下。现印发给你们的方案请执行。") == []
    assert found("现将甲方案、现将乙方案现印发给你们。") == [("frame", 1, 12, 15, "现印发", "现", 2)]


def test_a_phrase_repeated_a_few_characters_on():
    assert found("各单位要强化值班工作进一步加强值班工作，确保信息畅通。") == [
        ("phrase", 1, 7, 20, "值班工作进一步加强值班工作", "值班工作", 2)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "常常深入基层，天天学习，人人参与，层层落实，步步为营，处处留心，个个过硬，一一核对。",
        "此事请大家再研究研究，商量商量再答复。",
        "一个一个地核查，一步一步地推进，一点一点地改。",
        "把环境卫生打扫得干干净净、清清楚楚，方方面面都要考虑到。",
        "共投入2020万元，编号11，二零二零年，二○一一年二月，二〇二〇年。",
        "齐齐哈尔市人民政府；符合法律法规规定；市市政园林管理局；生活必需品市场供应应急预案。",
        "符合土地利用总体规划和城乡规划,规划用途为工矿仓储用地。",
        "为达到目的的手段必须合法，该行为为违法行为，合同标的的价款。",
        "为了了解情况，现在在全县开展调查，对在在建项目、在在职人员逐一核查，以及及时整改。",
        "这的的确确是实实在在的好事，要和和美美。",
        "努力建设法治政府和服务型政府、廉洁政府和服务型政府。",
        "现将《住房和城乡建设部关于开展活动的指导意见》转发你们。",
        "为开展农田建设而实施的高标准农田建设等项目。",
    ],
)
def test_what_the_language_doubles_is_not_a_repeat(text):
    assert found(text) == []


def test_a_reduplication_written_three_times_is_a_repeat():
    assert found("请各地研究研究研究。") == [("word", 1, 4, 10, "研究研究研究", "研究", 3)]


def test_repeats_do_not_cross_lines_or_punctuation():
    assert found("设立值班室\n设立值班室。工作，工作。") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("的" * 20_000, [("char", 1, 1, 20_001, "的", 20_000)]),
        ("设" * 20_000, []),
        ("。" * 20_000, []),
        ("二零" * 10_000, []),
        ("一个" * 10_000, []),
        ("ab" * 10_000, []),
        ("研究" * 10_000, [("word", 1, 1, 20_001, "研究", 10_000)]),
        ("现将" * 10_000, [("word", 1, 1, 20_001, "现将", 10_000)]),
        ("为为" * 10_000, [("char", 1, 1, 20_001, "为", 20_000)]),
        ("的的是" * 7_000, [("run", 1, 1, 21_001, "的的是", 7_000)]),
        ("现将" + "某" * 20_000 + "现印发", []),
    ],
)
def test_hostile_input_gives_its_one_finding(text, expected):
    """20 KB of one character or mark, or of one short unit: one finding or none, found in a linear scan."""
    assert [(o.kind, o.line, o.column, o.end_column, o.unit, o.copies) for o in find_repeats(text, vocab())] == expected


def test_a_near_periodic_text_is_scanned_without_blowing_up():
    # every clause almost a repeat of the one before: rejected stretches are stepped over whole
    text = "".join("研究研究" + chr(0x4E00 + k % 300) for k in range(4_000))
    assert all(o.kind in ("run", "phrase") for o in find_repeats(text, vocab()))


def _settings(**changes):
    from checker.domains.documents.observations.duplicate_text import PACK
    from checker.domains.documents.text.places import load_yaml

    settings = {key: entry["value"] for key, entry in load_yaml(PACK)["settings"].items()}
    settings.update(changes)
    return settings


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"reduplications": ["研究研究"]}, "reduplications: “研究研究”应为两个字"),
        ({"doubled_chars": ["的", "的"]}, "doubled_chars: 应为互不相同的单个汉字"),
        ({"doubled_char_exceptions": ["目的"]}, "“目的”应恰好包含一处"),
        ({"frame_repeats": ["现将现印发"]}, "“现将现印发”应写成"),
        ({"max_unit_length": 1000}, "max_unit_length: 应为 3 到 40 之间的整数"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(changes, message):
    with pytest.raises(ValueError, match=message):
        RepeatVocab.from_settings(_settings(**changes), "pack.yaml")


def test_the_shipped_settings_compile():
    shipped = RepeatVocab.from_settings(_settings())
    assert "为" in shipped.doubled_chars and ("行为为", 1) in shipped.char_exceptions["为"]
    assert ("现将", "现印发", 1) in shipped.frames


# ------------------------------------------------------------------ bounded by the observation limit

# each clause a different kind (run, doubled character, frame, phrase), and clauses where a later scan's repeat
# would reach over an earlier one's (the phrase 值班工作…值班工作 over the word 工作工作)
BOUNDED = [
    "设立值班室设立值班室，分别为为，现将《方案》现印发。值班工作进一步加强值班工作。" * 400,
    "抓好工作工作落实工作工作落实，分别为为，值班工作工作进一步加强值班工作，现将现印发" * 300,
]
PIECES = ["的", "的的", "为为", "工作", "工作工作", "现将", "《方案》", "现印发", "设立值班室", "值班工作", "进一步加强",
          "一个", "研究研究", "了", "为了了解", "目的的", "实实在在", "甲", "乙", "，", "。", "\n", "2024年", "加强"]  # fmt: skip


@pytest.mark.parametrize("text", BOUNDED)
def test_a_limit_gives_exactly_the_first_repeats_of_all(text):
    every = find_repeats(text, vocab())
    assert len(every) > 1_000 and len({o.kind for o in every}) >= 3
    for limit in (0, 1, 2, 3, 4, 5, 999, 1_000, len(every) + 1):
        assert find_repeats(text, vocab(), limit=limit) == every[:limit]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.integers(0, 8))
def test_a_limit_on_random_text_gives_the_first_repeats(pieces, limit):
    # a scan stopped at its limit leaves unread what could only have stood after the first `limit` of all
    text = "".join(pieces)
    assert find_repeats(text, vocab(), limit=limit) == find_repeats(text, vocab())[:limit]


def test_a_hostile_text_far_beyond_the_limit_gives_exactly_the_limit():
    # 100,000 doubled words, each clause of period 5: the unit 工作工作， refused at every one (it holds a mark) is
    # no longer counted to the text's end each time (a scan of the rest per repeat), and only 1,000 are read
    got = find_repeats("工作工作，" * 100_000, vocab(), limit=1_000)
    assert [(o.kind, o.line, o.column, o.end_column, o.unit, o.copies) for o in got[:2]] == [
        ("word", 1, 1, 5, "工作", 2),
        ("word", 1, 6, 10, "工作", 2),
    ]
    assert len(got) == 1_000 and (got[-1].column, got[-1].end_column) == (4_996, 5_000)
