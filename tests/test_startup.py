"""Start-up: what `checker lint` on one document imports, and the stand-ins that keep it light.

Heavy or optional modules are imported only by the runs that need them; these
tests check the set of loaded modules, never timings.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

from checker.config import Config, DefaultConfig, load_config

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "examples" / "documents" / "clean-county-notice.txt"

LINT_MODULES = textwrap.dedent("""
    import builtins, json, sys
    compiled = []  # sources compiled at run time (module bytecode comes from .pyc files, not from here)
    real_compile = builtins.compile
    def counting_compile(source, filename, *args, **kwargs):
        compiled.append(str(filename))
        return real_compile(source, filename, *args, **kwargs)
    builtins.compile = counting_compile
    from checker.cli import main
    code = main(sys.argv[1:])
    sys.stdout.flush()
    report = {"code": code, "modules": sorted(sys.modules), "compiled": compiled}
    print(json.dumps(report), file=sys.stderr)
""")


def _lint_report(tmp_path: Path, *args: str) -> dict:
    """The helper's report of a lint run with the caches warm: exit code, modules loaded, sources compiled."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # the second run starts with the rule book cached, as every run after the first does
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                LINT_MODULES,
                "lint",
                str(DOCUMENT),
                "--as-of",
                "2025-11-25",
                "--no-color",
                "--no-config",
                *args,
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
        )
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_lint_of_one_document_imports_only_what_it_needs(tmp_path):
    report = _lint_report(tmp_path)
    code, modules = report["code"], set(report["modules"])
    assert code in (0, 1)
    assert "durable_rules_engine" in modules  # the default evaluator is durable-rules: it must really run
    for unused in ("durable", "durable.engine", "logging", "inspect", "traceback"):  # its Python wrapper is not used
        assert unused not in modules, unused
    for heavy in ("openpyxl", "docx", "chinese_calendar", "hypothesis", "charset_normalizer"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in modules), heavy
    for unused in (
        "checker.rules.rulefile",
        "checker.run.fix",
        "checker.domains.approvals.workdays",
        "checker.report.json_report",
        "rich.table",
        "rich.console",  # the text report to a pipe is plain text: no rich console is built
        "rich.text",
        "tomllib",  # no configuration file: no TOML parsed
        "_hashlib",  # cache keys and the notice's digest: CPython's own SHA-256, not OpenSSL's binding
        "shutil",  # argparse measures the terminal only to write help
        "secrets",
        "checker.rules.examples",  # the rule book comes from the cache: its examples were verified before
        "checker.inputs.tables",  # no ledger read
        "checker.report.sarif",
        "checker.report.junit",
        "checker.report.html",
        "checker.report.docs",
        "pickle",  # the caches are read by the C unpickler alone (pickle.py is imported to write one)
    ):
        assert unused not in modules, unused
    assert not [name for name in report["compiled"] if name.startswith("<plain")], report["compiled"]


def test_a_json_lint_with_the_caches_warm_compiles_no_source(tmp_path):
    """The plain classes' __init__ come from the cache, regex programs too, and no class of ours is a
    typing.NamedTuple (whose string annotations compile one by one); the text report's rich compiles its own."""
    report = _lint_report(tmp_path, "--format", "json")
    assert report["code"] in (0, 1) and "checker.report.json_report" in report["modules"]
    assert report["compiled"] == [], report["compiled"]


def test_default_config_has_configs_defaults():
    default, model = DefaultConfig(), Config()
    assert set(vars(default)) == set(Config.model_fields)
    for name in Config.model_fields:
        assert getattr(default, name) == getattr(model, name), name
    assert default.path("rules/x") == model.path("rules/x") == Path("rules/x")
    assert isinstance(load_config(None), DefaultConfig)


def test_config_models_still_validate_and_pickle(tmp_path):
    path = tmp_path / "checker.toml"
    path.write_text('jobs = 2\n[organization]\nname = "新野县住房和城乡建设局"\nlevel = "county"\n', encoding="utf-8")
    config = load_config(path)
    assert isinstance(config, Config)
    assert config.organization.model_dump() == {"name": "新野县住房和城乡建设局", "level": "county"}
    assert pickle.loads(pickle.dumps(config)).jobs == 2


def test_inline_waiver_specs_pickle_across_processes():
    """Workers of --jobs send inline waivers back to the parent by pickling them."""
    from checker.run.waivers import WaiverSpec, inline_waivers

    waivers, problems, _ = inline_waivers(
        "a.txt", ['checker: waive DOC-TYPO reason="引文原样" approver="李娜" expires=2030-01-01', "正文"]
    )
    assert not problems
    copy = pickle.loads(pickle.dumps(waivers))
    assert isinstance(copy[0].spec, WaiverSpec)
    assert copy[0].spec == waivers[0].spec
    assert copy[0].covers_lines == (1, 2)
