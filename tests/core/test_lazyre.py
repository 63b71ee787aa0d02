"""Patterns compiled on first use behave like compiled ones, and importing the finders compiles none."""

import re
import subprocess
import sys

from checker.core.lazyre import lazy_compile
from tests.conftest import fresh_kept_table


def test_lazy_pattern_acts_like_a_compiled_one():
    lazy = lazy_compile(r"(?P<n>[0-9]+)个", re.ASCII)
    assert lazy.pattern == r"(?P<n>[0-9]+)个" and lazy.flags == re.ASCII
    assert lazy.search("共12个").group("n") == "12"
    assert [m.start() for m in lazy.finditer("1个 22个")] == [0, 3]
    assert lazy.sub("#", "3个") == "#"
    assert lazy.groupindex["n"] == 1
    assert lazy.compiled() is lazy.compiled()


def test_importing_the_finders_compiles_no_module_patterns():
    code = (
        "import checker.domains.documents.observe, checker.domains.documents.observations, checker.domains.documents.text.counts, checker.domains.documents.text.cndate, checker.domains.documents.text.docnumber, "
        "checker.domains.documents.text.document_meta, checker.domains.documents.text.positions, checker.domains.documents.text.quoting\n"
        "from checker.core.lazyre import LazyPattern\n"
        "mods = [m for n, m in __import__('sys').modules.items() if n.startswith('checker.')]\n"
        "lazy = [v for m in mods for v in vars(m).values() if isinstance(v, LazyPattern)]\n"
        "print(len(lazy), sum('_compiled' in vars(p) for p in lazy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 30
    assert out[1] == "0"


def test_compiled_lazy_pattern_pickles_as_its_source():
    import pickle

    lazy = lazy_compile(r"部署|布署")
    assert lazy.search("布署").group() == "布署"
    copy = pickle.loads(pickle.dumps(lazy))
    assert "_compiled" not in vars(copy)  # compiled again only when used
    assert copy.search("部署").group() == "部署"


# ---------------------------------------------------------------- programs kept between runs


def _fresh(monkeypatch, tmp_path):
    from checker.core import lazyre

    fresh_kept_table(monkeypatch, tmp_path, lazyre, "PROGRAMS")
    return lazyre


def test_a_pattern_built_from_a_kept_program_is_the_pattern_re_compiles(monkeypatch, tmp_path):
    lazyre = _fresh(monkeypatch, tmp_path)
    source = r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月|[\u3400-\u4dbf\u4e00-\u9fff]{2}(?=通知)"
    first = lazyre.compile_pattern(source, re.MULTILINE)
    lazyre.PROGRAMS.save()
    [kept] = (tmp_path / "checker" / "regex").glob("*.pickle")
    lazyre.PROGRAMS.reset()  # a new run: the program is read back from the file
    again = lazyre.compile_pattern(source, re.MULTILINE)
    assert lazyre.PROGRAMS.added is False  # nothing new to store: it came from the file
    assert isinstance(
        lazyre.PROGRAMS.entries()[(source, re.MULTILINE)][1], bytes
    )  # opcodes kept as bytes: cheap to load
    plain = re.compile(source, re.MULTILINE)
    text = "2024年5月印发关于转发的通知\n2025年12月"
    for pattern in (first, again):
        assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == (
            plain.pattern,
            plain.flags,
            plain.groups,
            plain.groupindex,
        )
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert kept.stat().st_size > 0


def test_a_damaged_program_is_compiled_again(monkeypatch, tmp_path):
    lazyre = _fresh(monkeypatch, tmp_path)
    lazyre.PROGRAMS.entries()[("a+b", 0)] = (32, [1, 2, 3], 0, {}, (None,))  # not a valid program
    assert lazyre.compile_pattern("a+b").search("xaab").span() == (1, 4)
    assert lazyre.PROGRAMS.entries()[("a+b", 0)][1] != [1, 2, 3]  # replaced by the real one


def test_every_finder_pattern_behaves_the_same_from_its_kept_program(monkeypatch, tmp_path):
    """Each module pattern of the document finders, through a stored and reloaded program, finds exactly what
    re.compile's pattern finds in a real notice."""
    import importlib
    import pickle
    from pathlib import Path

    lazyre = _fresh(monkeypatch, tmp_path)
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(Path("tests/domains/documents/corpus").glob("a-0*.txt"))
    )
    assert len(text) > 5000
    text_dir = Path("checker/domains/documents/text")
    patterns = []
    for path in sorted(text_dir.glob("*.py")):
        module = importlib.import_module(f"checker.domains.documents.text.{path.stem}")
        patterns += [v for v in vars(module).values() if isinstance(v, lazyre.LazyPattern)]
    assert len(patterns) > 30
    for lazy in patterns:
        lazyre.compile_pattern(lazy.pattern, lazy.flags)
    programs = pickle.loads(pickle.dumps(lazyre.PROGRAMS.entries()))
    for lazy in patterns:
        kept = lazyre._from_program(lazy.pattern, programs[(lazy.pattern, lazy.flags)])
        plain = re.compile(lazy.pattern, lazy.flags)
        assert [m.span() for m in kept.finditer(text)] == [m.span() for m in plain.finditer(text)], lazy.pattern


def test_the_programs_kept_are_the_most_recently_used(monkeypatch, tmp_path):
    lazyre = _fresh(monkeypatch, tmp_path)
    monkeypatch.setattr(lazyre.PROGRAMS, "limit", 3)
    for source in ("a+", "b+", "c+"):
        lazyre.compile_pattern(source)
    lazyre.compile_pattern("a+")  # used again: now the most recent
    lazyre.compile_pattern("d+")
    lazyre.PROGRAMS.save()
    lazyre.PROGRAMS.reset()  # a new run reads what was stored
    assert [pattern for pattern, _ in lazyre.PROGRAMS.entries()] == ["c+", "a+", "d+"]
