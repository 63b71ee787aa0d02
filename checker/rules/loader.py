"""Rule files: loading and validation at load time.

A rule pack is a directory with `pack.yaml` and one YAML file per rule.  The loader rejects, naming the file
and the rule: unknown keys, unknown fields or operators, values of the wrong type, duplicate ids, message
placeholders that do not exist, rules that can never fire, and rules whose own examples disagree with them.
What loads is therefore what runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from checker.core.digest import sha256
from checker.core.errors import CheckerError, CheckerInputError, RuleFileError
from checker.core.lazyre import lazy_compile
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
    max_firings,
    parse_condition,
    satisfiable,
)
from checker.rules.language import LANGUAGE

_CATEGORY_ID = lazy_compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class SettingsOverrideError(CheckerError):
    """A configured pack setting that names no pack or setting, or has the wrong type."""

    def __init__(self, message: str, source: str):
        super().__init__(message)
        self.message = message
        self.source = source

    def one_line(self) -> str:
        return f"{self.source}: {' '.join(self.message.split())} [CONFIG]"


def shipped_pack_dirs() -> list[Path]:
    """The pack directories the installed domains ship (checker.domains.install registers them)."""
    return list(LANGUAGE.pack_dirs)


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


MAX_RULE_FILE_BYTES = 1 << 20  # the largest shipped rule or pack file is under 10 KB


def _rule_bytes(path: Path) -> bytes:
    """A rule or pack file's bytes: only a regular file within MAX_RULE_FILE_BYTES is read.

    Opened without blocking and checked on the open handle, so a FIFO or a device named *.yaml (or a
    symlink swapped in between) can neither hang the run nor make it read without end.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RuleFileError(f"无法读取规则文件：{exc.strerror or exc}", str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RuleFileError("规则文件应为普通文件（不是目录、设备或管道），未读取", str(path))
        data = handle.read(MAX_RULE_FILE_BYTES + 1)
    if len(data) > MAX_RULE_FILE_BYTES:
        raise RuleFileError(f"规则文件过大（超过 {MAX_RULE_FILE_BYTES:,} 字节），未读取", str(path))
    return data


def _read_yaml(path: Path, data: bytes | None = None) -> tuple[Any, _KeyLines]:
    """Safe YAML (libyaml when present: rule loading is on every command's start-up path)."""
    import yaml

    from checker.core.safeyaml import YamlAliasError, load

    try:
        raw = _rule_bytes(path) if data is None else data
        return load(raw.decode("utf-8-sig")), _KeyLines(path)
    except (UnicodeDecodeError, OSError) as exc:
        raise RuleFileError(f"无法读取规则文件：{exc}", str(path)) from None
    except YamlAliasError as exc:
        raise RuleFileError(str(exc), str(path), line=exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleFileError(
            f"YAML 格式错误：{exc.problem or exc}", str(path), line=mark.line + 1 if mark else None
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise RuleFileError(f"YAML 格式错误：{exc}", str(path)) from None


def _validation_message(exc, lines: _KeyLines) -> tuple[str, int | None]:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    line = lines.get(str(err["loc"][0])) if err["loc"] else None
    from checker.core.validation import error_line, error_text

    kind = err["type"]
    if kind == "extra_forbidden":
        return f"未知的键“{loc}”", line
    if kind == "missing":
        return f"缺少必填键“{loc}”", line
    return f"{error_line(err) if loc else error_text(err)}", line


def load_rulebook(
    dirs: list[Path] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    check_examples: bool = True,
    overrides_source: str = "配置",
) -> RuleBook:
    """Load every pack under the given directories (default: the packs the installed domains ship).

    `overrides` ({pack id: {setting: value or {"replace": …, "add": […]}}}, from the configuration) replaces
    or extends pack settings after each rule has been validated against its own examples with the shipped
    settings.  With `check_examples=False`, example failures are collected in `pack.problems` instead of
    raised (for `checker test-rules`).
    """
    dirs = dirs or shipped_pack_dirs()
    if not dirs:
        raise RuleFileError("没有规则包目录（未安装任何领域：请先调用 checker.domains.install()）", "checker")
    fingerprint = rules_fingerprint(dirs, LANGUAGE.data_roots) if check_examples else None
    key = book_key(fingerprint, dirs, overrides) if fingerprint is not None else None
    if key is not None:
        book = cached_book(key)
        if book is not None:
            return book
    verified = fingerprint is not None and fingerprint in verified_fingerprints()
    if verified:
        check_examples = None  # these exact rules were verified with this exact checker: skip the examples
    packs: list[Pack] = []
    digest = sha256()
    seen_rules: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for pack_files in _pack_files(dirs):
        for pack_file in pack_files:
            pack = _load_pack(pack_file, digest, check_examples)
            if pack.id in seen_packs:
                raise RuleFileError(f"规则包 id 重复（另见 {seen_packs[pack.id]}）", str(pack_file))
            seen_packs[pack.id] = str(pack_file)
            for rule in pack.rules:
                if rule.id in seen_rules:
                    raise RuleFileError(f"规则 id 重复（另见 {seen_rules[rule.id]}）", rule.source, rule.id)
                seen_rules[rule.id] = rule.source
            packs.append(pack)
    _check_categories(packs)
    if overrides:
        _apply_overrides(packs, overrides, overrides_source)
    if fingerprint is not None and not verified:
        remember_verified(fingerprint)
    book = RuleBook(packs, digest.hexdigest())
    if key is not None:
        store_book(key, book)
    return book


def _pack_files(dirs: list[Path]) -> list[list[Path]]:
    """The pack.yaml files of each directory, in order; the domains' shipped packs together, by folder name
    (so the rule book's order does not depend on which domain a pack lives in)."""
    groups: list[list[Path]] = []
    shipped = {Path(d).resolve() for d in LANGUAGE.pack_dirs}
    shipped_group: list[Path] | None = None
    for base in dirs:
        base = Path(base)
        if not base.is_dir():
            raise RuleFileError("规则目录不存在", str(base))
        files = [base / "pack.yaml"] if (base / "pack.yaml").is_file() else sorted(base.glob("*/pack.yaml"))
        if not files:
            raise RuleFileError("目录中没有规则包（缺少 pack.yaml）", str(base))
        if base.resolve() in shipped:
            if shipped_group is None:
                shipped_group = []
                groups.append(shipped_group)
            shipped_group.extend(files)
            shipped_group.sort(key=lambda f: f.parent.name)
        else:
            groups.append(files)
    return groups


def _check_categories(packs: list[Pack]) -> None:
    """Each rule's category is declared in its own pack; packs that declare the same category agree on it."""
    declared: dict[str, tuple[str, str]] = {}
    for pack in packs:
        source = str(Path(pack.directory) / "pack.yaml")
        for key, text in pack.spec.categories.items():
            if not _CATEGORY_ID.match(key):
                raise RuleFileError(f"类别“{key}”不是有效的类别名（小写字母、数字和连字符）", source)
            other = declared.get(key)
            if other is not None and " ".join(other[0].split()) != " ".join(text.split()):
                raise RuleFileError(f"类别“{key}”的说明与 {other[1]} 中的不同", source)
            declared.setdefault(key, (text, source))
        for rule in pack.rules:
            if rule.category not in pack.spec.categories:
                known = "、".join(pack.spec.categories) or "无"
                raise RuleFileError(
                    f"类别“{rule.category}”未在本规则包的 pack.yaml categories 中声明（已声明：{known}）",
                    rule.source,
                    rule.id,
                )


def _apply_overrides(packs: list[Pack], overrides: dict[str, dict[str, Any]], source: str) -> None:
    """Configured pack settings replace (or, for lists, extend) the shipped ones; the pack's rules are recompiled."""
    by_id = {pack.id: pack for pack in packs}
    for pack_id, changes in overrides.items():
        pack = by_id.get(pack_id)
        if pack is None:
            raise SettingsOverrideError(f"settings.{pack_id}: 没有这个规则包（已加载：{'、'.join(by_id)}）", source)
        for key, change in changes.items():
            if key not in pack.spec.settings:
                known = "、".join(pack.spec.settings) or "无"
                raise SettingsOverrideError(
                    f"settings.{pack_id}.{key}: 规则包 {pack_id} 没有这项设置（可设：{known}）", source
                )
            pack.overrides[key] = _overridden(
                pack.spec.settings[key].value, change, f"settings.{pack_id}.{key}", source
            )
        for rule in pack.rules:

            def fail(message: str, key: str | None = None, rule=rule) -> RuleFileError:
                return RuleFileError(f"配置覆盖后：{message}", rule.source, rule.id)

            rule.condition, rule.extra, rule.params = _compile(rule.spec, pack, fail)


def _overridden(current: Any, change: Any, where: str, source: str) -> Any:
    """The setting's new value: `change` replaces it, or {"replace": …, "add": […]} for a list setting."""
    if isinstance(change, dict):
        if not isinstance(current, list) or not set(change) <= {"replace", "add"}:
            raise SettingsOverrideError(f"{where}: 只有列表设置可写 {{replace = […], add = […]}}", source)
        base = change.get("replace") if change.get("replace") is not None else list(current)
        added = change.get("add", [])
        if not isinstance(base, list) or not isinstance(added, list):
            raise SettingsOverrideError(f"{where}: replace 与 add 应为列表", source)
        return list(dict.fromkeys([*base, *added]))
    scalar = (str, int, float)
    if isinstance(current, list):
        ok = isinstance(change, list) and all(isinstance(v, scalar) and not isinstance(v, bool) for v in change)
    elif isinstance(current, bool):
        ok = isinstance(change, bool)
    elif isinstance(current, (int, float)):
        ok = isinstance(change, (int, float)) and not isinstance(change, bool)
    elif isinstance(current, str):
        ok = isinstance(change, str)
    else:  # an unset value (null): any scalar
        ok = change is None or isinstance(change, (*scalar, bool))
    if not ok:
        raise SettingsOverrideError(f"{where}: 类型与规则包中的设置不符（现为 {current!r}）", source)
    return change


def _load_pack(pack_file: Path, digest, check_examples: bool | None = True) -> Pack:
    raw = _rule_bytes(pack_file)
    digest.update(raw)
    from pydantic import ValidationError

    from checker.rules.rulefile import models, to_spec

    data, lines = _read_yaml(pack_file, raw)
    if not isinstance(data, dict):
        raise RuleFileError("pack.yaml 应为映射", str(pack_file))
    try:
        spec = to_spec(models()[1].model_validate(data))
    except ValidationError as exc:
        message, line = _validation_message(exc, lines)
        raise RuleFileError(message, str(pack_file), line=line) from None
    if spec.kind not in LANGUAGE.pack_kind_names():
        raise RuleFileError(
            f"kind“{spec.kind}”不是已知的规则包类型（可用：{'、'.join(LANGUAGE.pack_kind_names())}）",
            str(pack_file),
            line=lines.get("kind"),
        )
    _check_extension_keys(
        spec,
        _pack_keys(spec.kind),
        _all_pack_keys(),
        f"{spec.kind} 类规则包",
        lambda message, key: RuleFileError(message, str(pack_file), line=lines.get(key)),
    )
    if spec.applies_to not in RULE_SCHEMAS:
        raise RuleFileError(
            f"applies_to“{spec.applies_to}”不是已知的记录类型（{', '.join(RULE_SCHEMAS)}）",
            str(pack_file),
            line=lines.get("applies_to"),
        )
    pack = Pack(spec, str(pack_file.parent))
    for rule_file in sorted(pack_file.parent.glob("*.y*ml")):
        if rule_file.name == "pack.yaml" or rule_file.suffix not in (".yaml", ".yml"):
            continue
        raw = _rule_bytes(rule_file)
        digest.update(raw)
        pack.rules.append(_load_rule(rule_file, pack, check_examples, raw))
    if not pack.rules:
        raise RuleFileError("规则包中没有规则文件", str(pack_file))
    return pack


def _load_rule(path: Path, pack: Pack, check_examples: bool | None = True, raw: bytes | None = None) -> Rule:
    from pydantic import ValidationError

    from checker.rules.rulefile import models, to_spec

    source = str(path)
    data, lines = _read_yaml(path, raw)
    rule_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(data, dict):
        raise RuleFileError("规则文件应为映射", source)
    try:
        spec = to_spec(models()[0].model_validate(data))
    except ValidationError as exc:
        message, line = _validation_message(exc, lines)
        raise RuleFileError(message, source, rule_id, line) from None

    def fail(message: str, key: str | None = None) -> RuleFileError:
        return RuleFileError(message, source, spec.id, lines.get(key) if key else None)

    rule_kinds = LANGUAGE.rule_kinds(pack.spec.kind)
    if spec.kind not in rule_kinds:
        raise fail(f"kind“{spec.kind}”不能用于 {pack.spec.kind} 类规则包（可用：{'、'.join(rule_kinds)}）", "kind")
    _check_extension_keys(spec, _rule_keys(rule_kinds[spec.kind]), _all_rule_keys(), f"{spec.kind} 规则", fail)
    overlap = set(spec.params) & set(pack.settings())
    if overlap:
        raise fail(f"参数与规则包设置重名：{sorted(overlap)}", "params")
    if spec.outcome is not None:
        kind = spec.applies_to or pack.spec.applies_to
        words = LANGUAGE.outcome_words.get(kind, {})
        if spec.outcome not in words:
            known = "、".join(words) or "无"
            raise fail(f"outcome“{spec.outcome}”不是 {kind} 记录的结论用语（可用：{known}）", "outcome")
    condition, extra, params = _compile(spec, pack, fail)
    rule = Rule(spec, pack, source, condition, params, extra)
    if check_examples is None:
        return rule  # verified before (see verified_fingerprints)
    try:
        from checker.rules.examples import verify_examples  # only for rules not verified before

        verify_examples(rule, fail)
    except RuleFileError as exc:
        if check_examples:
            raise
        pack.problems.append((rule, exc.message))
    return rule


def _compile(spec: Spec, pack: Pack, fail) -> tuple[Condition, dict[str, Condition], dict[str, Any]]:
    """Parse, type-check and analyse a rule's condition with the pack's current settings."""
    params = {**pack.settings(), **spec.params}
    kind = spec.applies_to or pack.spec.applies_to
    if kind not in RULE_SCHEMAS:
        raise fail(f"applies_to“{kind}”不是已知的记录类型（{', '.join(RULE_SCHEMAS)}）", "applies_to")
    schema = RULE_SCHEMAS[kind]
    compile_kind = LANGUAGE.rule_kinds(pack.spec.kind)[spec.kind].compile
    try:
        condition = parse_condition(spec.when, schema, params)
        extra: dict[str, Condition] = {}
        if compile_kind is not None:
            condition, extra = compile_kind(spec, condition, schema, params)
    except ConditionError as exc:
        raise fail(str(exc), "when") from None
    if not satisfiable(condition):
        raise fail("条件互相矛盾，规则永远不会触发", "when")
    for suffix, test in extra.items():
        if not satisfiable(test):
            raise fail(f"{suffix} 的条件与规则条件互相矛盾，永远不会成立", suffix)
    if max_firings(condition) > MAX_FIRINGS_PER_RULE:
        raise fail(f"条件分支过多（最多 {MAX_FIRINGS_PER_RULE} 个），请拆分规则", "when")
    _check_template(spec.message, schema, params, fail)
    fix_with = getattr(spec, "fix_with", None)
    if fix_with is not None:
        target = schema.get(fix_with)
        if target is None or target.kind != "text":
            raise fail(f"fix_with“{fix_with}”不是 {schema.kind} 的文本字段", "fix_with")
    return condition, extra, params


def _rule_keys(rule_kind) -> dict[str, tuple[Any, bool]]:
    return rule_kind.keys() if rule_kind.keys is not None else {}


def _all_rule_keys() -> set[str]:
    return {key for kind in LANGUAGE.all_rule_kinds().values() for key in _rule_keys(kind)}


def _pack_keys(pack_kind: str) -> dict[str, tuple[Any, bool]]:
    kind = LANGUAGE.pack_kinds.get(pack_kind)
    return kind.pack_keys() if kind is not None and kind.pack_keys is not None else {}


def _all_pack_keys() -> set[str]:
    return {key for name in LANGUAGE.pack_kinds for key in _pack_keys(name)}


def _check_extension_keys(spec: Spec, own: dict[str, tuple[Any, bool]], every: set[str], what: str, fail) -> None:
    """Keys a domain added: required ones present, and none that belongs to another kind."""
    for key, (_, required) in own.items():
        if required and getattr(spec, key, None) is None:
            raise fail(f"{what}须有 {key}", key)
    for key in sorted(every - set(own)):
        if getattr(spec, key, None) is not None:
            raise fail(f"{what}不能有 {key}", key)


def _check_template(template: str, schema: RecordSchema, params: dict[str, Any], fail) -> None:
    """Placeholders may name record fields or parameters, nothing else (no attribute access)."""
    allowed = set(schema.names) | set(params)
    try:
        import string  # only when rule files are read, not on a start served by the cache

        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise fail(f"message 模板格式错误：{exc}", "message") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise fail(f"message 模板中的占位符“{{{name}}}”不是字段或参数", "message")
