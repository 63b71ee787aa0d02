"""What makes loading rules cheap after the first run: a record of verified rule sets, and pickled rule books.

Verifying every rule's examples costs most of the start-up time; a small cache remembers which exact combination
of checker code, rule files and data files has been verified, so only a change re-verifies.  Reading and validating
the YAML files and compiling their conditions is most of what is left; the loaded rule book is therefore pickled,
keyed by everything it is made of.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from checker.core.digest import sha256
from checker.rules.book import RuleBook

# Verifying every rule's examples costs most of the start-up time; a small cache remembers which exact
# combination of checker code, rule files and data files has been verified, so only a change re-verifies.
_CACHE_NAME = "verified-rules.json"


def _cache_file() -> Path | None:
    from checker.core.cache import cache_dir

    base = cache_dir()
    return base / _CACHE_NAME if base is not None else None


def rules_fingerprint(dirs: list[Path], data_roots: list[Path]) -> str:
    """Checker's code and every rule and data file the rules are verified with (`data_roots`: places, lexicon)."""
    from checker.core.cache import code_hasher, file_stamp, files_under

    h = code_hasher()  # checker's version and code
    roots = [Path(d) for d in dirs] + list(data_roots)
    for root in roots:
        if not root.is_dir():
            continue
        base = root.resolve()  # once per root: resolving each file was most of the cost
        h.update(f"{base}\0".encode())
        for name, entry in files_under(str(base), (".yaml", ".yml", ".tsv")):
            h.update(f"{name}\0".encode() + file_stamp(entry.path, entry.stat()))  # a stat, not a read of each
    return h.hexdigest()


def verified_fingerprints() -> set[str]:
    import json

    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else []
        return set(data) if isinstance(data, list) else set()
    except (OSError, ValueError):
        return set()


def remember_verified(fingerprint: str) -> None:
    import json
    import tempfile

    path = _cache_file()
    if path is None:
        return
    try:
        known = [k for k in verified_fingerprints() if k != fingerprint][-19:] + [fingerprint]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".verified.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


# Reading and validating ~50 YAML files and compiling their conditions is most of what is left of start-up
# once the examples are verified; the loaded rule book is therefore pickled, keyed by everything it is made
# of (the verification fingerprint: checker's code and every rule/data file; the directories as given, since
# rule sources show them; the configuration's overrides).  Only a rule book that loaded without error is
# stored, so rule-file errors are always reported by a fresh load.  The pickle is checker's own output in the
# user's own cache directory, the same trust as the installed code; anything unreadable is ignored.
_BOOKS_DIR = "rulebooks"

_BOOKS_KEPT = 16


def book_key(fingerprint: str, dirs: list[Path], overrides: dict[str, Any] | None) -> str:
    import json
    import sys

    h = sha256(f"{sys.version_info[:2]}\0{fingerprint}\0".encode())
    h.update(json.dumps([str(d) for d in dirs], ensure_ascii=False).encode())
    h.update(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def _shared_objects() -> tuple[dict[int, tuple], Any]:
    """Field and record schemas are pickled by name, so a cached rule book shares checker.records.fields' objects."""
    from checker.records.fields import RULE_SCHEMAS

    ids: dict[int, tuple] = {}
    for kind, schema in RULE_SCHEMAS.items():
        ids[id(schema)] = ("schema", kind)
        for spec in schema.fields:
            ids.setdefault(id(spec), ("field", kind, spec.name))

    def lookup(pid: tuple) -> Any:
        found = RULE_SCHEMAS[pid[1]] if pid[0] == "schema" else RULE_SCHEMAS[pid[1]].get(pid[2])
        if found is None:
            raise KeyError(pid)
        return found

    return ids, lookup


def cached_book(key: str) -> RuleBook | None:
    """The rule book stored under `key`, or None (no cache, or a file that is missing, stale or corrupt)."""
    from checker.core import cache

    _, lookup = _shared_objects()
    book = cache.load(_BOOKS_DIR, key, lookup)
    return book if isinstance(book, RuleBook) else None


def store_book(key: str, book: RuleBook) -> None:
    from checker.core import cache

    ids, _ = _shared_objects()
    cache.store(_BOOKS_DIR, key, book, lambda obj: ids.get(id(obj)), kept=_BOOKS_KEPT)
