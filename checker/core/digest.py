"""SHA-256 for cache keys and document digests, without loading OpenSSL's binding for small inputs.

`hashlib` loads `_hashlib` (OpenSSL) on import: about 3 ms of every start, when a start hashes a few
hundred bytes of cache key and one notice.  CPython's own SHA-256 module loads in a tenth of that and gives
the same digests; it is about eight times slower per byte, so inputs past `LARGE` go to hashlib.  Where
CPython's module is absent (another interpreter, a stripped build), hashlib is used throughout.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # CPython 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:
        from hashlib import sha256

LARGE = 1 << 20  # bytes past which OpenSSL's speed is worth its import

__all__ = ["LARGE", "sha256", "sha256_hex"]


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of `data` (identical whichever implementation computes it)."""
    if len(data) > LARGE:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    return sha256(data).hexdigest()
