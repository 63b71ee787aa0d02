"""Helpers of bench/run.py that its figures rest on: where a measured command's output goes (the start-up figures
differ only by that), the `[limits]` override of the memory run, and the DISAGREES verdict."""

from __future__ import annotations

import sys

import pytest

from bench import run

PROBE = "import sys; print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty()); print('x' * 5000)"


def test_output_to_devnull_is_not_seen():
    proc = run.run_measured([sys.executable, "-c", PROBE], ok_codes=(0,))
    assert (proc.returncode, proc.output_bytes, proc.output_tail) == (0, 0, "")


def test_output_to_a_pipe_is_read_to_its_end():
    proc = run.run_measured([sys.executable, "-c", PROBE], ok_codes=(0,), stdout="pipe")
    assert proc.output_bytes == len("False False False\n") + 5001
    assert proc.output_tail == "x" * 1999 + "\n"  # the last 2,000 bytes


def test_output_to_a_terminal_is_a_terminal_of_120_columns():
    probe = "import shutil, sys; print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty(), shutil.get_terminal_size())"
    proc = run.run_measured([sys.executable, "-c", probe], ok_codes=(0,), stdout="tty")
    assert proc.output_tail == "True True True os.terminal_size(columns=120, lines=50)\r\n"


def test_a_failing_command_names_its_terminal_output():
    with pytest.raises(RuntimeError, match="exited with 3: boom"):
        run.run_measured([sys.executable, "-c", "print('boom'); raise SystemExit(3)"], stdout="tty")


def test_unknown_output_mode_is_refused():
    with pytest.raises(ValueError, match="stdout must be one of"):
        run.run_measured(["true"], stdout="file")


def test_limits_config_raises_max_file_bytes_only(tmp_path):
    assert run.limits_config(tmp_path, 1_000_000).read_text() == "[limits]\nmax_file_bytes = 200000000\n"
    assert run.limits_config(tmp_path, 1_000).read_text() == f"[limits]\nmax_file_bytes = {50 * 1024 * 1024}\n"


def test_a_disagreeing_peer_marks_its_figure():
    peers = {"hand_agreement": {"disagreements": 2}, "polars_agreement": {"disagreements": 0}}
    disagrees = run._disagreeing(peers)
    assert disagrees == {"subsidy_vs_hand"}
    assert run.verdict("subsidy_vs_hand", 1.5, disagrees) == "DISAGREES"
    assert run.verdict("subsidy_vs_polars", 1.5, disagrees) == "PASS"
    assert run.verdict("subsidy_vs_polars", 11.0, disagrees) == "FAIL"
    assert run.verdict("subsidy_vs_polars", None, disagrees) == "n/a"
