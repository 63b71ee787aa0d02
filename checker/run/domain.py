"""The one small protocol a domain plugs in through, and the list of installed domains.

A domain (subsidy, approvals, documents; see `checker.domains`) is one object of a `Domain` subclass.  At
start-up `install` calls each one's `register()`, which declares its record kinds and what it adds to the rule
language; during a run the machinery calls its hooks, each with a harmless default:

- `derive(record, as_of)`: derived fields of a record of a kind it declares or extends (facts only);
- `subjects(record, as_of, options)`: what a record of a kind it declares is checked as (a document and
  every observation found in it); default: the record itself;
- `evidence(record, as_of)`: a line put before the evidence of each finding on a record;
- `outcome(subject, fact, hits, findings, run)`: per-record outcomes, into the domain's sections;
- `file_token(record)` / `file_summary()`: what a whole file yields (one record per approval item type);
- `start(book, options)`: per-run state (a pack setting read once, the working-day calendar), available to hooks
  as `run.state(name)`; `resume(state)` puts it back in a worker process, `finish(state, result)` adds findings
  about the run as a whole.

`sections` are the domain's outcome lists in a run (with their JSON key, statistics and presentation),
`commands` its check subcommands, `tools` other subcommands of its own, `options` the command-line options (and
configuration keys) it adds to commands.  Nothing below the domains names one; adding a domain is its folder and one line
in `checker.domains.DOMAINS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from checker.core.plain import field, plain


@plain
class Subjects:
    """What one record is checked as: (subject, fact) pairs, and what was found on the way."""

    pairs: list[tuple[Any, dict[str, Any]]]
    record: Any  # the record as checked (a document with its waiver markers blanked)
    findings: list = field(default_factory=list)  # problems found while observing (too many observations)
    waivers: list = field(default_factory=list)  # waivers written inside the record (inline markers)
    summary: Any = None  # what the domain read of the record as a whole, for its outcome hook (run.summary)


@plain(frozen=True)
class SectionSpec:
    """A domain's per-record outcomes in a run: a list with running totals, written and shown by every format.

    `stats()` makes the totals (with `key(outcome)` and `add_key(key)`, see run.outcomes); `to_text(outcome)` is
    one compact JSON text; `present(outcomes, result)` a present.SectionView; `brief(outcomes)` the line of the
    `check` report (None: none); `case_text(outcome)` what JUnit says of an outcome's record, whose pack is
    `pack_of(outcome)`.  The JSON summary carries `stats.to_json()` under `summary_key`, always or only when
    there are outcomes.
    """

    key: str  # "subsidies": the JSON report's array
    summary_key: str
    stats: Callable[[], Any]
    to_text: Callable[[Any], str]
    present: Callable[[Any, Any], Any]
    summary_always: bool = False
    brief: Callable[[Any], str | None] | None = None
    case_text: Callable[[Any], str] | None = None
    pack_of: Callable[[Any], Any] | None = None
    # (source, record_id, text): a line the findings report prints under that record's heading
    headline: Callable[[Any], tuple[str, str, str] | None] | None = None


@plain(frozen=True)
class Option:
    """A command-line option a domain adds to some commands, and its configuration key (paths: relative to the file).

    Its values reach the domain's `start(book, options)` under `dest`, the configuration's first, then the command
    line's (so that, where order matters, the command line's win).
    """

    flag: str  # "--calendar"
    dest: str  # "calendars"
    help: str
    commands: tuple[str, ...]  # the commands that take it ("check", "approvals", "explain")
    metavar: str = "FILE"
    config_key: str | None = None  # a list of paths in the configuration


@plain(frozen=True)
class Tool:
    """A subcommand of a domain's own that is not a check (`checker calendar import|show`).

    `configure(parser)` adds its arguments; `run(args, app)` does it and returns the exit code, with `app` giving
    what the command line offers every command: `app.settings(args)`, `app.console(args)`, `app.emit(args, writer)`
    and `app.start(book, settings)` (the domains started as a check would start them).
    """

    name: str
    help: str
    configure: Callable[[Any], None]
    run: Callable[[Any, Any], int]


@plain(frozen=True)
class Command:
    """A subcommand a domain adds (`checker subsidy`, `approvals`, `lint`).

    `categories`: which finding rules run — "all", "own" (those of the domain's packs) or "none"; `sections`
    the outcome sections built (None: all); `kinds` the record kinds checked (None: all); `input_suffixes`
    the files taken from directories (None: every readable file); `label` names the report (补贴, 公文…).  `fail_on`: whether findings can make the
    exit code 1; `fixes`: offers --fix/--diff.  `report`: "findings" (the findings grouped by file), or the key
    of the section the report is about; `show_findings`, `show_errors` and `show_summary_line` shape that one.
    """

    name: str
    help: str
    title: str = ""
    label: str = ""  # the report's short name: the HTML report is "checker {label}报告"
    categories: str = "all"
    sections: tuple[str, ...] | None = None
    kinds: frozenset[str] | None = None
    input_suffixes: frozenset[str] | None = None
    fail_on: bool = True
    fixes: bool = False
    report: str = "findings"
    show_findings: bool = False
    show_errors: bool = False
    show_summary_line: bool = False


class Domain:
    """Base of the domains: every hook does nothing until a domain overrides it."""

    name: str = ""
    title: str = ""
    kinds: tuple[str, ...] = ()  # the record kinds it declares (their observations included, by parent)
    sections: tuple[SectionSpec, ...] = ()
    commands: tuple[Command, ...] = ()
    # configuration keys kept for older files: key -> (pack id, setting, "replace" | "add")
    config_aliases: ClassVar[dict[str, tuple[str, str, str]]] = {}
    options: tuple[Option, ...] = ()  # command-line options (and configuration keys) it adds
    codes: ClassVar[dict[str, str]] = {}  # codes of findings it makes itself (not rule-file rules): code -> meaning
    tools: tuple[Tool, ...] = ()  # subcommands of its own
    categories: ClassVar[dict[str, str]] = {}  # categories of the findings it makes itself (not from rule packs)

    def register(self) -> None:
        """Declare record kinds and rule-language additions (called once, by checker.domains.install)."""

    def pack_dirs(self) -> list:
        """Directories holding the rule packs the domain ships."""
        return []

    def start(self, book: Any, options: dict[str, Any]) -> Any:
        """Per-run state, read by the hooks through `run.state(self.name)`; `options` holds its Options' values."""
        return None

    def resume(self, state: Any) -> None:
        """In a worker process started without fork: put the run's state back where the hooks find it."""

    def finish(self, state: Any, result: Any) -> list:
        """Findings about the run as a whole, made once at its end (a calendar that ends soon)."""
        return []

    def derive(self, record: Any, as_of: date) -> dict[str, Any] | None:
        return None

    def subjects(self, record: Any, as_of: date, options: dict[str, Any]) -> Subjects | None:
        return None

    def evidence(self, record: Any, as_of: date) -> str | None:
        return None

    def outcome(self, subject: Any, fact: dict[str, Any], hits: set[str], findings: list, run: Any) -> None:
        pass

    def file_token(self, record: Any) -> Any:
        return None

    def file_summary(self) -> Any:
        """An object with add(token) and records(path) -> [records made from the whole file]; None: none."""
        return None


_installed: list[Domain] = []


def install(domains: tuple[Domain, ...] | list[Domain]) -> None:
    """Register each domain once (again in a worker process started without fork)."""
    for domain in domains:
        if any(type(d) is type(domain) for d in _installed):
            continue
        domain.register()
        _installed.append(domain)


def installed() -> list[Domain]:
    return list(_installed)


def domain_named(name: str) -> Domain | None:
    return next((d for d in _installed if d.name == name), None)


def section_specs() -> list[SectionSpec]:
    return [spec for domain in _installed for spec in domain.sections]
