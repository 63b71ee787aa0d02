import hashlib

import pytest

from checker.core import digest


@pytest.mark.parametrize("size", [0, 1, 64, 1000, digest.LARGE, digest.LARGE + 1, 3 * digest.LARGE])
def test_the_digest_is_sha256_whichever_implementation_computes_it(size):
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    h = digest.sha256(b"checker")
    h.update(data)
    assert h.hexdigest() == hashlib.sha256(b"checker" + data).hexdigest()


def test_small_inputs_do_not_use_openssl_where_cpython_has_its_own():
    import importlib.util

    own = importlib.util.find_spec("_sha2") or importlib.util.find_spec("_sha256")
    if own is not None:
        assert digest.sha256.__module__ == own.name
    else:
        assert digest.sha256 is hashlib.sha256
