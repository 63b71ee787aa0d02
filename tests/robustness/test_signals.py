"""SIGTERM and SIGHUP during `--jobs` end the run like Ctrl-C: one line, exit 128+N, no workers or spill left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, write


def _ledger(path: Path, rows: int) -> Path:
    lines = ["id,name,investment,category,floor_area_m2,prefab_rate_pct"]
    lines += [f"S{n},项目{n},社会投资,住宅,{1000 + n},{n % 60}" for n in range(rows)]
    return write(path, "\n".join(lines) + "\n")


def _alive_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the workers")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_jobs_is_a_clean_stop(tmp_path, signum):
    work = tmp_path / f"run-{signum.name}"
    spill = work / "tmp"
    spill.mkdir(parents=True)
    inputs = [str(_ledger(work / f"l{n}.csv", 20_000)) for n in range(4)]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "checker",
            "check",
            *inputs,
            "--jobs",
            "2",
            "--format",
            "json",
            "--output",
            str(work / "report.json"),
        ],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(spill)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(_alive_with(str(work))) < 3 and time.monotonic() < deadline:  # the parent and its two workers
        time.sleep(0.05)
    assert len(_alive_with(str(work))) >= 3, "the workers never started"
    time.sleep(0.3)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, err
    assert err.strip().splitlines() == [f"checker: 已中断（收到 {signum.name}）"]
    assert "Traceback" not in err and out == ""
    time.sleep(0.5)
    assert _alive_with(str(work)) == []
    assert list(spill.iterdir()) == []
    assert not (work / "report.json").exists()
