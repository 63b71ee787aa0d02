"""The place table and lexicon are kept validated in checker's cache; a cached copy behaves like a fresh one."""

from __future__ import annotations

import pytest

from checker.core import cache
from checker.core.lazyre import LazyPattern
from checker.domains.documents.text import lexicon as lexicon_module
from checker.domains.documents.text import places as places_module
from checker.domains.documents.text.lexicon import (
    DEFAULT_LEXICON,
    default_lexicon,
    find_typos,
    load_lexicon,
)
from checker.domains.documents.text.places import (
    DEFAULT_PLACES,
    default_places,
    load_places,
)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHECKER_NO_CACHE", raising=False)
    default_lexicon.cache_clear()
    default_places.cache_clear()
    yield tmp_path / "cache" / "checker"
    default_lexicon.cache_clear()
    default_places.cache_clear()


def _cached(kind, path, monkeypatch):
    """Load through the cache in a fresh state, refusing to read the data file."""
    getattr(lexicon_module if kind == "lexicon" else places_module, f"default_{kind}").cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the data file was read although it was cached")

    monkeypatch.setattr(lexicon_module, "load_lexicon", refuse)
    monkeypatch.setattr(places_module, "load_places", refuse)
    return default_lexicon() if kind == "lexicon" else default_places()


def test_cached_lexicon_finds_what_a_fresh_one_finds(cache_home, monkeypatch):
    fresh = default_lexicon()
    assert len(list((cache_home / "lexicon").glob("*.pickle"))) == 1
    cached = _cached("lexicon", DEFAULT_LEXICON, monkeypatch)
    assert isinstance(cached.candidates, LazyPattern)
    assert [(e.wrong, e.right, e.context, e.pattern) for e in cached.entries] == [
        (e.wrong, e.right, e.context, e.pattern) for e in fresh.entries
    ]
    text = "\n".join(e.example or e.wrong for e in fresh.entries)
    assert find_typos(text, cached) == find_typos(text, fresh)
    assert find_typos(text, fresh)


def test_cached_places_equal_fresh_ones(cache_home, monkeypatch):
    fresh = default_places()
    cached = _cached("places", DEFAULT_PLACES, monkeypatch)
    assert cached.places == fresh.places
    assert cached.prefix_forms() == fresh.prefix_forms()
    assert cached.place_of_prefix("新政办") == fresh.place_of_prefix("新政办")


def test_changed_data_file_changes_the_key(tmp_path):
    path = tmp_path / "typos.yaml"
    path.write_text(DEFAULT_LEXICON.read_text(encoding="utf-8"), encoding="utf-8")
    before = cache.data_key(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    assert cache.data_key(path) != before
    assert cache.data_key(tmp_path / "missing.yaml") is None


def test_damaged_cache_is_rebuilt(cache_home):
    default_places()
    (path,) = (cache_home / "places").glob("*.pickle")
    path.write_bytes(b"\x80\x05 damaged")
    default_places.cache_clear()
    assert default_places().places == load_places(DEFAULT_PLACES).places
    assert cache.load("places", path.stem) is not None  # written again


def test_no_cache_when_disabled(cache_home, monkeypatch):
    monkeypatch.setenv("CHECKER_NO_CACHE", "1")
    assert default_lexicon().entries == load_lexicon(DEFAULT_LEXICON).entries
    assert not cache_home.exists()
