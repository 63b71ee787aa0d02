"""Where the time and memory go: the evidence behind each missed target.

Run by ``python bench/run.py --profile`` after the measurements (or on its own:
``python bench/profiling.py [--scale small|full] [--seed N]``, which reuses or
writes the same generated inputs).  Writes one text file per area into the
output directory and prints a short digest:

* evaluators.txt   cProfile of DurableEvaluator.fired on the mixed records
* check.txt        cProfile of `checker check CSV --format json --output …` in process,
                   with the phases (rule book, engine, run, report) picked out
* lint.txt         cProfile of `checker lint DIR --format json --output …` on 200 documents
* cold_start.txt   cProfile of `checker lint` on one small document, and `-X importtime`
* jobs.txt         `checker check --jobs 2` on the large CSV: how it is split, cProfile of the parent
* memory.txt       tracemalloc of `checker check`: what is alive when the run ends, and the peak
* lint_memory.txt  the same for `checker lint` on 200 documents
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # for `bench`; checker itself comes from the environment

from bench import generate

AS_OF = generate.AS_OF.isoformat()

# (label, file suffix, function name) of the phases picked out of the check profile
PHASES = [
    ("load rule book", "cli.py", "_load_book"),
    ("build evaluator", "engine.py", "make_evaluator"),
    ("pipeline.run (load, normalize, evaluate, explain)", "pipeline.py", "run"),
    ("  read_records", "load.py", "read_records"),
    ("  normalize", "normalize.py", "normalize"),
    ("  to_fact", "facts.py", "to_fact"),
    ("  evaluator.fired_all (durable, per record)", "engine.py", "fired_all"),
    ("  evaluator.fired (durable, per pack)", "engine.py", "fired"),
    ("  rule_findings", "pipeline.py", "rule_findings"),
    ("  evaluate_subsidy", "subsidy.py", "evaluate_subsidy"),
    ("  conditions.explain", "conditions.py", "explain"),
    ("  approval_count (working days)", "facts.py", "approval_count"),
    ("report: json_report.write (streamed)", "json_report.py", "write"),
    ("report: json_report.render (whole string)", "json_report.py", "render"),
    ("  json_report.to_document", "json_report.py", "to_document"),
    ("  outcomes spilled to disk", "outcomes.py", "spill"),
    ("  json.dumps (all callers, incl. durable-rules)", "__init__.py", "dumps"),
    ("write: cli._emit", "cli.py", "_emit"),
    ("rules: load_rulebook", "rulebook.py", "load_rulebook"),
    ("observe (documents)", "observe.py", "observe"),
    ("read_document", "documents.py", "read_document"),
]


def _stats_text(profiler: cProfile.Profile, sort: str, limit: int = 30) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats(sort).print_stats(limit)
    return buffer.getvalue()


def _callers(profiler: cProfile.Profile, *patterns: str) -> str:
    """Who calls the hot generic functions (json.dumps, explain ...), with the time spent for each caller."""
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative")
    for pattern in patterns:
        stats.print_callers(pattern)
    return buffer.getvalue()


def _phases(profiler: cProfile.Profile, total: float) -> str:
    stats = pstats.Stats(profiler).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    lines = [f"{'phase':<52} {'cum s':>8} {'share':>7} {'calls':>9}"]
    for label, suffix, func in PHASES:
        best = None
        for (filename, _, name), (_cc, nc, _tt, ct, _) in stats.items():
            if name == func and filename.endswith(suffix) and ("checker" in filename or suffix == "__init__.py"):
                if suffix == "__init__.py" and "json" not in filename:
                    continue
                if best is None or ct > best[1]:
                    best = (nc, ct)
        if best:
            lines.append(f"{label:<52} {best[1]:>8.2f} {best[1] / total:>7.1%} {best[0]:>9,}")
    return "\n".join(lines)


def _profile_call(func, *args):
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        result = func(*args)
    finally:
        profiler.disable()
    return profiler, time.perf_counter() - start, result


def _cli(argv: list[str]) -> int:
    from checker.cli import main

    return main(argv)


def profile_evaluators(ds: generate.Dataset, n: int) -> str:
    from bench.run import load_records
    from checker.domains import install
    from checker.engine.durable import DurableEvaluator
    from checker.rules.loader import load_rulebook, shipped_pack_dirs
    from checker.run.facts import to_fact

    install()
    book = load_rulebook(shipped_pack_dirs())
    records = load_records(ds.mixed_jsonl, n)
    work = [(r.kind, to_fact(r, generate.AS_OF), book.packs_for(r.kind)) for r in records]
    durable = DurableEvaluator(book)

    per_record = hasattr(durable, "fired_all")

    def loop():
        for kind, fact, packs in work:
            if per_record:
                durable.fired_all(fact, kind)
            else:
                for pack in packs:
                    durable.fired(pack, fact, kind)

    profiler, total, _ = _profile_call(loop)
    what = "fired_all, one call per record" if per_record else f"fired, {sum(len(p) for _, _, p in work):,} calls"
    head = f"DurableEvaluator on {len(work):,} mixed records ({what}), {total:.2f} s under cProfile\n\n"
    return head + _stats_text(profiler, "tottime", 25)


def profile_check(path: Path, out_dir: Path) -> str:
    out = out_dir / "check-report.json"
    argv = ["check", str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF]
    profiler, total, code = _profile_call(_cli, argv)
    if code not in (0, 1):
        raise RuntimeError(f"checker {' '.join(argv)} exited with {code}")
    head = (
        f"checker {' '.join(argv)}  (exit {code}), {total:.2f} s under cProfile; "
        f"report {out.stat().st_size / 1e6:.1f} MB\n\n"
    )
    out.unlink(missing_ok=True)
    return (
        head
        + _phases(profiler, total)
        + "\n\n--- by internal time\n"
        + _stats_text(profiler, "tottime", 30)
        + "\n--- by cumulative time\n"
        + _stats_text(profiler, "cumulative", 45)
        + "\n--- callers of the generic hot spots\n"
        + _callers(profiler, r"json/__init__.py.*\(dumps\)", r"conditions.py.*\(explain\)", r"\(normalize\)")
    )


def _doc_subset(ds: generate.Dataset, n: int) -> Path:
    subset = Path(tempfile.mkdtemp(prefix="checker-lint-"))
    for d in sorted(ds.docs_dir.glob("*.txt"))[:n]:
        os.symlink(d, subset / d.name)
    return subset


def _drop(subset: Path) -> None:
    for d in subset.iterdir():
        d.unlink()
    subset.rmdir()


def profile_lint_memory(ds: generate.Dataset, out_dir: Path, n: int) -> str:
    subset = _doc_subset(ds, n)
    try:
        return profile_memory(subset, n, out_dir, command="lint", unit="document")
    finally:
        _drop(subset)


def profile_jobs(path: Path, records: int, out_dir: Path) -> str:
    """`checker check --jobs 2`: how the records are split, and a cProfile of the parent process only."""
    import checker.run.parallel as parallel
    import checker.run.tasks as tasks_module

    lines = []
    if hasattr(tasks_module, "plan_tasks"):
        tasks = tasks_module.plan_tasks([str(path)], 2)
        ranges = [
            (getattr(getattr(t, "start", None), "index", 1), getattr(getattr(t, "stop", None), "index", None))
            for t in tasks
        ]
        lines.append(f"plan_tasks({path.name}, jobs=2): {len(tasks)} tasks, record index ranges {ranges}")
    original_init = getattr(parallel, "_init_worker", None)

    def init_without_profiler(*args):  # workers are forked from a profiled parent: switch their profiler off
        sys.setprofile(None)
        if original_init is not None:
            original_init(*args)

    out = out_dir / "jobs-report.json"
    argv = ["check", str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF, "--jobs", "2"]
    if original_init is not None:
        parallel._init_worker = init_without_profiler
    try:
        profiler, total, code = _profile_call(_cli, argv)
    finally:
        if original_init is not None:
            parallel._init_worker = original_init
        out.unlink(missing_ok=True)
    lines.append(
        f"\nchecker {' '.join(argv)} (exit {code}): {total:.1f} s wall; cProfile of the PARENT process "
        f"(waiting for workers shows as lock acquire / Condition.wait)\n"
    )
    return (
        "\n".join(lines)
        + "\n"
        + _phases(profiler, total)
        + "\n\n--- parent by internal time\n"
        + _stats_text(profiler, "tottime", 25)
        + "\n--- parent by cumulative time\n"
        + _stats_text(profiler, "cumulative", 40)
    )


def profile_lint(ds: generate.Dataset, out_dir: Path, n: int) -> str:
    subset = _doc_subset(ds, n)
    docs = sorted(subset.iterdir())
    out = out_dir / "lint-report.json"
    argv = ["lint", str(subset), "--format", "json", "--output", str(out), "--as-of", AS_OF]
    try:
        profiler, total, _code = _profile_call(_cli, argv)
        size = sum(d.stat().st_size for d in docs)
    finally:
        _drop(subset)
        out.unlink(missing_ok=True)
    head = f"checker lint on {len(docs)} documents ({size / 1e6:.1f} MB), {total:.2f} s under cProfile\n\n"
    return (
        head
        + _phases(profiler, total)
        + "\n\n--- by internal time\n"
        + _stats_text(profiler, "tottime", 35)
        + "\n--- by cumulative time\n"
        + _stats_text(profiler, "cumulative", 40)
    )


def profile_cold_start(ds: generate.Dataset, out_dir: Path) -> str:
    prof_file = out_dir / "cold_start.prof"
    lint = ["lint", str(ds.small_doc), "--as-of", AS_OF, "--no-color"]
    # with a bytecode cache, as bench/run.py measures it (one warm-up run writes it)
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(out_dir.parent / "pycache"), "PYTHONDONTWRITEBYTECODE": ""}
    subprocess.run([sys.executable, "-m", "checker", *lint], capture_output=True, cwd=tempfile.gettempdir(), env=env)
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(prof_file), "-m", "checker", *lint],
        capture_output=True,
        cwd=tempfile.gettempdir(),
        env=env,
    )
    buffer = io.StringIO()
    stats = pstats.Stats(str(prof_file), stream=buffer)
    stats.sort_stats("cumulative").print_stats(45)
    prof_file.unlink(missing_ok=True)
    imp = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "checker", *lint],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env=env,
    )
    rows = []
    for line in imp.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cum_us, name = _parse_importtime(line)
        rows.append((cum_us, self_us, name))
    top_level = sorted((r for r in rows if not r[2].startswith("  ")), reverse=True)[:25]
    total_imports = sum(r[0] for r in rows if not r[2].startswith("  "))
    imports = "\n".join(
        f"{cum / 1000:>8.1f} ms cumulative {self / 1000:>7.1f} ms self  {name.strip()}" for cum, self, name in top_level
    )
    return (
        f"`checker lint` on one small document (with a bytecode cache)\n\n--- top-level imports (-X importtime), "
        f"sum {total_imports / 1000:.0f} ms\n{imports}\n\n--- cProfile by cumulative time\n{buffer.getvalue()}"
    )


def _parse_importtime(line: str) -> tuple[int, int, str]:
    body = line.split(":", 1)[1]
    self_us, cum_us, name = body.split("|", 2)
    return int(self_us), int(cum_us), name.rstrip()


def profile_memory(path: Path, records: int, out_dir: Path, command: str = "check", unit: str = "record") -> str:
    """tracemalloc over the whole `checker check|lint` command, with a snapshot taken when pipeline.run returns."""
    import checker.run.pipeline as pipeline
    import checker.run.process as process

    original = pipeline.run
    original_read = getattr(process, "read_records", None)
    seen: dict = {"peak": 0}

    def read_and_watch(*args, **kwargs):  # a snapshot whenever traced memory reaches a new high, every 1,000 records
        for i, raw in enumerate(original_read(*args, **kwargs)):
            if i % 1000 == 0:
                current, _ = tracemalloc.get_traced_memory()
                if current > seen["peak"]:
                    seen["peak"] = current
                    seen["peak_snapshot"] = tracemalloc.take_snapshot()
                    seen["peak_at"] = i
            yield raw

    def run_and_snapshot(*args, **kwargs):
        seen["before"] = tracemalloc.get_traced_memory()  # (current, peak) after imports and the rule book
        tracemalloc.reset_peak()
        result = original(*args, **kwargs)
        seen["alive"] = tracemalloc.get_traced_memory()
        seen["snapshot"] = tracemalloc.take_snapshot()
        tracemalloc.reset_peak()
        return result

    out = out_dir / "memory-report.json"
    argv = [command, str(path), "--format", "json", "--output", str(out), "--as-of", AS_OF]
    pipeline.run = run_and_snapshot
    if original_read is not None:
        process.read_records = read_and_watch
    tracemalloc.start(6)
    try:
        base, _ = tracemalloc.get_traced_memory()
        _cli(argv)
        _after, peak_report = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        pipeline.run = original
        if original_read is not None:
            process.read_records = original_read
    size = out.stat().st_size
    out.unlink(missing_ok=True)
    mb = 1 / 1e6
    alive, peak_run = seen["alive"]
    before, peak_start = seen["before"]
    lines = [
        f"checker {' '.join(argv)}: traced Python allocations ({records:,} {unit}s)",
        f"  start-up (imports, rule book, engine): peak {(peak_start - base) * mb:,.1f} MB, "
        f"{(before - base) * mb:,.1f} MB alive when pipeline.run starts",
        f"  during pipeline.run: peak {(peak_run - base) * mb:,.1f} MB",
        f"  alive when pipeline.run returns (the RunResult): {(alive - base) * mb:,.1f} MB "
        f"= {(alive - base) / records / 1000:,.2f} KB per {unit}",
        f"  while the report is written: peak {(peak_report - base) * mb:,.1f} MB; report {size * mb:,.1f} MB "
        f"({size / records / 1000:,.2f} KB per {unit})",
        "",
        "--- alive when pipeline.run returns, by allocation site (top 20)",
    ]
    snapshot = seen["snapshot"]
    for stat in snapshot.statistics("lineno")[:20]:
        frame = stat.traceback[0]
        lines.append(f"{stat.size * mb:>8.2f} MB {stat.count:>9,} blocks  {frame.filename}:{frame.lineno}")
    if "peak_snapshot" in seen:
        lines.append(
            f"\n--- alive at the highest sample while reading ({seen['peak'] * mb:,.1f} MB at record "
            f"{seen['peak_at']:,}), by allocation site (top 12)"
        )
        for stat in seen["peak_snapshot"].statistics("lineno")[:12]:
            frame = stat.traceback[0]
            lines.append(f"{stat.size * mb:>8.2f} MB {stat.count:>9,} blocks  {frame.filename}:{frame.lineno}")
    lines.append("\n--- alive when pipeline.run returns, by traceback (top 8, innermost checker frames)")
    for stat in snapshot.statistics("traceback")[:8]:
        frames = [f for f in stat.traceback if "checker" in f.filename][-4:]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
        lines.append(f"{stat.size * mb:>8.2f} MB  {where}")
    return "\n".join(lines)


def _areas(ds: generate.Dataset, scale, out_dir: Path) -> dict:
    n_check = scale.rss_small
    n_docs = min(scale.docs, 200)
    return {
        "evaluators": lambda: profile_evaluators(ds, min(scale.eval_records, 5000)),
        "check": lambda: profile_check(ds.projects_csv[n_check], out_dir),
        "jobs": lambda: profile_jobs(ds.projects_csv[scale.e2e_records], scale.e2e_records, out_dir),
        "lint": lambda: profile_lint(ds, out_dir, n_docs),
        "cold_start": lambda: profile_cold_start(ds, out_dir),
        "memory": lambda: profile_memory(ds.projects_csv[n_check], n_check, out_dir),
        "lint_memory": lambda: profile_lint_memory(ds, out_dir, n_docs),
    }


def run_all(ds: generate.Dataset, scale, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    log = lambda m: print(f"[profile {time.strftime('%H:%M:%S')}] {m}", file=sys.stderr, flush=True)  # noqa: E731
    for name, job in _areas(ds, scale, out_dir).items():
        log(f"profiling {name}")
        try:
            text = job()
        except Exception as exc:
            import traceback

            text = f"profiling {name} failed: {type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
            log(f"profiling {name} failed: {type(exc).__name__}: {exc}")
        (out_dir / f"{name}.txt").write_text(text, encoding="utf-8")
    log(f"profiles in {out_dir}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from bench.run import SCALES

    parser = argparse.ArgumentParser(description="profile checker on the benchmark inputs")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=REPO / "bench" / ".data")
    parser.add_argument(
        "--only", choices=["evaluators", "check", "jobs", "lint", "cold_start", "memory", "lint_memory"]
    )
    parser.add_argument("--checker-src", type=Path, metavar="DIR", help="as for bench/run.py")
    args = parser.parse_args(argv)
    args.data = args.data.resolve()
    if args.checker_src:
        src = str(args.checker_src.resolve())
        os.environ["PYTHONPATH"] = src + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
        sys.path.insert(0, src)
    scale = SCALES[args.scale]
    root = args.data / f"{scale.name}-seed{args.seed}"
    ds = generate.write_dataset(root, args.seed, [scale.rss_small, scale.e2e_records], scale.e2e_records, 0, scale.docs)
    out_dir = args.data / f"profile-{scale.name}-seed{args.seed}"
    if args.only:
        out_dir.mkdir(parents=True, exist_ok=True)
        text = _areas(ds, scale, out_dir)[args.only]()
        (out_dir / f"{args.only}.txt").write_text(text, encoding="utf-8")
        print(text)
    else:
        run_all(ds, scale, out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
