"""Replacing a file atomically: a temporary file beside it, flushed and synced, given the file's mode (and owner),
then renamed over it.  A failure at any step removes the temporary and leaves the file as it was.  Shared by
`--fix` (rewriting a document) and `--output` (writing a report)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(
    path: Path,
    mode: int,
    owner: tuple[int, int] | None = None,
    suffix: str = ".tmp",
    keep_attributes: bool = False,
    before_rename: Callable[[], None] | None = None,
) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` when the block ends without an exception.

    `keep_attributes`: the extended attributes of the file being replaced (POSIX ACLs among them, on Linux)
    are copied to the new one where the platform allows.  `before_rename` runs last, just before the rename;
    whatever it raises leaves `path` untouched (--fix re-checks there that nobody saved the file meanwhile).
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
        if keep_attributes:
            copy_extended_attributes(path, Path(tmp))
        if before_rename is not None:
            before_rename()
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


def copy_extended_attributes(source: Path, target: Path) -> list[str]:
    """Copy `source`'s extended attributes (user.*, security.*, system.posix_acl_*) to `target`, best effort.

    Returns the names that could not be copied (no permission, or a file system without them); on a platform
    without xattr calls (macOS, Windows in Python's os module) nothing is copied.
    """
    if not hasattr(os, "listxattr"):
        return []
    try:
        names = os.listxattr(source)
    except OSError:
        return []
    lost = []
    for name in names:
        try:
            os.setxattr(target, name, os.getxattr(source, name))
        except OSError:
            lost.append(name)
    return lost
