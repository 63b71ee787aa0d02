"""Rule files: their schema (pydantic), loading, and validation at load time.

A rule pack is a directory with `pack.yaml` and one YAML file per rule.  The
loader rejects, naming the file and the rule: unknown keys, unknown fields or
operators, values of the wrong type, duplicate ids, message placeholders that
do not exist, rules that can never fire, and rules whose own examples
disagree with them.  What loads is therefore what runs.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from .categories import CATEGORIES
from .conditions import (
    MAX_FIRINGS_PER_RULE,
    Condition,
    ConditionError,
    Group,
    Leaf,
    max_firings,
    parse_condition,
    satisfiable,
    to_durable,
)
from .errors import CheckerInputError, RuleFileError
from .fields import OBSERVATION_SCHEMAS, RULE_SCHEMAS, RecordSchema

OBSERVATION_KINDS = {schema.kind for schema in OBSERVATION_SCHEMAS}

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
EXAMPLE_AS_OF = date(2025, 1, 1)  # reference date of rule examples unless an example sets `as_of`


class Spec:
    """What a rule file (or one of its parts) says, validated by checker.rulefile, as plain attributes.

    Plain objects rather than the pydantic models so that a cached rule book loads without pydantic.
    """

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # mutable, like the models it stands for


class CitationSpec(Spec):
    def short(self) -> str:
        return f"{self.document} {self.clause}" if self.clause else self.document


def __getattr__(name: str):
    """The rule-file models (RuleSpec, PackSpec, ...) live in checker.rulefile; imported only when asked for."""
    if name in ("Citation", "Examples", "Award", "Window", "RuleSpec", "Setting", "PackSpec", "Scalar", "Value"):
        from . import rulefile

        return getattr(rulefile, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Rule:
    spec: Spec  # a validated rulefile.RuleSpec
    pack: "Pack"
    source: str
    condition: Condition  # the full condition (window range included)
    params: dict[str, Any]  # rule params and pack settings, for messages
    referral: Condition | None = None  # subsidy windows: when to refer upward

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> str:
        return self.spec.severity

    @property
    def category(self) -> str:
        return self.spec.category

    @cached_property
    def citation_short(self) -> str:
        return self.spec.citation.short()

    @cached_property
    def citation_text(self) -> str:
        """The clause's wording on one line; one shared string for all of the rule's findings."""
        return " ".join(self.spec.citation.text.split())

    @cached_property
    def kind(self) -> str:
        """The record kind the rule applies to."""
        return self.spec.applies_to or self.pack.spec.applies_to

    @property
    def schema(self) -> RecordSchema:
        return RULE_SCHEMAS[self.kind]

    def durable_conditions(self) -> dict[str, dict]:
        """Engine rules this rule contributes: itself, and its referral test if any."""
        out = {self.id: to_durable(self.condition)}
        if self.referral is not None:
            out[self.referral_id] = to_durable(self.referral)
        return out

    @property
    def referral_id(self) -> str:
        return f"{self.id}:referral"

    @cached_property
    def message_fields(self) -> tuple[str, ...]:
        """Record fields the message shows (only those are formatted for each finding)."""
        names = {name for _, name, _, _ in string.Formatter().parse(self.spec.message) if name}
        return tuple(sorted(names - set(self.params)))

    @cached_property
    def _shown_params(self) -> dict[str, str]:
        return {k: _show_param(v) for k, v in self.params.items()}

    def render_message(self, values: dict[str, str]) -> str:
        return self.spec.message.format_map({**self._shown_params, **values})


@dataclass
class Pack:
    spec: Spec  # a validated rulefile.PackSpec
    directory: str
    rules: list[Rule] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)  # settings replaced by the configuration
    problems: list[tuple[Rule, str]] = field(default_factory=list)  # example failures (check_examples=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kinds(self) -> set[str]:
        return {rule.kind for rule in self.rules}

    def rules_for(self, kind: str) -> list[Rule]:
        """The pack's rules for one record kind (evaluation loops ask this for every record)."""
        cache = self.__dict__.setdefault("_by_kind", {})
        if kind not in cache:
            cache[kind] = [rule for rule in self.rules if rule.kind == kind]
        return cache[kind]

    def settings(self) -> dict[str, Any]:
        return {**{k: s.value for k, s in self.spec.settings.items()}, **self.overrides}


@dataclass
class RuleBook:
    packs: list[Pack]
    digest: str  # sha256 of every rule file, so a report says which rules produced it

    @property
    def rules(self) -> list[Rule]:
        return [rule for pack in self.packs for rule in pack.rules]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def packs_for(self, kind: str) -> list[Pack]:
        cache = self.__dict__.setdefault("_packs_by_kind", {})
        if kind not in cache:
            cache[kind] = [p for p in self.packs if kind in p.kinds]
        return cache[kind]

    @property
    def version(self) -> str:
        return "+".join(f"{p.id}@{p.spec.version}" for p in self.packs)


def _show_param(value: Any) -> str:
    from .values import format_number

    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None else str(value)


# ------------------------------------------------------------------ loading

class _KeyLines:
    """Lines of a rule file's top-level keys, parsed (slowly, in pure Python) only if an error needs them."""

    def __init__(self, path: Path):
        self._path = path
        self._lines: dict[str, int] | None = None

    def get(self, key: str, default: int | None = None) -> int | None:
        if self._lines is None:
            from .load import _load_yaml

            try:
                doc = _load_yaml(self._path)
                self._lines = doc.lines_of(doc.data)[1] if isinstance(doc.data, dict) else {}
            except CheckerInputError:
                self._lines = {}
        return self._lines.get(key, default)


def _read_yaml(path: Path) -> tuple[Any, _KeyLines]:
    """Safe YAML (libyaml when present: rule loading is on every command's start-up path)."""
    import yaml

    from .safeyaml import YamlAliasError, load

    try:
        return load(path.read_text(encoding="utf-8-sig")), _KeyLines(path)
    except (UnicodeDecodeError, OSError) as exc:
        raise RuleFileError(f"无法读取规则文件：{exc}", str(path)) from None
    except YamlAliasError as exc:
        raise RuleFileError(str(exc), str(path), line=exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleFileError(f"YAML 格式错误：{exc.problem or exc}", str(path),
                            line=mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise RuleFileError(f"YAML 格式错误：{exc}", str(path)) from None


def _validation_message(exc, lines: _KeyLines) -> tuple[str, int | None]:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    line = lines.get(str(err["loc"][0])) if err["loc"] else None
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"未知的键“{loc}”", line
    if kind == "missing":
        return f"缺少必填键“{loc}”", line
    return f"{loc}: {err['msg']}（{kind}）", line


def load_rulebook(dirs: list[Path] | None = None, overrides: dict[str, Any] | None = None,
                  check_examples: bool = True) -> RuleBook:
    """Load every pack under the given directories (default: the shipped rules/).

    `overrides` replaces or extends pack settings (from the configuration) after each rule has been
    validated against its own examples with the shipped settings.  With `check_examples=False`,
    example failures are collected in `pack.problems` instead of raised (for `checker test-rules`).
    """
    dirs = dirs or [DEFAULT_RULES_DIR]
    fingerprint = _fingerprint(dirs) if check_examples else None
    book_key = _book_key(fingerprint, dirs, overrides) if fingerprint is not None else None
    if book_key is not None:
        book = _cached_book(book_key)
        if book is not None:
            return book
    verified = fingerprint is not None and fingerprint in _verified_cache()
    if verified:
        check_examples = None  # these exact rules were verified with this exact checker: skip the examples
    packs: list[Pack] = []
    digest = hashlib.sha256()
    seen_rules: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for base in dirs:
        base = Path(base)
        if not base.is_dir():
            raise RuleFileError("规则目录不存在", str(base))
        pack_files = [base / "pack.yaml"] if (base / "pack.yaml").is_file() else sorted(base.glob("*/pack.yaml"))
        if not pack_files:
            raise RuleFileError("目录中没有规则包（缺少 pack.yaml）", str(base))
        for pack_file in pack_files:
            pack = _load_pack(pack_file, digest, check_examples)
            if overrides:
                _apply_overrides(pack, overrides)
            if pack.id in seen_packs:
                raise RuleFileError(f"规则包 id 重复（另见 {seen_packs[pack.id]}）", str(pack_file))
            seen_packs[pack.id] = str(pack_file)
            for rule in pack.rules:
                if rule.id in seen_rules:
                    raise RuleFileError(f"规则 id 重复（另见 {seen_rules[rule.id]}）", rule.source, rule.id)
                seen_rules[rule.id] = rule.source
            packs.append(pack)
    if fingerprint is not None and not verified:
        _remember_verified(fingerprint)
    book = RuleBook(packs, digest.hexdigest())
    if book_key is not None:
        _store_book(book_key, book)
    return book


# Verifying every rule's examples costs most of the start-up time; a small cache remembers which exact
# combination of checker code, rule files and data files has been verified, so only a change re-verifies.
_CACHE_NAME = "verified-rules.json"


def _cache_file() -> Path | None:
    from .cache import cache_dir

    base = cache_dir()
    return base / _CACHE_NAME if base is not None else None


def _fingerprint(dirs: list[Path]) -> str:
    from .cache import code_hasher

    h = code_hasher()  # checker's version and code
    roots = [Path(d) for d in dirs] + [DEFAULT_RULES_DIR / "lexicon", DEFAULT_RULES_DIR / "places"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                h.update(str(path.resolve()).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def _verified_cache() -> set[str]:
    import json

    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else []
        return set(data) if isinstance(data, list) else set()
    except (OSError, ValueError):
        return set()


def _remember_verified(fingerprint: str) -> None:
    import json
    import os
    import tempfile

    path = _cache_file()
    if path is None:
        return
    try:
        known = [k for k in _verified_cache() if k != fingerprint][-19:] + [fingerprint]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".verified.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


# Reading and validating ~50 YAML files and compiling their conditions is most of what is left of start-up
# once the examples are verified; the loaded rule book is therefore pickled, keyed by everything it is made
# of (the verification fingerprint: checker's code and every rule/data file; the directories as given, since
# rule sources show them; the configuration's overrides).  Only a rule book that loaded without error is
# stored, so rule-file errors are always reported by a fresh load.  The pickle is checker's own output in the
# user's own cache directory, the same trust as the installed code; anything unreadable is ignored.
_BOOKS_DIR = "rulebooks"
_BOOKS_KEPT = 16


def _book_key(fingerprint: str, dirs: list[Path], overrides: dict[str, Any] | None) -> str:
    import json
    import sys

    h = hashlib.sha256(f"{sys.version_info[:2]}\0{fingerprint}\0".encode())
    h.update(json.dumps([str(d) for d in dirs], ensure_ascii=False).encode())
    h.update(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def _shared_objects() -> tuple[dict[int, tuple], Any]:
    """Field and record schemas are pickled by name, so a cached rule book shares checker.fields' objects."""
    from .fields import RULE_SCHEMAS

    ids: dict[int, tuple] = {}
    for kind, schema in RULE_SCHEMAS.items():
        ids[id(schema)] = ("schema", kind)
        for spec in schema.fields:
            ids.setdefault(id(spec), ("field", kind, spec.name))

    def lookup(pid: tuple) -> Any:
        found = RULE_SCHEMAS[pid[1]] if pid[0] == "schema" else RULE_SCHEMAS[pid[1]].get(pid[2])
        if found is None:
            raise KeyError(pid)
        return found

    return ids, lookup


def _cached_book(key: str) -> RuleBook | None:
    """The rule book stored under `key`, or None (no cache, or a file that is missing, stale or corrupt)."""
    from . import cache

    _, lookup = _shared_objects()
    book = cache.load(_BOOKS_DIR, key, lookup)
    return book if isinstance(book, RuleBook) else None


def _store_book(key: str, book: RuleBook) -> None:
    from . import cache

    ids, _ = _shared_objects()
    cache.store(_BOOKS_DIR, key, book, lambda obj: ids.get(id(obj)), kept=_BOOKS_KEPT)


def _apply_overrides(pack: Pack, overrides: dict[str, Any]) -> None:
    """Configuration replaces or extends a list setting (the one-day scope); rules are recompiled with it."""
    for key, change in overrides.items():
        if key not in pack.spec.settings:
            continue
        current = pack.spec.settings[key].value
        base = change.get("replace") if change.get("replace") is not None else list(current or [])
        pack.overrides[key] = list(dict.fromkeys([*base, *change.get("add", [])]))
    if not pack.overrides:
        return
    for rule in pack.rules:
        def fail(message: str, key: str | None = None, rule=rule) -> RuleFileError:
            return RuleFileError(f"配置覆盖后：{message}", rule.source, rule.id)

        rule.condition, rule.referral, rule.params = _compile(rule.spec, pack, fail)


def _load_pack(pack_file: Path, digest, check_examples: bool | None = True) -> Pack:
    digest.update(pack_file.read_bytes())
    from pydantic import ValidationError

    from .rulefile import PackSpec, to_spec

    data, lines = _read_yaml(pack_file)
    if not isinstance(data, dict):
        raise RuleFileError("pack.yaml 应为映射", str(pack_file))
    try:
        spec = to_spec(PackSpec.model_validate(data))
    except ValidationError as exc:
        message, line = _validation_message(exc, lines)
        raise RuleFileError(message, str(pack_file), line=line) from None
    if spec.applies_to not in RULE_SCHEMAS:
        raise RuleFileError(f"applies_to“{spec.applies_to}”不是已知的记录类型（{', '.join(RULE_SCHEMAS)}）",
                            str(pack_file), line=lines.get("applies_to"))
    pack = Pack(spec, str(pack_file.parent))
    for rule_file in sorted(pack_file.parent.glob("*.y*ml")):
        if rule_file.name == "pack.yaml" or rule_file.suffix not in (".yaml", ".yml"):
            continue
        digest.update(rule_file.read_bytes())
        pack.rules.append(_load_rule(rule_file, pack, check_examples))
    if not pack.rules:
        raise RuleFileError("规则包中没有规则文件", str(pack_file))
    return pack


def _load_rule(path: Path, pack: Pack, check_examples: bool | None = True) -> Rule:
    from pydantic import ValidationError

    from .rulefile import RuleSpec, to_spec

    source = str(path)
    data, lines = _read_yaml(path)
    rule_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(data, dict):
        raise RuleFileError("规则文件应为映射", source)
    try:
        spec = to_spec(RuleSpec.model_validate(data))
    except ValidationError as exc:
        message, line = _validation_message(exc, lines)
        raise RuleFileError(message, source, rule_id, line) from None

    def fail(message: str, key: str | None = None) -> RuleFileError:
        return RuleFileError(message, source, spec.id, lines.get(key) if key else None)

    if spec.category not in CATEGORIES:
        raise fail(f"未知的类别“{spec.category}”（可用：{', '.join(CATEGORIES)}）", "category")
    expected_kinds = {"findings": {"finding"}, "subsidy": {"subsidy-window", "subsidy-referral"}}[pack.spec.kind]
    if spec.kind not in expected_kinds:
        raise fail(f"kind“{spec.kind}”不能用于 {pack.spec.kind} 类规则包", "kind")
    if (spec.kind == "subsidy-window") != (spec.window is not None):
        raise fail("subsidy-window 规则须有 window，其他规则不能有", "window")
    overlap = set(spec.params) & set(pack.settings())
    if overlap:
        raise fail(f"参数与规则包设置重名：{sorted(overlap)}", "params")
    condition, referral, params = _compile(spec, pack, fail)
    rule = Rule(spec, pack, source, condition, params, referral)
    if check_examples is None:
        return rule  # verified before (see _verified_cache)
    try:
        _check_examples(rule, fail)
    except RuleFileError as exc:
        if check_examples:
            raise
        pack.problems.append((rule, exc.message))
    return rule


def _compile(spec: Spec, pack: Pack, fail) -> tuple[Condition, Condition | None, dict[str, Any]]:
    """Parse, type-check and analyse a rule's condition with the pack's current settings."""
    params = {**pack.settings(), **spec.params}
    kind = spec.applies_to or pack.spec.applies_to
    if kind not in RULE_SCHEMAS:
        raise fail(f"applies_to“{kind}”不是已知的记录类型（{', '.join(RULE_SCHEMAS)}）", "applies_to")
    schema = RULE_SCHEMAS[kind]
    try:
        condition = parse_condition(spec.when, schema, params)
        referral = None
        if spec.window is not None:
            condition, referral = _window_condition(spec.window, condition, schema, params)
    except ConditionError as exc:
        raise fail(str(exc), "when") from None
    if not satisfiable(condition):
        raise fail("条件互相矛盾，规则永远不会触发", "when")
    if max_firings(condition) > MAX_FIRINGS_PER_RULE:
        raise fail(f"条件分支过多（最多 {MAX_FIRINGS_PER_RULE} 个），请拆分规则", "when")
    _check_template(spec.message, schema, params, fail)
    return condition, referral, params


def _window_condition(window: Spec, condition: Condition, schema: RecordSchema,
                      params: dict[str, Any]) -> tuple[Condition, Condition | None]:
    """A window's acceptance-date range becomes part of its condition (so the engine decides it)."""
    bounds = []
    for op, raw in (("gte", window.accepted_from), ("lte", window.accepted_to)):
        if raw is None:
            continue
        value = params.get(raw[1:]) if isinstance(raw, str) and raw.startswith("$") else raw
        if isinstance(raw, str) and raw.startswith("$") and raw[1:] not in params:
            raise ConditionError(f"window: 未定义的参数“{raw}”")
        if value is None:
            continue  # an unknown bound (e.g. the policy's start date) is open
        bounds.append({"field": "completion_acceptance_date", op: value})
    for key in ("yuan_per_m2", "cap_yuan"):
        value = getattr(window.award, key)
        if isinstance(value, str):
            if not value.startswith("$") or value[1:] not in params:
                raise ConditionError(f"window.award.{key}: 应为数值或已定义的 $参数")
            value = params[value[1:]]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConditionError(f"window.award.{key}: 应为正数")
    full = condition
    if bounds:
        parsed = [parse_condition(b, schema, params, "window") for b in bounds]
        # splice an unlabelled top-level `all` so explanations stay one level deep
        rest = condition.items if isinstance(condition, Group) and condition.mode == "all" and not condition.label \
            else (condition,)
        full = Group("all", (*parsed, *rest))
    referral = None
    if window.referral == "when":
        if window.referral_when is None:
            raise ConditionError("window: referral 为 when 时须有 referral_when")
        referral = Group("all", (full, parse_condition(window.referral_when, schema, params, "window.referral_when")))
    elif window.referral_when is not None:
        raise ConditionError("window: 只有 referral: when 才能写 referral_when")
    return full, referral


def _check_template(template: str, schema: RecordSchema, params: dict[str, Any], fail) -> None:
    """Placeholders may name record fields or parameters, nothing else (no attribute access)."""
    allowed = set(schema.names) | set(params)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise fail(f"message 模板格式错误：{exc}", "message") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise fail(f"message 模板中的占位符“{{{name}}}”不是字段或参数", "message")


def example_facts(rule: Rule, example: dict[str, Any], tag: str) -> list[tuple[Any, dict[str, Any]]]:
    """The (subject, fact) pairs an example yields for the rule's record kind.

    Record examples are mappings of fields, normalized through the same path as
    real records.  Document examples (rules on documents and on what is observed
    in them) are documents: `text:` for a notice as it would be in a .txt file,
    or the fields of a document record; every observation of the rule's kind is
    a candidate, and the example fires when any of them does.
    """
    from .facts import to_fact
    from .fields import resolve_field
    from .load import RawRecord
    from .normalize import Document, normalize
    from .observe import observe

    example = dict(example)
    raw_as_of = example.pop("as_of", EXAMPLE_AS_OF)
    as_of = raw_as_of if isinstance(raw_as_of, date) else date.fromisoformat(str(raw_as_of))
    document_rule = rule.kind == "document" or rule.kind in OBSERVATION_KINDS
    schema = RULE_SCHEMAS["document"] if document_rule else rule.schema
    if document_rule and "text" in example:
        text = example.pop("text")
        if example:
            raise ValueError(f"文本示例只能有 text（和 as_of），多余的键：{sorted(example)}")
        document = Document(id=f"{rule.id}/{tag}", source=rule.source, body=str(text), origin="text", body_line=1)
        records = [document]
    else:
        data: dict[str, Any] = {spec.name: f"{rule.id} 示例 {tag}" for spec in schema.fields
                                if spec.required and spec.kind == "text"}
        data["id"] = f"{rule.id}/{tag}"
        unknown = []
        for key, value in example.items():
            name = resolve_field(schema, str(key))
            if name is None:
                unknown.append(str(key))
            else:
                data[name] = value
        raw = RawRecord(rule.source, schema.kind, 1, None, data, unknown_fields=unknown)
        record, issues = normalize(raw)
        problems = [i.message for i in issues if i.severity == "error" or i.code == "INPUT-UNKNOWN-FIELD"]
        if record is None or problems:
            raise ValueError("；".join(problems))
        records = [record]
    if not document_rule:
        return [(records[0], to_fact(records[0], as_of))]
    document = records[0]
    observed = observe(document, as_of)
    if rule.kind == "document":
        fact = to_fact(document, as_of)
        fact.update(observed.values)
        return [(document, fact)]
    return [(o, o.fact()) for o in observed.observations if o.kind == rule.kind]


def _check_examples(rule: Rule, fail) -> None:
    from .conditions import holds

    for expected, examples in ((True, rule.spec.examples.fire), (False, rule.spec.examples.pass_)):
        group = "fire" if expected else "pass"
        for i, example in enumerate(examples):
            try:
                pairs = example_facts(rule, example, f"{group}[{i}]")
            except (ValueError, TypeError) as exc:
                raise fail(f"examples.{group}[{i}] 不是有效记录：{exc}", "examples") from None
            if any(holds(rule.condition, fact) for _, fact in pairs) != expected:
                verb = "应触发却未触发" if expected else "不应触发却触发了"
                raise fail(f"examples.{group}[{i}] {verb}：规则与自己的示例不一致", "examples")


def leaf_fields(rule: Rule) -> set[str]:
    from .conditions import leaves

    return {leaf.field for leaf in leaves(rule.condition) if isinstance(leaf, Leaf)}
