from checker.domains.documents.text.positions import (
    LineIndex,
    in_spans,
    line_col,
    quoted_spans,
)


def test_line_col_is_one_based_in_characters():
    text = "新野县\n住房和城乡建设局\n\nabc"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, 2) == (1, 3)
    assert line_col(text, 3) == (1, 4)  # the newline itself
    assert line_col(text, 4) == (2, 1)
    assert line_col(text, 13) == (3, 1)
    assert line_col(text, 14) == (4, 1)
    assert line_col(text, len(text)) == (4, 4)


def test_line_index_round_trip():
    text = "一\n二二\n三三三"
    idx = LineIndex(text)
    for offset in range(len(text) + 1):
        line, col = idx.line_col(offset)
        assert idx.offset(line, col) == offset
    assert idx.line_text(2) == "二二"
    assert idx.line_text(3) == "三三三"


def test_quoted_spans_cover_text_inside_the_marks():
    text = "出现“我市工作”和「本市」字样"
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["我市工作", "本市"]
    assert in_spans(text.index("我市"), spans)
    assert not in_spans(text.index("出现"), spans)
    assert not in_spans(text.index("“"), spans)


def test_nested_quotes_count_once():
    text = "他说“文件写了‘我市’和『本市』”。"
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["文件写了‘我市’和『本市』"]


def test_unbalanced_quote_ends_at_line_end():
    text = "“我市工作\n我县实际”结束"
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["我市工作"]
    assert not in_spans(text.index("我县"), spans)


def test_stray_closing_quote_is_ignored_and_ascii_quotes_pair():
    text = '”我市，"我县"，本区'
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["我县"]


def _quoted_spans_one_mark_at_a_time(text):
    """The reading quoted_spans keeps, one mark at a time (its implementation before runs were one entry)."""
    pairs = {"“": "”", "‘": "’", "「": "」", "『": "』"}
    closers = {v: k for k, v in pairs.items()}
    spans, stack, start = [], [], 0
    for pos, ch in enumerate(text):
        if ch == "\n":
            if stack:
                spans.append((start, pos))
                stack.clear()
        elif ch == '"' and stack and stack[-1] == '"':
            stack.pop()
            if not stack:
                spans.append((start, pos))
        elif ch == '"' or ch in pairs:
            if not stack:
                start = pos + 1
            stack.append(ch)
        elif ch in closers and closers[ch] in stack:
            while stack.pop() != closers[ch]:
                pass
            if not stack:
                spans.append((start, pos))
    if stack:
        spans.append((start, len(text)))
    return spans


def test_runs_of_opening_marks_are_read_as_one_mark_at_a_time():
    import random

    from checker.domains.documents.text.positions import quoted_spans

    rng = random.Random(7)
    marks = list('“”‘’「」『』"\n') + ["甲"] * 4
    for _ in range(5000):
        text = "".join(rng.choice(marks) for _ in range(rng.randint(0, 24)))
        assert quoted_spans(text) == _quoted_spans_one_mark_at_a_time(text), text
    assert quoted_spans("前" + "“" * 300_000 + "”后\n") == [
        (2, 300_003)
    ]  # the innermost closes; the rest stay open to the line end
