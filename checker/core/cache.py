"""Pickled results of checker's own expensive loads (rule book, place table, lexicon) between runs.

Each result is stored under a key that covers everything it is made of, always
including checker's own code, so a changed file or a new version loads afresh.
Files live in the user's cache directory (`$XDG_CACHE_HOME/checker`, else
`~/.cache/checker`; `CHECKER_NO_CACHE=1` turns caching off), are written
atomically, and only the newest few of each kind are kept.  They are checker's
own output in the user's own directory (the trust of the installed code);
anything unreadable, stale or damaged is ignored and the result is rebuilt.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.core.digest import sha256

FORMAT = 1
KEPT = 16


def cache_dir() -> Path | None:
    if os.environ.get("CHECKER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "checker"


@lru_cache(maxsize=1)
def _code_hash():
    """checker's version and code: from the wheel's RECORD (a sha256 of every installed file, one small read)
    when checker is installed, else each source file's path, size and modification time (an editable install:
    an edit changes the time; reading and hashing every source cost more than the rest of a start)."""
    from checker import __version__

    h = sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]  # the whole checker package
    record = package.parent / f"checker-{__version__}.dist-info" / "RECORD"
    try:
        h.update(b"record\0" + record.read_bytes())
        return h
    except OSError:
        pass
    for name, entry in files_under(str(package), (".py",), skip=("__pycache__",)):
        h.update(f"{name}\0".encode() + file_stamp(entry.path, entry.stat()))
    return h


# File times come from a coarse clock (a few milliseconds): two writes of the same size within one tick leave
# the same stamp.  A file changed this recently is read as well (git's "racily clean" rule).
_RECENT_NS = 2_000_000_000


def file_stamp(path: str, info: os.stat_result | None = None) -> bytes:
    """What says a file is unchanged without reading it: size, inode, modification and change times (an edit
    sets the change time, which no tool can set back); with the content when it changed in the last seconds.
    Raises OSError when the file cannot be read."""
    if info is None:
        info = os.stat(path)
    stamp = f"{info.st_size}\0{info.st_ino}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0".encode()
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < _RECENT_NS:
        with open(path, "rb") as handle:
            stamp += sha256(handle.read()).digest()
    return stamp


def files_under(base: str, suffixes: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[tuple[str, os.DirEntry]]:
    """(relative path, entry) of every file under `base` whose name ends in one of `suffixes`, sorted by path;
    folders named in `skip` and symlinked folders are not entered (as os.walk does; os.scandir: Path.rglob and
    a stat per file cost three times more)."""
    found = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip:
                        walk(entry.path, f"{prefix}{entry.name}{os.sep}")
                elif entry.name.endswith(suffixes) and entry.is_file():
                    found.append((prefix + entry.name, entry))

    walk(base, "")
    return sorted(found, key=lambda item: item[0])


def code_hasher():
    """A sha256 already fed with checker's version and every source file (computed once per process)."""
    return _code_hash().copy()


def _file(kind: str, key: str) -> Path | None:
    base = cache_dir()
    return base / kind / f"{key}.pickle" if base is not None else None


def load(kind: str, key: str, persistent_load: Callable[[Any], Any] | None = None) -> Any | None:
    """The object stored under `key`, or None."""
    try:  # the C unpickler alone: pickle.py's own classes (its Python pickler) are a millisecond of every start
        from _pickle import Unpickler
    except ImportError:
        from pickle import Unpickler

    path = _file(kind, key)
    if path is None:
        return None

    class _Unpickler(Unpickler):
        pass

    if persistent_load is not None:
        _Unpickler.persistent_load = lambda self, pid: persistent_load(pid)
    try:
        with open(path, "rb") as handle:
            stored = _Unpickler(handle).load()
    except Exception:
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == FORMAT and stored[1] == key):
        return None
    return stored[2]


def store(
    kind: str, key: str, value: Any, persistent_id: Callable[[Any], Any] | None = None, kept: int | None = None
) -> None:
    """Write `value` atomically (a reader sees the old file or the new one); keep the newest few of `kind`."""
    import io
    import pickle
    import tempfile

    path = _file(kind, key)
    if path is None:
        return

    class _Pickler(pickle.Pickler):
        pass

    if persistent_id is not None:
        _Pickler.persistent_id = lambda self, obj: persistent_id(obj)
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((FORMAT, key, value))
    except Exception:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".new.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(buffer.getvalue())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        files = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[kept if kept is not None else KEPT :]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def data_key(*paths: Path | str) -> str | None:
    """Key of a result built from data files by checker's code; None when caching is off or a file is unreadable."""
    if cache_dir() is None:
        return None
    h = code_hasher()
    try:
        for path in paths:
            resolved = str(Path(path).resolve())
            h.update(resolved.encode() + b"\0" + file_stamp(resolved))
    except OSError:
        return None
    return h.hexdigest()


class KeptTable:
    """Results kept between runs in one cache file (compiled regex programs, generated code): read on first use,
    written at exit when this run added one, the least recently used past `limit` dropped then.

    `key()` names the file (it covers what the results depend on: the Python build); a hit moves the entry to
    the end, so the dict runs from least to most recently used."""

    def __init__(self, kind: str, key: Callable[[], str], limit: int):
        self.kind, self.key, self.limit = kind, key, limit
        self._entries: dict | None = None
        self.added = False  # something this run made is not stored yet

    def entries(self) -> dict:
        if self._entries is None:
            stored = load(self.kind, self.key())
            self._entries = stored if isinstance(stored, dict) else {}
        return self._entries

    def get(self, key: Any) -> Any | None:
        entries = self.entries()
        value = entries.pop(key, None)
        if value is not None:
            entries[key] = value  # moved to the end: the most recently used
        return value

    def put(self, key: Any, value: Any) -> None:
        self.entries()[key] = value
        if not self.added:
            import atexit

            atexit.register(self.save)
            self.added = True

    def reset(self) -> None:
        """Forget what was read, as a new run starts (the tests)."""
        self._entries, self.added = None, False

    def save(self) -> None:
        """Store the entries (at exit; a failure only costs time)."""
        if self._entries is None or not self.added:
            return
        self.added = False
        for stale in list(self._entries)[: max(0, len(self._entries) - self.limit)]:  # unused for longest
            del self._entries[stale]
        store(self.kind, self.key(), self._entries, kept=4)
