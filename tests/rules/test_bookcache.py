"""The loaded rule book is cached between runs; any change to what it is made of loads afresh."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import yaml

from checker.core import cache
from checker.core.errors import RuleFileError
from checker.records.fields import RULE_SCHEMAS
from checker.rules import bookcache, loader
from checker.rules.conditions import leaves
from checker.rules.loader import load_rulebook

RULE = {
    "id": "T-RATE-LOW",
    "when": {"field": "prefab_rate_pct", "lt": 50},
    "message": "装配率 {prefab_rate_pct}",
    "examples": {"fire": [{"prefab_rate_pct": 10}], "pass": [{"prefab_rate_pct": 60}]},
}


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("CHECKER_NO_CACHE", raising=False)
    # every file's content is part of the key, as for a file changed in the last seconds: the packs these tests
    # write are that new, and a key that dropped their content midway (past _RECENT_NS) would miss the cache
    monkeypatch.setattr(cache, "_RECENT_NS", 1 << 62)
    return home


def _books(home):
    return sorted((home / "checker" / "rulebooks").glob("*.pickle"))


def _no_fresh_load(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rule files were read although the rule book was cached")

    monkeypatch.setattr(loader, "_load_pack", refuse)


def test_second_load_comes_from_the_cache(make_pack, cache_home, monkeypatch):
    directory = make_pack([RULE])
    first = load_rulebook([directory])
    assert len(_books(cache_home)) == 1
    _no_fresh_load(monkeypatch)
    second = load_rulebook([directory])
    assert second is not first
    assert second.digest == first.digest
    assert [r.id for r in second.rules] == ["T-RATE-LOW"]
    rule = second.rules[0]
    assert rule.condition == first.rules[0].condition
    assert rule.pack is second.packs[0]
    assert [c.short() for c in rule.spec.citation] == ["测试文件"] and rule.citations[0].kind == "summary"
    assert rule.spec.examples.pass_ == [{"prefab_rate_pct": 60}]
    assert rule.render_message({"prefab_rate_pct": "10%"}) == "装配率 10%"
    # field specs are checker.records.fields' own objects, not copies
    leaf = next(iter(leaves(rule.condition)))
    assert leaf.spec is RULE_SCHEMAS["project"].get("prefab_rate_pct")


def test_changed_rule_file_is_loaded_afresh(make_pack, cache_home):
    directory = make_pack([RULE])
    load_rulebook([directory])
    path = directory / "T-RATE-LOW.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = "改过的标题"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rulebook([directory]).rules[0].spec.title == "改过的标题"


def test_rule_file_error_is_reported_after_a_good_cached_load(make_pack, cache_home):
    directory = make_pack([RULE])
    load_rulebook([directory])
    path = directory / "T-RATE-LOW.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rulebook([directory])
    assert "未知的键“colour”" in info.value.one_line()
    assert "T-RATE-LOW.yaml" in info.value.one_line()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage", None])
def test_corrupt_cache_falls_back_to_a_fresh_load(make_pack, cache_home, damage):
    directory = make_pack([RULE])
    load_rulebook([directory])
    (path,) = _books(cache_home)
    if damage is None:  # a valid pickle of something else
        import pickle

        path.write_bytes(pickle.dumps((1, "other key", None)))
    else:
        path.write_bytes(damage)
    book = load_rulebook([directory])
    assert [r.id for r in book.rules] == ["T-RATE-LOW"]
    assert bookcache.cached_book(path.stem) is not None  # rewritten by the fresh load


def test_overrides_are_part_of_the_key(make_pack, cache_home):
    directory = make_pack([RULE], settings={"scope": {"value": ["甲"], "note": "测试"}})
    plain = load_rulebook([directory])
    changed = load_rulebook([directory], overrides={"test-pack": {"scope": {"add": ["乙"]}}})
    assert plain.packs[0].settings()["scope"] == ["甲"]
    assert changed.packs[0].settings()["scope"] == ["甲", "乙"]
    assert load_rulebook([directory]).packs[0].settings()["scope"] == ["甲"]
    assert len(_books(cache_home)) == 2


def test_no_cache_when_disabled(make_pack, cache_home, monkeypatch):
    monkeypatch.setenv("CHECKER_NO_CACHE", "1")
    load_rulebook([make_pack([RULE])])
    assert not (cache_home / "checker").exists()


def test_test_rules_mode_neither_reads_nor_writes_the_cache(make_pack, cache_home):
    directory = make_pack([RULE])
    book = load_rulebook([directory], check_examples=False)
    assert [r.id for r in book.rules] == ["T-RATE-LOW"]
    assert not _books(cache_home)


def test_only_the_newest_books_are_kept(make_pack, cache_home, monkeypatch):
    monkeypatch.setattr(bookcache, "_BOOKS_KEPT", 2)
    for _ in range(4):
        load_rulebook([make_pack([RULE])])
    assert len(_books(cache_home)) == 2


def test_cached_load_needs_no_pydantic(tmp_path):
    """A cache hit builds no rule-file models: neither checker.rules.rulefile nor pydantic is imported."""
    code = textwrap.dedent("""
        import sys
        from checker.domains import install
        from checker.rules.loader import load_rulebook
        install()
        book = load_rulebook()
        print(len(book.rules), "checker.rules.rulefile" in sys.modules, "pydantic" in sys.modules)
    """)
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    count, rulefile_first, _ = first.stdout.split()
    assert rulefile_first == "True"
    assert second.stdout.split() == [count, "False", "False"]
