"""Replacing a file atomically: a temporary file beside it, flushed and synced, given the file's mode (and owner),
then renamed over it.  A failure at any step removes the temporary and leaves the file as it was.  Shared by
`--fix` (rewriting a document) and `--output` (writing a report)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(path: Path, mode: int, owner: tuple[int, int] | None = None, suffix: str = ".tmp") -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` when the block ends without an exception.

    Raises OSError (the temporary cannot be made, written, synced or renamed); `path` is then untouched.
    """
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if owner is not None:
            try:
                os.chown(tmp, *owner)  # keep the owner (matters when run as root)
            except (PermissionError, AttributeError):
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(str(directory), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
