"""Patterns compiled on first use behave like compiled ones, and importing the finders compiles none."""

import re
import subprocess
import sys

from checker.core.lazyre import lazy_compile


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
