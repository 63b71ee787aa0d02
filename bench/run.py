"""checker benchmark: one command, ratios measured in the same run.

    python bench/run.py [--scale small|full] [--seed N] [--profile]

See bench/README.md for what each figure means.  Absolute times drift on
shared machines; the targets are therefore ratios of figures measured in this
same run (evaluator vs evaluator, end to end vs evaluation, 2 jobs vs 1,
start-up vs an import baseline, memory at 1M vs 100k rows, checker vs a
hand-written script, polars and autocorrect-py), except the lint rate, which is
an absolute rate from the issue.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # for `bench`; checker itself comes from the environment

from bench import generate

AS_OF = generate.AS_OF.isoformat()


@dataclass(frozen=True)
class Scale:
    name: str
    eval_records: int  # records (mixed projects and approval items) for the evaluator throughput
    eval_rounds: int  # interleaved rounds per evaluator (median taken)
    e2e_records: int  # records in the CSV and the JSONL file for `checker check`; the ledger of the subsidy peers
    rss_small: int  # the smaller ledger of the profiles (bench/profiling.py)
    docs: int  # documents for `checker lint`
    cold_runs: int  # interleaved start-up rounds (median taken)
    text_records: int  # projects in the ledger whose text report is timed against its JSON report; engines e2e
    mem_base: int  # rows of the smaller `checker check` memory run
    mem_large: int  # rows of the larger one (a max_file_bytes override lets it be read)
    peer_docs: int  # documents linted by checker and by autocorrect-py, and with --jobs 1 / 2
    peer_rounds: int  # interleaved rounds of each peer comparison (median taken)


SCALES = {
    "small": Scale(
        "small",
        eval_records=2_000,
        eval_rounds=3,
        e2e_records=5_000,
        rss_small=1_000,
        docs=100,
        cold_runs=3,
        text_records=2_000,
        mem_base=1_000,
        mem_large=10_000,
        peer_docs=100,
        peer_rounds=3,
    ),
    "full": Scale(
        "full",
        eval_records=20_000,
        eval_rounds=7,
        e2e_records=100_000,
        rss_small=10_000,
        docs=2_000,
        cold_runs=7,
        text_records=20_000,
        mem_base=100_000,
        mem_large=1_000_000,
        peer_docs=500,
        peer_rounds=3,
    ),
}

# Targets from the issues; never lower them here.
TARGETS = {
    "durable_python_ratio": (">=", 0.25, "durable evaluation ≥ 0.25 × Python evaluator (realistic mix)"),
    "e2e_vs_durable": (">=", 0.40, "end to end (CSV, 1 process) ≥ 0.40 × durable-only evaluation rate"),
    "e2e_jsonl_vs_durable": (">=", 0.40, "end to end (JSONL, 1 process) ≥ 0.40 × durable-only evaluation rate"),
    "jobs2_speedup": (">=", 1.6, "--jobs 2 ≥ 1.6 × single process (CSV)"),
    "lint_docs_s": (">=", 100.0, "lint ≥ 100 documents/s per process (~20 KB documents)"),
    "startup_json_ratio": (
        "<=",
        1.2,
        "`checker lint` of a small notice, --format json ≤ 1.2 × `import pydantic, rich`",
    ),
    "startup_pipe_ratio": ("<=", 1.5, "the same, text report to a pipe ≤ 1.5 × `import pydantic, rich`"),
    "startup_tty_ratio": ("<=", 1.8, "the same, text report to a terminal ≤ 1.8 × `import pydantic, rich`"),
    "rss_ratio": ("<=", 1.2, "peak RSS of `checker check` at 1,000,000 rows ≤ 1.2 × at 100,000"),
    "subsidy_vs_hand": ("<=", 3.0, "`checker subsidy --format json` ≤ 3 × a hand-written script (100,000 rows)"),
    "subsidy_vs_polars": ("<=", 10.0, "`checker subsidy --format json` ≤ 10 × the same in polars"),
    "lint_vs_autocorrect": (">=", 1.0, "`checker lint` documents/s ≥ 1.0 × autocorrect-py's (500 documents)"),
    "lint_jobs2_speedup": (">=", 1.6, "`checker lint --jobs 2` ≥ 1.6 × `--jobs 1` (500 documents)"),
    "durable_vs_python_e2e": ("<=", 1.25, "`checker check` with durable ≤ 1.25 × `--engine python`, end to end"),
    "lint_adversarial_ratio": (
        "<=",
        3.0,
        "the slowest adversarial 20 KB document (one per finder) lints in ≤ 3 × the time of an ordinary one",
    ),
    "lint_adversarial_max_s": (
        "<=",
        1.0,
        "each full-size hostile document (300 KB to 2 MB, ADVERSARIAL_DOCS) lints in ≤ 1 s, start-up included",
    ),
    "text_vs_json": ("<=", 3.0, "`checker subsidy` text report ≤ 3 × its JSON report (20,000 projects)"),
}


# ----------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def checker_command() -> list[str]:
    """The `checker` console script next to this interpreter (what users run), else `python -m checker`."""
    script = Path(sys.executable).parent / "checker"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "checker"]


@dataclass
class Proc:
    wall_s: float
    returncode: int
    max_rss_mb: float  # peak RSS of the largest single process (the command, or one of its reaped workers)
    cpu_s: float  # user + system CPU of the command and all its reaped child processes
    stderr: str
    output_bytes: int = 0  # what it wrote to a pipe or terminal (0 for /dev/null)
    output_tail: str = ""  # the last 2,000 bytes of that


# A child's ru_maxrss also counts the memory of the process it was forked from (Linux records the old address
# space's high-water mark at exec), so a command spawned straight from this benchmark process -- which holds
# the evaluator records and parsed reports -- would report this process's size.  Commands are therefore
# forked from a small, fresh helper interpreter that reports the grandchild's wall time and rusage.
# Its standard output is /dev/null ("devnull"), a pipe the helper drains ("pipe"), or a pseudo-terminal of
# 120 × 50 the helper reads ("tty": stdin, stdout and stderr, as in a terminal window).
_HELPER = """
import json, os, sys, time
out, mode, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
if mode == "tty":
    import fcntl, pty, struct, termios
def drain(fd):
    total, tail = 0, b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not data:
            break
        total += len(data)
        tail = (tail + data)[-2000:]
    os.close(fd)
    return total, tail
start = time.perf_counter()
total, tail = 0, b""
if mode == "tty":
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    total, tail = drain(fd)
elif mode == "pipe":
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            os.dup2(w, 1)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(w)
    total, tail = drain(r)
else:
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as handle:
    json.dump({"wall": wall, "code": os.waitstatus_to_exitcode(status), "maxrss_kb": ru.ru_maxrss,
               "cpu": ru.ru_utime + ru.ru_stime, "out_bytes": total,
               "out_tail": tail.decode("utf-8", "replace")}, handle)
"""
STDOUT_MODES = ("devnull", "pipe", "tty")


def peer_command(script: str, source: Path, output: Path) -> list[str]:
    """A peer script of bench/ (hand_subsidy.py, polars_subsidy.py, autocorrect_lint.py) run on `source`."""
    return [sys.executable, str(REPO / "bench" / script), str(source), "--output", str(output)]


def run_measured(
    cmd: list[str], ok_codes: tuple[int, ...] = (0, 1), env: dict | None = None, stdout: str = "devnull"
) -> Proc:
    """Run `cmd` in a fresh process; its wall time, peak RSS and CPU (with its reaped children, e.g. workers).

    `stdout`: "devnull", "pipe" (read to its end by the helper, as a consumer would) or "tty" (a pseudo-terminal;
    stderr goes there too, so its text is in `output_tail`)."""
    if stdout not in STDOUT_MODES:
        raise ValueError(f"stdout must be one of {STDOUT_MODES}, not {stdout!r}")
    env = None if env is None else {**os.environ, **env}
    if stdout == "tty":  # as in a terminal window: TERM set, the size the terminal's own (no COLUMNS/LINES)
        env = {k: v for k, v in (env or os.environ).items() if k not in ("COLUMNS", "LINES")}
        if not env.get("TERM"):
            env["TERM"] = "xterm-256color"
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        subprocess.run(
            [sys.executable, "-S", "-E", "-c", _HELPER, result.name, stdout, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=tempfile.gettempdir(),
            env=env,
            check=True,
        )
        data = json.loads(Path(result.name).read_text())
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if data["code"] not in ok_codes:
        raise RuntimeError(f"{' '.join(cmd)} exited with {data['code']}: {(stderr + data['out_tail'])[-2000:]}")
    # ru_maxrss is in KiB on Linux
    return Proc(
        data["wall"], data["code"], data["maxrss_kb"] / 1024, data["cpu"], stderr, data["out_bytes"], data["out_tail"]
    )


def helper_floor_mb() -> float:
    """Peak RSS reported for a trivial command: the helper's own size, the floor of every memory figure."""
    return run_measured(["true"], ok_codes=(0,)).max_rss_mb


def jobs_supported() -> bool:
    out = subprocess.run(checker_command() + ["check", "--help"], capture_output=True, text=True)
    return "--jobs" in out.stdout


def code_fingerprint() -> str:
    """sha256 (12 hex) of the checker package and rule files the benchmark runs; compared at start and end,
    because other people may edit checker/ while a long run is going."""
    import hashlib

    where = subprocess.run(
        [sys.executable, "-c", "import checker; print(checker.__file__)"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    ).stdout.strip()
    if not where:
        return "unknown"
    package = Path(where).parent
    digest = hashlib.sha256()
    for root in (package, package.parent / "rules"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    durable_version = machine_durable_version()
    if os.environ.get("CHECKER_BENCH_SRC"):
        code = f"--checker-src {os.environ['CHECKER_BENCH_SRC']} (the working tree is not what is measured)"
    else:
        code = _git_state()
    where = subprocess.run(
        [sys.executable, "-c", "import checker; print(checker.__file__)"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "code": code,
        "checker": where,
        "fingerprint": code_fingerprint(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "durable_rules": durable_version,
        "peers": peer_versions(),
        "load_average": _load_average(),
    }


PEERS = ("pydantic", "pydantic-core", "rich", "polars", "autocorrect-py", "checker")


def peer_versions() -> dict[str, str]:
    """Installed versions of the packages the figures are measured against (and of checker), or "not installed"."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in PEERS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def peer_installed(module: str) -> bool:
    """Whether `module` imports in the interpreter the commands run with (the optional `bench` extra)."""
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _load_average() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return None


def machine_durable_version() -> str:
    """durable-rules' version when it imports here (installed is not enough: it does not import on 3.13)."""
    try:
        import importlib
        from importlib.metadata import version

        importlib.import_module("durable")
        return version("durable_rules")
    except Exception:
        return "not importable"


def _git_state() -> str:
    """HEAD of the repository, and how many files under checker/ and rules/ differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip()
        dirty = [
            d
            for d in subprocess.run(
                ["git", "status", "--porcelain", "--", "checker", "rules"], capture_output=True, text=True, cwd=REPO
            ).stdout.split("\n")
            if d.strip()
        ]
    except OSError:
        return "unknown"
    return head + (f" + {len(dirty)} uncommitted files in checker/ rules/" if dirty else "")


# ----------------------------------------------------------------- 1. evaluators


def load_records(path: Path, limit: int):
    from checker.domains import install
    from checker.inputs.reader import read_records
    from checker.records.normalize import normalize

    install()

    out = []
    for raw in read_records(path):
        record, issues = normalize(raw)
        if record is None:
            raise RuntimeError(f"generated record failed to normalize: {issues}")
        out.append(record)
        if len(out) >= limit:
            break
    return out


def bench_evaluators(ds: generate.Dataset, scale: Scale):
    """Records/s of DurableEvaluator and PythonEvaluator on the same compiled rules and precomputed facts.

    Two protocols, both timed:
    * per pack: `evaluator.fired(pack, fact, kind)` for each pack in `book.packs_for(kind)` (subsidy included);
    * per record: `evaluator.fired_all(fact, kind)`, one evaluation of every pack's rules, when the evaluators
      have it (it is what the pipeline calls).  The headline figures use it when available, else per pack.

    Returns the figures and a probe: probe(kind) measures durable's rate again (headline protocol, one pass over
    the records of `kind`, or all with None), so that end-to-end runs can be compared with the engine's rate
    measured right before and after them.
    """
    from checker.domains import install
    from checker.engine.durable import DurableEvaluator
    from checker.engine.python import PythonEvaluator
    from checker.rules.loader import load_rulebook, shipped_pack_dirs
    from checker.run.facts import to_fact

    install()
    book = load_rulebook(shipped_pack_dirs())
    records = load_records(ds.mixed_jsonl, scale.eval_records)
    as_of = generate.AS_OF
    work = [(record.kind, to_fact(record, as_of), book.packs_for(record.kind)) for record in records]
    durable, python = DurableEvaluator(book), PythonEvaluator(book)
    has_all = hasattr(durable, "fired_all") and hasattr(python, "fired_all")

    def forget(evaluator) -> None:
        # each round times the engine: verdicts remembered from an earlier round (same facts) would be a cache
        getattr(evaluator, "forget_verdicts", lambda: None)()

    def per_pack(evaluator, items) -> tuple[float, list]:
        results = []
        forget(evaluator)
        start = time.perf_counter()
        for kind, fact, packs in items:
            hits = set()
            for pack in packs:
                hits |= evaluator.fired(pack, fact, kind)
            results.append(hits)
        return time.perf_counter() - start, results

    def per_record(evaluator, items) -> tuple[float, list]:
        results = []
        forget(evaluator)
        start = time.perf_counter()
        for kind, fact, _ in items:
            results.append(evaluator.fired_all(fact, kind))
        return time.perf_counter() - start, results

    protocols = {"per_pack": per_pack}
    if has_all:
        protocols["per_record"] = per_record
    headline = "per_record" if has_all else "per_pack"

    # warm-up and agreement check (not timed): both evaluators, both protocols, same hits
    mismatches = 0
    reference = per_pack(python, work[:1000])[1]
    for evaluator in (durable, python):
        for protocol in protocols.values():
            mismatches += sum(1 for a, b in zip(protocol(evaluator, work[:1000])[1], reference) if a != b)

    n = len(work)
    out: dict = {
        "records": n,
        "protocol": headline,
        "fired_all_available": has_all,
        "packs_per_record": round(sum(len(p) for _, _, p in work) / n, 2),
        "engine_rules_fired_per_record": round(sum(len(h) for h in reference) / len(reference), 3),
    }
    for name, protocol in protocols.items():
        d_times, p_times = [], []
        for _ in range(scale.eval_rounds):  # interleaved so drift hits both alike
            t, d_hits = protocol(durable, work)
            d_times.append(t)
            t, p_hits = protocol(python, work)
            p_times.append(t)
        mismatches += sum(1 for a, b in zip(d_hits, p_hits) if a != b)
        out[f"{name}_durable_rps"] = n / statistics.median(d_times)
        out[f"{name}_python_rps"] = n / statistics.median(p_times)
        # the ratio: median over rounds of (python time / durable time) within the round, so that a
        # disturbance during one round does not pair a slow durable round with a fast Python one
        out[f"{name}_ratio_rounds"] = [tp / td for td, tp in zip(d_times, p_times)]
        out[f"{name}_ratio"] = statistics.median(out[f"{name}_ratio_rounds"])
        for kind in ("project", "approval"):  # per kind: the same interleaved rounds
            subset = [w for w in work if w[0] == kind]
            td, tp = [], []
            for _ in range(scale.eval_rounds):
                td.append(protocol(durable, subset)[0])
                tp.append(protocol(python, subset)[0])
            out[f"{name}_durable_{kind}_rps"] = len(subset) / statistics.median(td)
            out[f"{name}_python_{kind}_rps"] = len(subset) / statistics.median(tp)
            out[f"{kind}_records"] = len(subset)
    out["mismatches"] = mismatches
    for key in (
        "durable_rps",
        "python_rps",
        "durable_project_rps",
        "durable_approval_rps",
        "python_project_rps",
        "python_approval_rps",
    ):
        out[key] = out[f"{headline}_{key}"]
    out["durable_python_ratio"] = out[f"{headline}_ratio"]
    protocol = protocols[headline]
    subsets = {kind: [w for w in work if w[0] == kind] for kind in ("project", "approval")}

    def probe(kind: str | None) -> float:
        items = work if kind is None else subsets[kind]
        return len(items) / protocol(durable, items)[0]

    return out, probe


# ----------------------------------------------------------------- 2 and 5. end to end, memory


def check_cmd(path: Path, out: Path, jobs: int | None = None) -> list[str]:
    cmd = checker_command() + ["check", str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    return cmd


def report_summary(path: Path) -> dict:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        "summary": data["summary"],
        "findings": len(data["findings"]),
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
        "counts": {k: len(v) for k, v in data.items() if isinstance(v, list)},
    }


def report_difference(one: dict, two: dict) -> str:
    """'' when the reports are byte-identical, else what differs (summary keys, list lengths, bytes)."""
    if one["sha256"] == two["sha256"]:
        return ""
    parts = []
    for key in sorted(set(one["summary"]) | set(two["summary"])):
        if one["summary"].get(key) != two["summary"].get(key):
            parts.append(
                f"summary.{key}: {json.dumps(one['summary'].get(key), ensure_ascii=False)[:300]} vs "
                f"{json.dumps(two['summary'].get(key), ensure_ascii=False)[:300]}"
            )
    for key in sorted(set(one["counts"]) | set(two["counts"])):
        if one["counts"].get(key) != two["counts"].get(key):
            parts.append(f"len({key}): {one['counts'].get(key)} vs {two['counts'].get(key)}")
    if not parts:
        parts.append(f"same summary and list lengths, different bytes ({one['bytes']:,} vs {two['bytes']:,})")
    return "; ".join(parts)


def bench_end_to_end(ds: generate.Dataset, scale: Scale, work: Path, with_jobs: bool, probe) -> dict:
    out: dict = {"jobs_available": with_jobs}
    big = ds.projects_csv[scale.e2e_records]
    report = work / "report.json"

    for label, path, kind in (("csv", big, "project"), ("jsonl", ds.mixed_jsonl, None)):
        before = probe(kind)  # the engine's rate on the same kind of records, right before and after the run
        log(f"check {path.name} --jobs 1")
        p = run_measured(check_cmd(path, report))
        after = probe(kind)
        out[f"{label}_durable_rps_before_after"] = [before, after]
        out[f"{label}_durable_rps"] = (before + after) / 2
        out[f"{label}_wall_s"] = p.wall_s
        out[f"{label}_cpu_s"] = p.cpu_s
        out[f"{label}_rps"] = scale.e2e_records / p.wall_s
        out[f"{label}_rss_mb"] = p.max_rss_mb
        single = report_summary(report)
        out[f"{label}_report_mb"] = single["bytes"] / 1e6
        out[f"{label}_findings"] = single["findings"]
        if with_jobs:
            log(f"check {path.name} --jobs 2")
            p2 = run_measured(check_cmd(path, report, jobs=2))
            out[f"{label}_jobs2_wall_s"] = p2.wall_s
            out[f"{label}_jobs2_cpu_s"] = p2.cpu_s  # parent + workers
            out[f"{label}_jobs2_speedup"] = p.wall_s / p2.wall_s
            double = report_summary(report)
            difference = report_difference(single, double)
            out[f"{label}_jobs2_same_report"] = not difference
            out[f"{label}_jobs2_difference"] = difference
            if difference:
                log(f"--jobs 2 report differs from --jobs 1 on {path.name}: {difference}")
    return out


def limits_config(work: Path, rows: int) -> Path:
    """A configuration file whose `[limits]` (README "Limits") let a ledger of `rows` rows be read: the
    default max_file_bytes (50 MiB) holds about 400,000 generated rows; max_records stays at its default."""
    path = work / "limits.toml"
    size = max(50 * 1024 * 1024, rows * 200)  # a generated row is about 120 bytes
    path.write_text(f"[limits]\nmax_file_bytes = {size}\n", encoding="utf-8")
    return path


def bench_memory(ds: generate.Dataset, scale: Scale, work: Path) -> dict:
    """Peak RSS of `checker check LEDGER --format json` at mem_base and at mem_large rows, both with the same
    `--config` (a `[limits]` max_file_bytes override) and the report to /dev/null (a 1,000,000-row report is
    gigabytes; written to a device it is streamed all the same)."""
    config = limits_config(work, scale.mem_large)
    out: dict = {
        "rss_floor_mb": helper_floor_mb(),
        "config": config.read_text(encoding="utf-8"),
        "base_records": scale.mem_base,
        "large_records": scale.mem_large,
    }
    for label, rows in (("base", scale.mem_base), ("large", scale.mem_large)):
        path = ds.projects_csv[rows]
        log(f"check {path.name} (memory; {path.stat().st_size / 1e6:.0f} MB, --config with [limits])")
        cmd = checker_command() + ["check", str(path), "--format", "json", "--output", os.devnull, "--as-of", AS_OF]
        p = run_measured(cmd + ["--config", str(config)])
        out[f"{label}_mb"] = p.max_rss_mb
        out[f"{label}_wall_s"] = p.wall_s
        out[f"{label}_file_mb"] = path.stat().st_size / 1e6
    out["ratio"] = out["large_mb"] / out["base_mb"]
    return out


# ----------------------------------------------------------------- 2b. subsidy against its peers


def bench_subsidy_peers(ds: generate.Dataset, scale: Scale, work: Path) -> dict:
    """`checker subsidy LEDGER --format json` against the hand-written script (bench/hand_subsidy.py) and the
    polars one (bench/polars_subsidy.py, when polars is installed), interleaved rounds, medians of each; then
    every project's status and amount compared (the figure is marked DISAGREES when any differs)."""
    from bench.hand_subsidy import agreement

    ledger = ds.projects_csv[scale.e2e_records]
    report = work / "subsidy-peer.json"
    commands = {
        "checker": checker_command()
        + ["subsidy", str(ledger), "--format", "json", "--output", str(report), "--as-of", AS_OF],
        "hand": peer_command("hand_subsidy.py", ledger, work / "hand.jsonl"),
    }
    out: dict = {"records": scale.e2e_records, "polars_installed": peer_installed("polars")}
    if out["polars_installed"]:
        commands["polars"] = peer_command("polars_subsidy.py", ledger, work / "polars.jsonl")
    else:
        log("polars is not installed (pip install -e .[bench]): subsidy_vs_polars skipped")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(scale.peer_rounds):
        for name, cmd in commands.items():
            log(f"subsidy {ledger.name}: {name}")
            times[name].append(run_measured(cmd, ok_codes=(0, 1) if name == "checker" else (0,)).wall_s)
    out["rounds"] = times
    for name in commands:
        out[f"{name}_s"] = statistics.median(times[name])
    for name in ("hand", "polars"):
        if name not in commands:
            continue
        out[f"vs_{name}"] = out["checker_s"] / out[f"{name}_s"]
        out[f"{name}_agreement"] = agreement(report, work / f"{name}.jsonl")
        if out[f"{name}_agreement"]["disagreements"]:
            log(f"the {name} script DISAGREES with checker subsidy: {out[f'{name}_agreement']}")
    return out


# ----------------------------------------------------------------- 2c. durable against Python, end to end


def bench_engines_e2e(ds: generate.Dataset, scale: Scale, work: Path) -> dict:
    """`checker check LEDGER --format json` with the default (durable) engine over the same with `--engine
    python`, interleaved rounds, medians; the two reports must agree (summary and every list's length)."""
    ledger = ds.projects_csv[scale.text_records]
    out: dict = {"records": scale.text_records}
    if machine_durable_version() == "not importable":
        out["available"] = False
        log("durable-rules does not import here: durable_vs_python_e2e not measured")
        return out
    out["available"] = True
    times: dict[str, list[float]] = {"durable": [], "python": []}
    summaries = {}
    for _ in range(scale.peer_rounds):
        for engine in ("durable", "python"):
            log(f"check {ledger.name} --engine {engine}")
            report = work / f"engine-{engine}.json"
            cmd = checker_command() + ["check", str(ledger), "--format", "json", "--output", str(report)]
            times[engine].append(run_measured(cmd + ["--as-of", AS_OF, "--engine", engine]).wall_s)
            summaries[engine] = report_summary(report)
    out["rounds"] = times
    out["durable_s"] = statistics.median(times["durable"])
    out["python_s"] = statistics.median(times["python"])
    out["ratio"] = out["durable_s"] / out["python_s"]
    a, b = summaries["durable"], summaries["python"]
    out["same_results"] = a["summary"] == b["summary"] and a["counts"] == b["counts"]
    if not out["same_results"]:
        out["difference"] = report_difference(a, b)
        log(f"durable and python reports differ: {out['difference']}")
    return out


# ----------------------------------------------------------------- 3. lint


def bench_lint(ds: generate.Dataset, scale: Scale, work: Path) -> dict:
    report = work / "lint.json"
    total = ds.manifest["files"]["docs"]["bytes"]
    log(f"lint {scale.docs} documents ({total / 1e6:.1f} MB)")
    p = run_measured(
        checker_command() + ["lint", str(ds.docs_dir), "--format", "json", "--output", str(report), "--as-of", AS_OF]
    )
    summary = report_summary(report)
    return {
        "docs": scale.docs,
        "mb": total / 1e6,
        "mean_kb": total / scale.docs / 1000,
        "wall_s": p.wall_s,
        "docs_s": scale.docs / p.wall_s,
        "mb_s": total / 1e6 / p.wall_s,
        "findings": summary["findings"],
        "rss_mb": p.max_rss_mb,
    }


# One hostile 20 KB document per finder: the shape that would make a careless pattern backtrack or a scan go
# quadratic.  Each finder's own tests assert what it finds on these; here they are timed against ordinary text.
ADVERSARIAL_UNITS = {
    "doc-number": "新政办〔2024〔2024〔",  # unclosed and repeated year brackets
    "dates": "2024年2024年1月2024年",  # dates that never finish
    "self-reference": "我市我县我省本市",
    "agency": "市住房和城乡建设局市",
    "typo": "接照接照峻工",
    "count": "共5个，分别是（甲、",  # a list that never closes
    "schedule": "于2024年3月前于",
    "heading": "1、\n（一）\n一.\n",  # a heading on every line
    "punctuation-open": "（“《",  # opening marks never closed
    "punctuation-half": "中,文:中(",  # half-width marks between Chinese characters
    "number-usage": "１～２%二零二五年",
    "repeat-char": "的",  # one character 20,000 times
    "repeat-near": "研究研究一",  # near-periodic text for the repeat scan
    "placeholder": "××XX【待补】＿＿",
}


def write_adversarial(directory: Path, size: int = 20_000) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, unit in ADVERSARIAL_UNITS.items():
        body = (unit * (size // len(unit.encode("utf-8")) + 1)).replace("\\n", "\n")
        path = directory / f"{name}.txt"
        path.write_text("关于某事的通知\n各单位：\n" + body + "\n新野县人民政府\n2024年3月5日\n", encoding="utf-8")
        out.append(path)
    return out


_HEAD = "关于某事的通知\n各单位：\n"
_TAIL = "\n新野县人民政府\n2024年3月5日\n"
MB = 1_000_000


def _notice(body: str) -> str:
    return _HEAD + body + _TAIL


def _filled(unit: str, size: int = MB) -> str:
    """`unit` repeated to `size` bytes of UTF-8."""
    return unit * (size // len(unit.encode("utf-8")) + 1)


# The issue's hostile documents at their full sizes, and one per finder at that scale (300 KB to 2 MB, every line
# under max_line_chars): each is linted alone and must take under a second, start-up included.
ADVERSARIAL_DOCS = {
    # the issue's shapes
    "title-unclosed-300k": lambda: "关于" + "《" * 300_000,
    "header-spaces-1m": lambda: " " * 1_000_000 + "\n" + _notice("正文。"),
    "header-mixed-spaces-1m": lambda: _filled(" \u3000\t", 1_000_000) + "\n" + _notice("正文。"),
    "quoted-dates-1.35mb": lambda: ("“2024年1月2日”" * 80 + "\n") * 800,
    # one per finder
    "quote-unclosed-300k": lambda: _notice("“" * 300_000),
    "paren-unclosed-300k": lambda: _notice("（" * 300_000),
    "hex-unclosed-300k": lambda: _notice("〔" * 300_000),
    "doc-number-unclosed-1mb": lambda: _notice(_filled("新政办〔2024〔2024〔")),
    "doc-numbers-cited-top-1mb": lambda: "关于" + "".join(f"甲新政办〔2024〕{i}号" for i in range(60_000)) + "\n",
    "dates-one-line-1mb": lambda: _notice(_filled("2024年1月2日")),
    "digits-1m": lambda: _notice("1" * 1_000_000),
    "dunhao-100k": lambda: _notice("共5个，分别是" + "甲、" * 100_000 + "乙。"),
    "count-unclosed-1mb": lambda: _notice(_filled("共5个，分别是（甲、")),
    "headings-1mb": lambda: _notice(_filled("1、\n（一）\n一.\n")),
    "title-spaces-1m": lambda: "关于" + " " * 1_000_000 + "的通知\n各单位：\n正文。\n",
    "title-bracket-spaces-1m": lambda: "关于（" + " " * 1_000_000 + "的通知\n各单位：\n正文。\n",
    "half-width-1mb": lambda: _notice(_filled("中,文:中(")),
    "self-reference-1mb": lambda: _notice(_filled("我市我县我省本市")),
    "typo-1mb": lambda: _notice(_filled("接照接照峻工")),
    "number-usage-1mb": lambda: _notice(_filled("１～２%二零二五年")),
    "placeholder-1mb": lambda: _notice(_filled("××XX【待补】＿＿")),
    "blanks-1mb": lambda: _notice(_filled("填写___ ")),
    "repeat-char-300k": lambda: _notice("的" * 300_000),
}
ADVERSARIAL_MAX_S = 60  # a run stopped after this long counts as this long (and is marked timed out)


def write_adversarial_docs(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, build in ADVERSARIAL_DOCS.items():
        path = directory / f"{name}.txt"
        path.write_text(build(), encoding="utf-8")
        out.append(path)
    return out


def bench_lint_adversarial(work: Path, ordinary: Path) -> dict:
    """Each adversarial document linted alone, against one ordinary document of the same size: the slowest
    over the ordinary one (medians of 3 runs).  A finder that backtracks or goes quadratic on its hostile shape
    takes seconds to minutes there; one that stays linear costs little more than start-up and its findings
    (a hostile document has hundreds of them).  Then the full-size hostile documents (`ADVERSARIAL_DOCS`), each
    alone: seconds per document, start-up included (median of 3 runs, 1 when the first takes over 5 s; a run
    is stopped after `ADVERSARIAL_MAX_S`)."""
    paths = write_adversarial(work / "adversarial")
    report = work / "adversarial.json"

    def cmd(path: Path) -> list[str]:
        return checker_command() + ["lint", str(path), "--format", "json", "--output", str(report), "--as-of", AS_OF]

    def wall(path: Path) -> float:
        return statistics.median(run_measured(cmd(path)).wall_s for _ in range(3))

    def full_size(path: Path) -> dict:
        stopped = ["timeout", "-s", "KILL", str(ADVERSARIAL_MAX_S)]
        killed = (0, 1, -9, 137)  # timeout kills its process group, itself included
        runs = [run_measured(stopped + cmd(path), ok_codes=killed)]
        if runs[0].wall_s <= 5:
            runs += [run_measured(stopped + cmd(path), ok_codes=killed) for _ in range(2)]
        timed_out = any(r.returncode not in (0, 1) for r in runs)
        return {
            "bytes": path.stat().st_size,
            "s": ADVERSARIAL_MAX_S if timed_out else statistics.median(r.wall_s for r in runs),
            "cpu_s": statistics.median(r.cpu_s for r in runs),
            "rss_mb": max(r.max_rss_mb for r in runs),
            "timed_out": timed_out,
        }

    log(f"lint {len(paths)} adversarial documents, each alone, and one ordinary document")
    base = wall(ordinary)
    per_doc = {path.stem: wall(path) for path in paths}
    slowest = max(per_doc, key=per_doc.get)
    size = sum(path.stat().st_size for path in paths)
    big = write_adversarial_docs(work / "adversarial-full")
    log(f"lint {len(big)} full-size adversarial documents (300 KB to 2 MB), each alone")
    full: dict[str, dict] = {}
    for path in big:
        full[path.stem] = full_size(path)
        log(f"  {path.stem}: {full[path.stem]['s']:.2f} s" + (" (stopped)" if full[path.stem]["timed_out"] else ""))
    slowest_full = max(full, key=lambda name: full[name]["s"])
    return {
        "docs": len(paths),
        "ordinary_s": base,
        "per_doc_s": per_doc,
        "slowest": slowest,
        "ratio": per_doc[slowest] / base,
        "mb_s": size / 1e6 / sum(per_doc.values()),
        "full_docs": len(full),
        "full": full,
        "slowest_full": slowest_full,
        "max_per_doc_s": full[slowest_full]["s"],
    }


# ----------------------------------------------------------------- 3b. text report


def bench_text_report(ds: generate.Dataset, scale: Scale, work: Path, rounds: int = 3) -> dict:
    """`checker subsidy LEDGER` to a file, text against JSON, interleaved rounds (median of each)."""
    ledger = ds.projects_csv[scale.text_records]
    times: dict[str, list[float]] = {"json": [], "text": []}
    for _ in range(rounds):
        for fmt in ("json", "text"):
            log(f"subsidy {ledger.name} --format {fmt}")
            out = work / f"subsidy.{fmt}"
            cmd = checker_command() + ["subsidy", str(ledger), "--format", fmt, "--output", str(out), "--as-of", AS_OF]
            times[fmt].append(run_measured(cmd).wall_s)
    json_s, text_s = statistics.median(times["json"]), statistics.median(times["text"])
    return {
        "records": scale.text_records,
        "json_s": json_s,
        "text_s": text_s,
        "ratio": text_s / json_s,
        "rounds": times,
    }


# ----------------------------------------------------------------- 3c. lint against autocorrect-py, --jobs 2


def bench_lint_peers(ds: generate.Dataset, scale: Scale, work: Path) -> dict:
    """`checker lint` of the first `peer_docs` documents with --jobs 1 and --jobs 2, and autocorrect-py over the
    same files (bench/autocorrect_lint.py, when installed): interleaved rounds, medians, whole processes."""
    folder = work / f"docs-{scale.peer_docs}"
    folder.mkdir()
    docs = sorted(ds.docs_dir.glob("*.txt"))[: scale.peer_docs]
    for doc in docs:
        shutil.copyfile(doc, folder / doc.name)
    cores = os.cpu_count() or 1
    out: dict = {
        "docs": len(docs),
        "mb": sum(d.stat().st_size for d in docs) / 1e6,
        "autocorrect_installed": peer_installed("autocorrect_py"),
        "cores": cores,
    }
    commands: dict[str, list[str]] = {}
    if out["autocorrect_installed"]:
        commands["autocorrect"] = peer_command("autocorrect_lint.py", folder, work / "autocorrect.jsonl")
    else:
        log("autocorrect-py is not installed (pip install -e .[bench]): lint_vs_autocorrect skipped")
    lint = checker_command() + ["lint", str(folder), "--format", "json", "--as-of", AS_OF, "--output"]
    commands["jobs1"] = lint + [str(work / "lint-jobs1.json"), "--jobs", "1"]
    if cores >= 2:
        commands["jobs2"] = lint + [str(work / "lint-jobs2.json"), "--jobs", "2"]
    else:
        log("one core only: lint_jobs2_speedup not measured")
    times: dict[str, list[float]] = {name: [] for name in commands}
    loads = []
    for _ in range(scale.peer_rounds):
        for name, cmd in commands.items():
            if name == "jobs2":
                loads.append((_load_average() or [0.0])[0])
            log(f"lint {len(docs)} documents: {name}")
            times[name].append(run_measured(cmd, ok_codes=(0, 1) if name.startswith("jobs") else (0,)).wall_s)
    out["rounds"] = times
    for name in commands:
        out[f"{name}_s"] = statistics.median(times[name])
    out["jobs1_docs_s"] = len(docs) / out["jobs1_s"]
    if "autocorrect" in commands:
        out["autocorrect_docs_s"] = len(docs) / out["autocorrect_s"]
        out["vs_autocorrect"] = out["autocorrect_s"] / out["jobs1_s"]
    if "jobs2" in commands:
        out["jobs2_speedup"] = out["jobs1_s"] / out["jobs2_s"]
        # the load just before each --jobs 2 run: the previous command has just ended, so about 0 of it is ours
        out["load_before_jobs2"] = loads
        out["second_core_free"] = statistics.median(loads) < cores - 0.5
        difference = report_difference(
            report_summary(work / "lint-jobs1.json"), report_summary(work / "lint-jobs2.json")
        )
        out["jobs2_same_report"] = not difference
        out["jobs2_difference"] = difference
        if difference:
            log(f"lint --jobs 2 report differs from --jobs 1: {difference}")
    return out


# ----------------------------------------------------------------- 4. start-up


def bench_startup(ds: generate.Dataset, scale: Scale, data: Path) -> dict:
    """`checker lint` of one small notice, three ways -- `--format json` to a pipe, the text report to a pipe, the
    text report to a terminal (a pseudo-terminal of 120 columns) -- each over `python -c "import pydantic, rich"`:
    interleaved rounds (baseline, json, pipe, terminal), medians of each.

    All run with a bytecode cache (PYTHONPYCACHEPREFIX under the data directory, written by one warm-up run
    each), as an installed package has one: the machine may set PYTHONDONTWRITEBYTECODE, and an editable
    checker then recompiles every module on each start while the installed dependencies do not.
    """
    lint = checker_command() + ["lint", str(ds.small_doc), "--as-of", AS_OF]
    runs = {
        "import": ([sys.executable, "-c", "import pydantic, rich"], "devnull"),
        "json": (lint + ["--format", "json"], "pipe"),
        "pipe": (lint, "pipe"),
        "tty": (lint, "tty"),
    }
    pyc = {"PYTHONPYCACHEPREFIX": str(data / "pycache"), "PYTHONDONTWRITEBYTECODE": ""}
    for cmd, mode in runs.values():  # warm-up: page cache, bytecode cache, checker's rule-verification cache
        run_measured(cmd, env=pyc, stdout=mode)
    times: dict[str, list[float]] = {name: [] for name in runs}
    log(f"start-up: {scale.cold_runs} rounds of {', '.join(runs)}")
    output = {}
    for _ in range(scale.cold_runs):  # interleaved so drift hits all alike
        for name, (cmd, mode) in runs.items():
            p = run_measured(cmd, env=pyc, stdout=mode)
            times[name].append(p.wall_s)
            output[name] = p.output_bytes
    out: dict = {f"{name}_s": statistics.median(t) for name, t in times.items()}
    out["rounds"] = times
    out["output_bytes"] = output
    for name in ("json", "pipe", "tty"):
        out[f"{name}_ratio"] = out[f"{name}_s"] / out["import_s"]
    # informational: as this environment runs it (no bytecode written if PYTHONDONTWRITEBYTECODE is set), and
    # the first run after installing or changing rules, when checker re-verifies every rule's examples
    # (CHECKER_NO_CACHE=1 turns that verification cache off); text report to a pipe
    k = max(1, scale.cold_runs // 2)
    out["pipe_env_s"] = statistics.median(run_measured(lint, stdout="pipe").wall_s for _ in range(k))
    out["pipe_no_cache_s"] = statistics.median(
        run_measured(lint, env={**pyc, "CHECKER_NO_CACHE": "1"}, stdout="pipe").wall_s for _ in range(k)
    )
    out["env_ratio"] = out["pipe_env_s"] / out["import_s"]
    out["no_cache_ratio"] = out["pipe_no_cache_s"] / out["import_s"]
    return out


# ----------------------------------------------------------------- report


def verdict(name: str, value: float | None, disagrees=()) -> str:
    """PASS / FAIL against the target; n/a when not measured; DISAGREES when the figure compares checker with a
    peer whose results differ from checker's (the ratio then means nothing)."""
    if name in disagrees:
        return "DISAGREES"
    if value is None:
        return "n/a"
    op, target, _ = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return "PASS" if ok else "FAIL"


def miss_by(name: str, value: float) -> str:
    op, target, _ = TARGETS[name]
    if op == ">=":
        return f"{value / target:.0%} of target" if value < target else ""
    return f"{value / target:.1f}× the limit" if value > target else ""


def render(results: dict) -> str:
    ev, e2e, lint = results["evaluators"], results["end_to_end"], results["lint"]
    sc = results["scale"]
    rows = [
        (
            "evaluators",
            f"durable, {ev['records']:,} mixed records, {ev['protocol'].replace('_', ' ')}",
            f"{ev['durable_rps']:,.0f} rec/s",
            None,
        ),
        ("evaluators", "python, same facts", f"{ev['python_rps']:,.0f} rec/s", None),
        ("evaluators", "durable / python", f"{ev['durable_python_ratio']:.3f}", "durable_python_ratio"),
        (
            "evaluators",
            "durable projects / approvals",
            f"{ev['durable_project_rps']:,.0f} / {ev['durable_approval_rps']:,.0f} rec/s",
            None,
        ),
        (
            "evaluators",
            "python projects / approvals",
            f"{ev['python_project_rps']:,.0f} / {ev['python_approval_rps']:,.0f} rec/s",
            None,
        ),
    ]
    if ev["protocol"] == "per_record":
        rows += [
            (
                "evaluators",
                "per pack (fired per pack): durable / python",
                f"{ev['per_pack_durable_rps']:,.0f} / {ev['per_pack_python_rps']:,.0f} rec/s = {ev['per_pack_ratio']:.3f}",
                None,
            ),
        ]
    rows += [
        ("evaluators", "durable vs python disagreements", f"{ev['mismatches']}", None),
        (
            "end to end",
            f"check CSV {sc['e2e_records']:,} projects, 1 process",
            f"{e2e['csv_rps']:,.0f} rec/s ({e2e['csv_wall_s']:.1f} s)",
            None,
        ),
        (
            "end to end",
            "durable on the projects, right before / after that run",
            " / ".join(f"{v:,.0f}" for v in e2e["csv_durable_rps_before_after"]) + " rec/s",
            None,
        ),
        (
            "end to end",
            "CSV e2e / durable project evaluation (mean of the two)",
            f"{results['figures']['e2e_vs_durable']:.3f}",
            "e2e_vs_durable",
        ),
        (
            "end to end",
            f"check JSONL {sc['e2e_records']:,} mixed, 1 process",
            f"{e2e['jsonl_rps']:,.0f} rec/s ({e2e['jsonl_wall_s']:.1f} s)",
            None,
        ),
        (
            "end to end",
            "durable on the mixed records, right before / after that run",
            " / ".join(f"{v:,.0f}" for v in e2e["jsonl_durable_rps_before_after"]) + " rec/s",
            None,
        ),
        (
            "end to end",
            "JSONL e2e / durable mixed evaluation (mean of the two)",
            f"{results['figures']['e2e_jsonl_vs_durable']:.3f}",
            "e2e_jsonl_vs_durable",
        ),
        (
            "end to end",
            "JSON report size CSV / JSONL",
            f"{e2e['csv_report_mb']:.0f} / {e2e['jsonl_report_mb']:.0f} MB",
            None,
        ),
    ]
    if e2e["jobs_available"]:
        rows += [
            (
                "end to end",
                "CSV --jobs 2 speed-up",
                f"{e2e['csv_jobs2_speedup']:.2f}×"
                + (", report identical" if e2e["csv_jobs2_same_report"] else " (REPORT DIFFERS)"),
                "jobs2_speedup",
            ),
            (
                "end to end",
                "JSONL --jobs 2 speed-up",
                f"{e2e['jsonl_jobs2_speedup']:.2f}×"
                + (", report identical" if e2e["jsonl_jobs2_same_report"] else " (REPORT DIFFERS)"),
                None,
            ),
            (
                "end to end",
                "CPU s, 1 process vs --jobs 2 (all processes): CSV",
                f"{e2e['csv_cpu_s']:.0f} vs {e2e['csv_jobs2_cpu_s']:.0f} (×{e2e['csv_jobs2_cpu_s'] / e2e['csv_cpu_s']:.2f})",
                None,
            ),
            (
                "end to end",
                "CPU s, 1 process vs --jobs 2 (all processes): JSONL",
                f"{e2e['jsonl_cpu_s']:.0f} vs {e2e['jsonl_jobs2_cpu_s']:.0f} "
                f"(×{e2e['jsonl_jobs2_cpu_s'] / e2e['jsonl_cpu_s']:.2f})",
                None,
            ),
        ]
    else:
        rows.append(("end to end", "--jobs 2 speed-up", "not available (checker check has no --jobs)", "jobs2_speedup"))
    rows += [
        (
            "lint",
            f"{lint['docs']:,} documents, {lint['mb']:.1f} MB (mean {lint['mean_kb']:.1f} KB)",
            f"{lint['docs_s']:,.0f} docs/s, {lint['mb_s']:.2f} MB/s ({lint['wall_s']:.1f} s)",
            "lint_docs_s",
        ),
        ("lint", "peak RSS of the lint run", f"{lint['rss_mb']:.0f} MB", None),
        *_startup_rows(results["startup"]),
        *_memory_rows(results["memory"]),
        *_peer_rows(results),
        (
            "text report",
            f"subsidy {results['text_report']['records']:,} projects: JSON / text (medians)",
            f"{results['text_report']['json_s']:.1f} s / {results['text_report']['text_s']:.1f} s",
            None,
        ),
        ("text report", "text / JSON", f"{results['text_report']['ratio']:.2f}", "text_vs_json"),
        (
            "lint",
            f"adversarial: {results['lint_adversarial']['docs']} documents of 20 KB, one per finder",
            f"{results['lint_adversarial']['mb_s']:.2f} MB/s",
            None,
        ),
        (
            "lint",
            "adversarial / ordinary (MB/s)",
            f"{results['lint_adversarial']['ratio']:.2f}",
            "lint_adversarial_ratio",
        ),
        *_full_size_rows(results["lint_adversarial"]),
    ]
    figures = results["figures"]
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        f"checker benchmark — scale {sc['name']}, seed {results['seed']}, as-of {AS_OF}",
        f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"Python {results['machine']['python']}, durable-rules {results['machine']['durable_rules']}, load "
        + " ".join(f"{x:g}" for x in results["machine"]["load_average"] or []),
        "peers: " + ", ".join(f"{k} {v}" for k, v in results["machine"]["peers"].items()),
        f"code: {results['machine']['code']}; checker from {results['machine']['checker']}; "
        f"fingerprint {results['machine']['fingerprint']}"
        + ("" if results["code_unchanged"] else f" -> {results['fingerprint_end']} (CODE CHANGED DURING THE RUN)"),
        "",
    ]
    header = f"{'area':<{width[0]}}  {'measure':<{width[1]}}  {'value':<{width[2]}}  target"
    lines += [header, "-" * len(header)]
    for area, measure, value, target in rows:
        mark = ""
        if target:
            op, limit, _ = TARGETS[target]
            v = figures.get(target)
            shown = verdict(target, v, results.get("disagrees", ()))
            mark = f"{op} {limit:g}  {shown}"
            if v is not None and shown == "FAIL":
                mark += f" ({miss_by(target, v)})"
        lines.append(f"{area:<{width[0]}}  {measure:<{width[1]}}  {value:<{width[2]}}  {mark}")
    lines.append("")
    lines.append(" ".join(f"{k}={_fmt(v)}" for k, v in figures.items()))
    return "\n".join(lines)


def _startup_rows(st: dict) -> list[tuple]:
    ms = "{:.0f} ms".format
    return [
        ("start-up", "python -c 'import pydantic, rich' (median, with .pyc)", ms(st["import_s"] * 1000), None),
        (
            "start-up",
            "checker lint small notice --format json, to a pipe",
            f"{ms(st['json_s'] * 1000)} = {st['json_ratio']:.2f}× import",
            "startup_json_ratio",
        ),
        (
            "start-up",
            "the same, text report to a pipe",
            f"{ms(st['pipe_s'] * 1000)} = {st['pipe_ratio']:.2f}× import",
            "startup_pipe_ratio",
        ),
        (
            "start-up",
            "the same, text report to a terminal (pty, 120 columns)",
            f"{ms(st['tty_s'] * 1000)} = {st['tty_ratio']:.2f}× import",
            "startup_tty_ratio",
        ),
        (
            "start-up",
            "informational: text to a pipe without bytecode cache (environment as is)",
            f"{ms(st['pipe_env_s'] * 1000)} = {st['env_ratio']:.2f}× import",
            None,
        ),
        (
            "start-up",
            "informational: text to a pipe, CHECKER_NO_CACHE=1 (rule examples re-verified)",
            f"{ms(st['pipe_no_cache_s'] * 1000)} = {st['no_cache_ratio']:.2f}× import",
            None,
        ),
    ]


def _memory_rows(mem: dict) -> list[tuple]:
    return [
        (
            "memory",
            f"peak RSS, check {mem['base_records']:,} rows ({mem['base_file_mb']:.1f} MB)",
            f"{mem['base_mb']:.0f} MB ({mem['base_wall_s']:.1f} s)",
            None,
        ),
        (
            "memory",
            f"peak RSS, check {mem['large_records']:,} rows ({mem['large_file_mb']:.1f} MB, [limits] override)",
            f"{mem['large_mb']:.0f} MB ({mem['large_wall_s']:.1f} s)",
            None,
        ),
        ("memory", "ratio", f"{mem['ratio']:.2f}", "rss_ratio"),
        ("memory", "floor: peak RSS reported for `true`", f"{mem['rss_floor_mb']:.0f} MB", None),
    ]


def _agreement_text(agreement: dict) -> str:
    if not agreement["disagreements"]:
        return f", agrees on all {agreement['projects']:,} projects"
    return f", DISAGREES on {agreement['disagreements']:,} of {agreement['projects']:,} projects"


def _peer_rows(results: dict) -> list[tuple]:
    sub, eng, lp = results["subsidy_peers"], results["engines_e2e"], results["lint_peers"]
    rows = [
        (
            "subsidy",
            f"subsidy --format json, {sub['records']:,} rows (median)",
            f"{sub['checker_s']:.2f} s",
            None,
        ),
        (
            "subsidy",
            "hand-written script (bench/hand_subsidy.py)",
            f"{sub['hand_s']:.2f} s = checker / {sub['vs_hand']:.2f}" + _agreement_text(sub["hand_agreement"]),
            "subsidy_vs_hand",
        ),
    ]
    if sub["polars_installed"]:
        rows.append(
            (
                "subsidy",
                "polars (bench/polars_subsidy.py)",
                f"{sub['polars_s']:.2f} s = checker / {sub['vs_polars']:.2f}"
                + _agreement_text(sub["polars_agreement"]),
                "subsidy_vs_polars",
            )
        )
    else:
        rows.append(
            ("subsidy", "polars", "skipped: polars not installed (pip install -e .[bench])", "subsidy_vs_polars")
        )
    if eng["available"]:
        rows.append(
            (
                "engines",
                f"check {eng['records']:,} rows: durable / --engine python (medians)",
                f"{eng['durable_s']:.2f} s / {eng['python_s']:.2f} s = {eng['ratio']:.2f}"
                + ("" if eng["same_results"] else " (RESULTS DIFFER)"),
                "durable_vs_python_e2e",
            )
        )
    else:
        rows.append(("engines", "durable / --engine python", "skipped: durable-rules does not import", None))
    rows.append(
        (
            "lint",
            f"{lp['docs']:,} documents ({lp['mb']:.1f} MB), --jobs 1 (median)",
            f"{lp['jobs1_s']:.2f} s = {lp['jobs1_docs_s']:,.0f} docs/s",
            None,
        )
    )
    if lp["autocorrect_installed"]:
        rows.append(
            (
                "lint",
                "autocorrect-py, same documents (bench/autocorrect_lint.py)",
                f"{lp['autocorrect_s']:.2f} s = {lp['autocorrect_docs_s']:,.0f} docs/s; checker × {lp['vs_autocorrect']:.2f}",
                "lint_vs_autocorrect",
            )
        )
    else:
        rows.append(
            (
                "lint",
                "autocorrect-py",
                "skipped: autocorrect-py not installed (pip install -e .[bench])",
                "lint_vs_autocorrect",
            )
        )
    if "jobs2_speedup" in lp:
        note = ", report identical" if lp["jobs2_same_report"] else " (REPORT DIFFERS)"
        if not lp["second_core_free"]:
            note += f"; second core busy (load {statistics.median(lp['load_before_jobs2']):.1f}): not conclusive"
        rows.append(
            ("lint", "--jobs 2 speed-up, same documents", f"{lp['jobs2_speedup']:.2f}×{note}", "lint_jobs2_speedup")
        )
    else:
        rows.append(("lint", "--jobs 2 speed-up", f"skipped: {lp['cores']} core", "lint_jobs2_speedup"))
    return rows


def _full_size_rows(adversarial: dict) -> list[tuple]:
    """The full-size hostile documents: the slowest against its target, then each one's seconds."""
    full = adversarial.get("full")
    if not full:
        return []
    slowest = adversarial["slowest_full"]
    rows = [
        (
            "lint",
            f"adversarial full size: {len(full)} documents of 0.3-2 MB, each alone; slowest: {slowest}",
            f"{adversarial['max_per_doc_s']:.2f} s",
            "lint_adversarial_max_s",
        )
    ]
    for name, got in full.items():
        shown = f"≥ {got['s']:.0f} s (stopped)" if got["timed_out"] else f"{got['s']:.2f} s"
        rows.append(("lint", f"  {name} ({got['bytes'] / 1e6:.2f} MB)", shown, None))
    return rows


def _fmt(value) -> str:
    if value is None:
        return "na"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="checker benchmark (see bench/README.md)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO / "bench" / ".data",
        help="where generated inputs and results go (default bench/.data, git-ignored)",
    )
    parser.add_argument(
        "--checker-src",
        type=Path,
        metavar="DIR",
        help="measure the checker package in DIR instead of the installed one, e.g. a frozen copy made with "
        "`git archive HEAD checker | tar -x -C DIR` (commits before the rule packs moved into the package: "
        "`checker rules`)",
    )
    parser.add_argument(
        "--only",
        choices=("startup", "cold-start", "subsidy", "adversarial"),
        help="measure only these figures (each against its baseline, in the same run) and print them as JSON; "
        "cold-start is the old name of startup",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after measuring, profile each area (cProfile, tracemalloc, -X importtime) into DATA/profile-SCALE-SEED/",
    )
    args = parser.parse_args(argv)
    args.data = args.data.resolve()
    if args.checker_src:
        src = str(args.checker_src.resolve())
        if not (Path(src) / "checker" / "__init__.py").is_file():
            parser.error(f"--checker-src {src}: no checker/__init__.py there")
        os.environ["PYTHONPATH"] = src + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
        os.environ["CHECKER_BENCH_SRC"] = src
        sys.path.insert(0, src)
    scale = SCALES[args.scale]
    started = time.perf_counter()

    root = args.data / f"{scale.name}-seed{args.seed}"
    log(f"generating inputs into {root}")
    t = time.perf_counter()
    ds = generate.write_dataset(
        root,
        args.seed,
        sorted({scale.rss_small, scale.text_records, scale.e2e_records, scale.mem_base, scale.mem_large}),
        scale.e2e_records,
        0,
        scale.docs,
    )
    log(f"generated in {time.perf_counter() - t:.1f} s")

    if args.only in ("startup", "cold-start"):
        startup = bench_startup(ds, scale, args.data)
        figures = {f"startup_{name}_ratio": startup[f"{name}_ratio"] for name in ("json", "pipe", "tty")}
        print(
            json.dumps(
                {
                    "startup": startup,
                    "figures": figures,
                    "verdicts": {k: verdict(k, v) for k, v in figures.items()},
                    "checker_src": os.environ.get("CHECKER_BENCH_SRC"),
                },
                indent=2,
            )
        )
        return 0
    if args.only == "subsidy":
        work = Path(tempfile.mkdtemp(prefix="checker-bench-"))
        try:
            peers = bench_subsidy_peers(ds, scale, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        figures = {"subsidy_vs_hand": peers["vs_hand"], "subsidy_vs_polars": peers.get("vs_polars")}
        disagrees = _disagreeing(peers)
        print(
            json.dumps(
                {
                    "subsidy_peers": peers,
                    "figures": figures,
                    "verdicts": {k: verdict(k, v, disagrees) for k, v in figures.items()},
                    "checker_src": os.environ.get("CHECKER_BENCH_SRC"),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 1 if disagrees else 0
    if args.only == "adversarial":
        work = Path(tempfile.mkdtemp(prefix="checker-bench-"))
        try:
            adversarial = bench_lint_adversarial(work, sorted(ds.docs_dir.glob("*.txt"))[0])
        finally:
            shutil.rmtree(work, ignore_errors=True)
        figures = {
            "lint_adversarial_ratio": adversarial["ratio"],
            "lint_adversarial_max_s": adversarial["max_per_doc_s"],
        }
        for _area, measure, value, target in _full_size_rows(adversarial):
            log(f"{measure:<75} {value}" + (f"  {verdict(target, figures[target])}" if target else ""))
        print(
            json.dumps(
                {
                    "lint_adversarial": adversarial,
                    "figures": figures,
                    "verdicts": {k: verdict(k, v) for k, v in figures.items()},
                    "checker_src": os.environ.get("CHECKER_BENCH_SRC"),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    host = machine()
    work = Path(tempfile.mkdtemp(prefix="checker-bench-"))
    try:
        with_jobs = jobs_supported()
        if not with_jobs:
            log("`checker check --help` shows no --jobs: jobs=2 is marked not available")
        log(f"evaluators: {scale.eval_records:,} records × {scale.eval_rounds} rounds each")
        evaluators, probe = bench_evaluators(ds, scale)
        e2e = bench_end_to_end(ds, scale, work, with_jobs, probe)
        lint = bench_lint(ds, scale, work)
        adversarial = bench_lint_adversarial(work, sorted(ds.docs_dir.glob("*.txt"))[0])
        text_report = bench_text_report(ds, scale, work)
        memory = bench_memory(ds, scale, work)
        subsidy_peers = bench_subsidy_peers(ds, scale, work)
        engines = bench_engines_e2e(ds, scale, work)
        lint_peers = bench_lint_peers(ds, scale, work)
        startup = bench_startup(ds, scale, args.data)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    figures = {
        "durable_rps": evaluators["durable_rps"],
        "python_rps": evaluators["python_rps"],
        "durable_python_ratio": evaluators["durable_python_ratio"],
        "durable_project_rps": evaluators["durable_project_rps"],
        "e2e_rps": e2e["csv_rps"],
        "e2e_vs_durable": e2e["csv_rps"] / e2e["csv_durable_rps"],
        "e2e_jsonl_rps": e2e["jsonl_rps"],
        "e2e_jsonl_vs_durable": e2e["jsonl_rps"] / e2e["jsonl_durable_rps"],
        "jobs2_speedup": e2e.get("csv_jobs2_speedup"),
        "lint_docs_s": lint["docs_s"],
        "lint_mb_s": lint["mb_s"],
        "startup_json_ratio": startup["json_ratio"],
        "startup_pipe_ratio": startup["pipe_ratio"],
        "startup_tty_ratio": startup["tty_ratio"],
        "rss_100k_mb" if scale.name == "full" else "rss_base_mb": memory["base_mb"],
        "rss_1m_mb" if scale.name == "full" else "rss_large_mb": memory["large_mb"],
        "rss_ratio": memory["ratio"],
        "subsidy_vs_hand": subsidy_peers["vs_hand"],
        "subsidy_vs_polars": subsidy_peers.get("vs_polars"),
        "lint_vs_autocorrect": lint_peers.get("vs_autocorrect"),
        "lint_jobs2_speedup": lint_peers.get("jobs2_speedup"),
        "durable_vs_python_e2e": engines.get("ratio"),
        "text_vs_json": text_report["ratio"],
        "lint_adversarial_ratio": adversarial["ratio"],
        "lint_adversarial_max_s": adversarial["max_per_doc_s"],
    }
    disagrees = _disagreeing(subsidy_peers)
    fingerprint_end = code_fingerprint()
    if fingerprint_end != host["fingerprint"]:
        log("WARNING: checker/ or rules/ changed during the run; figures mix two versions — run again")
    results = {
        "scale": scale.__dict__,
        "seed": args.seed,
        "as_of": AS_OF,
        "machine": host,
        "fingerprint_end": fingerprint_end,
        "code_unchanged": fingerprint_end == host["fingerprint"],
        "evaluators": evaluators,
        "end_to_end": e2e,
        "lint": lint,
        "text_report": text_report,
        "lint_adversarial": adversarial,
        "startup": startup,
        "memory": memory,
        "subsidy_peers": subsidy_peers,
        "engines_e2e": engines,
        "lint_peers": lint_peers,
        "figures": figures,
        "disagrees": sorted(disagrees),
        "verdicts": {k: verdict(k, figures.get(k), disagrees) for k in TARGETS},
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    out_file = args.data / f"results-{scale.name}-seed{args.seed}.json"
    out_file.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"results in {out_file} (benchmark took {results['bench_seconds']} s)")

    table = render(results)
    if args.profile:
        from bench import profiling

        print(table.rsplit("\n", 1)[0], flush=True)  # the table now; the name=value line stays last
        profiling.run_all(ds, scale, args.data / f"profile-{scale.name}-seed{args.seed}")
        print(table.rsplit("\n", 1)[1])
    else:
        print(table)
    if disagrees:
        log(f"FAILED: {', '.join(sorted(disagrees))}: the peer's results differ from checker's (see the table)")
        return 1
    return 0


def _disagreeing(subsidy_peers: dict) -> set[str]:
    """The subsidy figures whose peer script decides some project otherwise than checker does."""
    return {
        f"subsidy_vs_{name}"
        for name in ("hand", "polars")
        if subsidy_peers.get(f"{name}_agreement", {}).get("disagreements")
    }


if __name__ == "__main__":
    sys.exit(main())
