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
