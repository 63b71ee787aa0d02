"""`lint --fix` never loses or damages a file (complements tests/test_lint.py).

A failure at any step — no room for the temporary file (read-only directory; tests run as root, so it is
simulated), a full disk while writing or syncing, permissions that cannot be set, a file changed or removed
since it was read — leaves the original byte for byte and says so; the replacement is a complete temporary
file in the same directory, renamed over the original with its permissions; symbolic links are never
followed silently, not even inside a directory being fixed.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile

import pytest

from checker.run import fix

AS_OF = "2024-12-01"
NOTICE = (
    "新野县人民政府办公室文件\n\n新政办〔2024〕012号\n\n关于某事的通知\n\n各乡镇人民政府：\n\n"
    "接照要求，确保已峻工项目不在出现问题。\n\n新野县人民政府办公室\n2024年03月05日\n"
)
FIXED = (
    NOTICE.replace("〔2024〕012号", "〔2024〕12号")
    .replace("接照", "按照")
    .replace("峻工", "竣工")
    .replace("不在出现", "不再出现")
    .replace("2024年03月05日", "2024年3月5日")
)


def notice(directory, name="n.txt", text=NOTICE, encoding="utf-8"):
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def listing(directory):
    return sorted(p.name for p in directory.iterdir())


def test_fix_applies_the_expected_text(cli, tmp_path):
    path = notice(tmp_path)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 0 and path.read_text(encoding="utf-8") == FIXED
    assert "已修正 5 处（1 个文件），剩余 0 处" in result.err


def test_temporary_file_in_the_same_directory_renamed_over_the_original(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before_inode = path.stat().st_ino
    real_mkstemp, real_replace = tempfile.mkstemp, os.replace
    calls = []

    def spy_mkstemp(*args, **kwargs):
        calls.append(("mkstemp", kwargs.get("dir")))
        return real_mkstemp(*args, **kwargs)

    def spy_replace(src, dst):
        # at the moment of the rename: the original is untouched, the temporary file is complete
        assert path.read_text(encoding="utf-8") == NOTICE
        with open(src, encoding="utf-8") as handle:
            assert handle.read() == FIXED
        calls.append(("replace", os.path.dirname(src), str(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(tempfile, "mkstemp", spy_mkstemp)
    monkeypatch.setattr(os, "replace", spy_replace)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 0
    assert calls == [("mkstemp", str(tmp_path)), ("replace", str(tmp_path), str(path))]
    assert path.stat().st_ino != before_inode  # a new file took the name: the old one was never written into
    assert listing(tmp_path) == ["n.txt"]


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664, 0o640, 0o755])
def test_permissions_are_kept(cli, tmp_path, mode):
    path = notice(tmp_path)
    path.chmod(mode)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 0 and path.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode


def _refused_intact(result, path, before, fragment):
    assert result.code == 2
    assert path.read_bytes() == before  # byte for byte
    lines = [line for line in result.err.splitlines() if line.startswith(f"checker: {path}: ")]
    assert len(lines) == 1 and fragment in lines[0], result.err
    assert "Traceback" not in result.err


def test_read_only_directory_simulated(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before = path.read_bytes()

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, before, "写入失败，原文件未改动：Permission denied")
    assert listing(tmp_path) == ["n.txt"]


def test_disk_full_while_writing(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])  # part of it reached the disk
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, before, "写入失败，原文件未改动：No space left on device")
    assert listing(tmp_path) == ["n.txt"]  # the half-written temporary file is gone


def test_disk_full_at_sync(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before = path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, before, "写入失败，原文件未改动：No space left on device")
    assert listing(tmp_path) == ["n.txt"]


def test_permissions_cannot_be_set(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, before, "写入失败，原文件未改动：Operation not permitted")
    assert listing(tmp_path) == ["n.txt"]


def test_file_changed_between_check_and_write(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    real_write = fix.write

    def edited_meanwhile(plan):
        path.write_text(NOTICE + "另一位同事刚加的一段。\n", encoding="utf-8")
        return real_write(plan)

    monkeypatch.setattr(fix, "write", edited_meanwhile)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, (NOTICE + "另一位同事刚加的一段。\n").encode(), "文件在检查后已被修改，未改写")
    assert listing(tmp_path) == ["n.txt"]


def test_file_removed_between_check_and_write(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    real_write = fix.write

    def removed_meanwhile(plan):
        path.unlink()
        return real_write(plan)

    monkeypatch.setattr(fix, "write", removed_meanwhile)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 2 and f"checker: {path}: 未改写：" in result.err
    assert listing(tmp_path) == []  # nothing was created in its place


def test_one_failure_does_not_stop_the_other_files(cli, tmp_path, monkeypatch):
    first, second = notice(tmp_path, "a.txt"), notice(tmp_path, "b.txt")
    before = first.read_bytes()
    real_mkstemp = tempfile.mkstemp

    def only_a_fails(*args, **kwargs):
        if kwargs.get("prefix", "").startswith(".a.txt"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", only_a_fails)
    result = cli("lint", tmp_path, "--fix", "--as-of", AS_OF)
    assert result.code == 2
    assert first.read_bytes() == before and second.read_text(encoding="utf-8") == FIXED
    assert f"checker: {first}: 写入失败，原文件未改动：Read-only file system" in result.err
    assert "已修正 5 处（1 个文件），剩余 5 处" in result.err
    assert listing(tmp_path) == ["a.txt", "b.txt"]


def test_symlinks_in_a_directory_are_not_followed_silently(cli, tmp_path):
    folder = tmp_path / "公文"
    folder.mkdir()
    outside = notice(tmp_path, "outside.txt")
    inside = notice(folder, "real.txt")
    (folder / "link-out.txt").symlink_to(outside)
    (folder / "link-in.txt").symlink_to(inside)
    outside_before = outside.read_bytes()
    result = cli("lint", folder, "--fix", "--as-of", AS_OF)
    assert outside.read_bytes() == outside_before  # never written through a link
    assert inside.read_text(encoding="utf-8") == FIXED  # the real file is fixed under its own name
    for link in ("link-in.txt", "link-out.txt"):
        assert (folder / link).is_symlink()  # still a link, not replaced by a copy
        assert f"checker: {folder / link}: 是符号链接，未修改（请对链接指向的文件运行 --fix）" in result.err
    assert listing(folder) == ["link-in.txt", "link-out.txt", "real.txt"]


def test_diff_alone_changes_nothing_even_when_writing_would_fail(cli, tmp_path, monkeypatch):
    path = notice(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: pytest.fail("--diff must not write"))
    result = cli("lint", path, "--diff", "--as-of", AS_OF)
    assert result.code == 1 and "+新政办〔2024〕12号" in result.out
    assert path.read_bytes() == before


def test_a_file_changed_after_the_check_and_before_the_plan_exits_2(cli, tmp_path, monkeypatch):
    """The README's promise: a file that is no longer what was checked is refused, and the exit code says so."""
    path = notice(tmp_path)
    real_plan = fix.plan

    def edited_before_planning(*args, **kwargs):
        path.write_text(NOTICE + "另一位同事刚加的一段。\n", encoding="utf-8")
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(fix, "plan", edited_before_planning)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 2
    assert f"checker: {path}: 文件在检查后已被修改，未改写（请重新运行）" in result.err
    assert path.read_text(encoding="utf-8") == NOTICE + "另一位同事刚加的一段。\n"


def test_a_read_only_file_is_not_rewritten(cli, tmp_path):
    """0444 says "do not change": as root the rename would succeed, so --fix refuses it itself (exit 2)."""
    path = notice(tmp_path)
    path.chmod(0o444)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, NOTICE.encode(), "文件为只读，未改写（如确需修改，请先取消只读）")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444 and listing(tmp_path) == ["n.txt"]


def test_a_symlinked_folder_in_the_path_is_not_written_through(cli, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    path = notice(real)
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    through = tmp_path / "via" / "n.txt"
    result = cli("lint", through, "--fix", "--as-of", AS_OF)
    assert result.code == 2
    assert (
        f"checker: {through}: 路径中的目录 {tmp_path / 'via'} 是符号链接，未修改（请对实际路径运行 --fix）"
        in result.err
    )
    assert path.read_text(encoding="utf-8") == NOTICE


def test_a_save_landing_just_before_the_rename_is_kept(cli, tmp_path, monkeypatch):
    """The identity (inode, size, mtime) is checked again after the temporary is complete, right before the
    rename: an editor saving in that window keeps its save, and the temporary is removed."""
    path = notice(tmp_path)
    saved = NOTICE + "刚刚保存的一段。\n"
    from checker.core import atomic

    real_copy = atomic.copy_extended_attributes

    def save_meanwhile(source, target):
        path.write_text(saved, encoding="utf-8")
        return real_copy(source, target)

    monkeypatch.setattr(atomic, "copy_extended_attributes", save_meanwhile)
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    _refused_intact(result, path, saved.encode(), "文件在改写前又被修改，未改写（请重新运行）")
    assert listing(tmp_path) == ["n.txt"]


def test_extended_attributes_are_kept(cli, tmp_path):
    path = notice(tmp_path)
    try:
        os.setxattr(path, "user.checker-test", b"kept")
    except (OSError, AttributeError):
        pytest.skip("this file system takes no user extended attributes")
    result = cli("lint", path, "--fix", "--as-of", AS_OF)
    assert result.code == 0 and path.read_text(encoding="utf-8") == FIXED
    assert os.getxattr(path, "user.checker-test") == b"kept"
