"""Rule files: loading and validation at load time.

A rule pack is a directory with `pack.yaml` and one YAML file per rule.  The loader rejects, naming the file
and the rule: unknown keys, unknown fields or operators, values of the wrong type, duplicate ids, message
placeholders that do not exist, rules that can never fire, and rules whose own examples disagree with them.
What loads is therefore what runs.
"""

from __future__ import annotations

import hashlib
import string
from pathlib import Path
from typing import Any

from checker.categories import CATEGORIES
from checker.core.errors import CheckerInputError, RuleFileError
from checker.records.fields import RULE_SCHEMAS, RecordSchema
from checker.rules.book import Pack, Rule, RuleBook, Spec
from checker.rules.bookcache import (
    book_key,
    cached_book,
    remember_verified,
    rules_fingerprint,
    store_book,
    verified_fingerprints,
)
from checker.rules.conditions import (
    MAX_FIRINGS_PER_RULE,
    Condition,
    ConditionError,
    Group,
    max_firings,
    parse_condition,
    satisfiable,
)
from checker.rules.examples import verify_examples

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
DATA_ROOTS = [DEFAULT_RULES_DIR / "lexicon", DEFAULT_RULES_DIR / "places"]  # data the rules are verified with

class _KeyLines:
    """Lines of a rule file's top-level keys, parsed (slowly, in pure Python) only if an error needs them."""

    def __init__(self, path: Path):
        self._path = path
        self._lines: dict[str, int] | None = None

    def get(self, key: str, default: int | None = None) -> int | None:
        if self._lines is None:
            from checker.inputs.yamlfile import load_yaml

            try:
                doc = load_yaml(self._path)
                self._lines = doc.lines_of(doc.data)[1] if isinstance(doc.data, dict) else {}
            except CheckerInputError:
                self._lines = {}
        return self._lines.get(key, default)

def _read_yaml(path: Path) -> tuple[Any, _KeyLines]:
    """Safe YAML (libyaml when present: rule loading is on every command's start-up path)."""
    import yaml

    from checker.core.safeyaml import YamlAliasError, load

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
    fingerprint = rules_fingerprint(dirs, DATA_ROOTS) if check_examples else None
    key = book_key(fingerprint, dirs, overrides) if fingerprint is not None else None
    if key is not None:
        book = cached_book(key)
        if book is not None:
            return book
    verified = fingerprint is not None and fingerprint in verified_fingerprints()
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
        remember_verified(fingerprint)
    book = RuleBook(packs, digest.hexdigest())
    if key is not None:
        store_book(key, book)
    return book

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

    from checker.rules.rulefile import PackSpec, to_spec

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

    from checker.rules.rulefile import RuleSpec, to_spec

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
        return rule  # verified before (see verified_fingerprints)
    try:
        verify_examples(rule, fail)
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
