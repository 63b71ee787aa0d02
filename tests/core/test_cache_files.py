"""checker.core.cache.files_under: the file listing both cache keys (source code, rule and data files) read."""

from __future__ import annotations

import os

from checker.core.cache import files_under


def test_files_by_suffix_sorted_by_path_without_skipped_or_symlinked_folders(tmp_path):
    for name in ("b.yaml", "a/z.tsv", "a/b/c.yml", "a/x.txt", "__pycache__/m.yaml", "ab.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)  # a folder loop is not walked
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "b.yaml")  # a symlinked file is a file
    found = files_under(str(tmp_path), (".yaml", ".yml", ".tsv"), skip=("__pycache__",))
    sep = os.sep
    assert [name for name, _ in found] == [f"a{sep}b{sep}c.yml", f"a{sep}z.tsv", "ab.yaml", "b.yaml", "linked.yaml"]
    assert all(entry.stat().st_size == 1 for _, entry in found)


def _age(path, seconds: float) -> None:
    """Set the file's times back (its change time stays: only the kernel sets that)."""
    import time

    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def test_a_stamp_reads_a_recently_changed_file_and_only_that(tmp_path, monkeypatch):
    import builtins

    from checker.core import cache

    path = tmp_path / "rules.yaml"
    path.write_bytes(b"aaaa")
    first = cache.file_stamp(str(path))
    path.write_bytes(b"bbbb")  # same size, likely the same clock tick: the content tells them apart
    second = cache.file_stamp(str(path))
    assert first != second and len(second) > 32

    monkeypatch.setattr(cache, "_RECENT_NS", 0)  # nothing is recent: the stamp is the stat alone
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    old = cache.file_stamp(str(path))
    assert opened == [] and old == second[: len(old)]
    path.write_bytes(b"cccc")
    _age(path, 3600)  # edited in place, its modification time set back an hour: the change time still moved
    assert cache.file_stamp(str(path)) != old


def test_an_unreadable_file_raises_oserror(tmp_path):
    import pytest

    from checker.core import cache

    with pytest.raises(OSError):
        cache.file_stamp(str(tmp_path / "missing.yaml"))
