"""The condition language of rule files, and its two evaluators' shared core.

A condition is written in YAML as a leaf  `{field: prefab_rate_pct, gte: 30}`
or a group `{all: [...]}` / `{any: [...]}`.  This module parses and checks a
condition against the record schema, compiles it to a durable-rules
expression, evaluates it in plain Python, and explains the result condition
by condition.  Both evaluators run from the same parsed tree, so they cannot
drift apart in what a rule *means*.

Missing values are explicit: every comparison (eq, ne, lt, …, in, not_in) is
false when the field is missing; only `missing: true` matches a missing field.
That is also what durable-rules does for every comparison, once facts never
carry None (checker.run.facts drops missing values).
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import date
from functools import cached_property
from typing import Any

from checker.core.memo import by_identity
from checker.core.plain import plain
from checker.core.values import compact_json, date_from_key, date_key, format_number
from checker.records.fields import FieldSpec, RecordSchema

COMPARISONS = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
SET_OPS = {"in": "属于", "not_in": "不属于"}
PRESENCE_OPS = {"present": "已填写", "missing": "缺失"}
OPERATORS = set(COMPARISONS) | set(SET_OPS) | set(PRESENCE_OPS)
LEAF_KEYS = {"field", "label"}
GROUP_KEYS = {"all", "any"}
MAX_FIRINGS_PER_RULE = 60  # durable-rules errors (303) past 64 firings for one fact


class ConditionError(ValueError):
    """A condition that is malformed, names an unknown field/operator, or can never hold."""


@plain(frozen=True)
class Leaf:
    field: str
    op: str
    value: Any  # engine form: dates as YYYYMMDD ints, sets as tuples; None for presence ops
    spec: FieldSpec
    label: str | None = None

    def describe(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The condition in words; computed once (explanations are built for every record)."""
        if self.label:
            return self.label
        if self.op in PRESENCE_OPS:
            return f"{self.spec.label} {PRESENCE_OPS[self.op]}"
        if self.op in SET_OPS:
            values = "、".join(show(self.spec, v) for v in self.value)
            return f"{self.spec.label} {SET_OPS[self.op]} {{{values}}}"
        return f"{self.spec.label} {COMPARISONS[self.op]} {show(self.spec, self.value, unit=True)}"

    @cached_property
    def expected(self) -> str | None:
        if self.op in SET_OPS:
            return "、".join(show(self.spec, v) for v in self.value)
        if self.op in COMPARISONS:
            return f"{COMPARISONS[self.op]} {show(self.spec, self.value, unit=True)}"
        return None


@plain(frozen=True)
class Group:
    mode: str  # "all" | "any"
    items: tuple[Condition, ...]
    label: str | None = None

    def describe(self) -> str:
        if self.label:
            return self.label
        return "全部满足" if self.mode == "all" else "满足其一"


Condition = Leaf | Group


def show(spec: FieldSpec | None, value: Any, unit: bool = False) -> str:
    """An engine value as a reviewer reads it (dates back to ISO, enums to Chinese)."""
    if value is None:
        return "缺失"
    if isinstance(value, date):
        return value.isoformat()
    if spec is not None:
        if spec.kind == "date" and isinstance(value, int):
            return date_from_key(value).isoformat()
        if spec.kind == "enum":
            return spec.choice_label(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        text = format_number(value)
        if unit and spec is not None and spec.unit:
            text += spec.unit if spec.unit == "%" else f" {spec.unit}"
        return text
    return str(value)


# ------------------------------------------------------------------ parsing


def parse_condition(raw: Any, schema: RecordSchema, params: dict[str, Any], where: str = "when") -> Condition:
    """Parse and type-check one condition tree; raise ConditionError naming the path."""
    if not isinstance(raw, dict):
        raise ConditionError(f"{where}: 条件应为映射，实际为 {type(raw).__name__}")
    groups = GROUP_KEYS & raw.keys()
    if groups:
        extra = set(raw) - GROUP_KEYS - {"label"}
        if len(groups) > 1 or extra:
            raise ConditionError(f"{where}: 组合条件只能有一个 all/any（多余的键：{sorted(extra | groups)}）")
        mode = groups.pop()
        items = raw[mode]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}.{mode}: 应为非空列表")
        parsed = tuple(parse_condition(item, schema, params, f"{where}.{mode}[{i}]") for i, item in enumerate(items))
        return Group(mode, parsed, _label(raw, where, params))
    if "field" not in raw:
        raise ConditionError(f"{where}: 缺少 field（或 all/any）")
    unknown = set(raw) - LEAF_KEYS - OPERATORS
    if unknown:
        raise ConditionError(f"{where}: 未知的键或运算符 {sorted(unknown)}（可用：{', '.join(sorted(OPERATORS))}）")
    ops = OPERATORS & raw.keys()
    if len(ops) != 1:
        raise ConditionError(f"{where}: 每个条件须恰有一个运算符，实际为 {sorted(ops) or '无'}")
    op = ops.pop()
    name = raw["field"]
    spec = schema.get(str(name))
    if spec is None or name == "id":
        raise ConditionError(
            f"{where}: 未知字段“{name}”（{schema.kind} 可用：{', '.join(n for n in schema.names if n != 'id')}）"
        )
    value = _resolve(raw[op], params, where)
    if op in PRESENCE_OPS:
        if value is not True:
            raise ConditionError(f"{where}: {op} 的值只能是 true")
        return Leaf(name, op, None, spec, _label(raw, where, params))
    if op in SET_OPS:
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{where}: {op} 的值应为非空列表")
        values = tuple(dict.fromkeys(_typed(spec, _resolve(v, params, where), f"{where}.{op}") for v in value))
        return Leaf(name, op, values, spec, _label(raw, where, params))
    typed = _typed(spec, value, f"{where}.{op}")
    if op not in ("eq", "ne") and spec.kind not in ("number", "date"):
        raise ConditionError(f"{where}: {op} 只能用于数值或日期字段，{name} 是 {spec.kind}")
    return Leaf(name, op, typed, spec, _label(raw, where, params))


def _label(raw: dict, where: str, params: dict[str, Any]) -> str | None:
    """A label may show parameters ("建筑面积 ≥ {public_min_m2} m²"), so numbers are written once."""
    label = raw.get("label")
    if label is None:
        return None
    if not isinstance(label, str):
        raise ConditionError(f"{where}.label: 应为文本")
    try:
        return label.format_map({k: show(None, v) for k, v in params.items()})
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise ConditionError(f"{where}.label: 占位符无效（{exc}）") from None


def _resolve(value: Any, params: dict[str, Any], where: str) -> Any:
    """`$name` refers to a rule parameter or pack setting, so numbers are written once."""
    if isinstance(value, str) and value.startswith("$"):
        key = value[1:]
        if key not in params:
            raise ConditionError(f"{where}: 未定义的参数“{value}”")
        return params[key]
    return value


def _typed(spec: FieldSpec, value: Any, where: str) -> Any:
    """A rule literal converted to the engine form of its field's kind, or an error."""
    kind = spec.kind
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConditionError(f"{where}: {spec.name} 是数值字段，值“{value}”不是有限数值")
        if value != 0 and not 1e-4 <= abs(value) < 1e15:
            # the engine cannot parse such numbers (see facts.engine_number)
            raise ConditionError(f"{where}: 数值“{value}”超出规则引擎可比较的范围（0.0001 至 10^15）")
        return value
    if kind == "date":
        if isinstance(value, date):
            return date_key(value)
        if isinstance(value, str):
            try:
                return date_key(date.fromisoformat(value))
            except ValueError:
                pass
        raise ConditionError(f"{where}: {spec.name} 是日期字段，值“{value}”应写作 YYYY-MM-DD")
    if kind == "enum":
        if value not in spec.choices:
            raise ConditionError(f"{where}: {spec.name} 没有取值“{value}”（可用：{', '.join(spec.choices)}）")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConditionError(f"{where}: {spec.name} 是布尔字段，值应为 true/false")
        return value
    if kind == "list":
        raise ConditionError(f"{where}: 列表字段 {spec.name} 只能用 present/missing 判断（可用其派生的计数字段）")
    if not isinstance(value, str):
        raise ConditionError(f"{where}: {spec.name} 是文本字段，值应为文本")
    return value


# ------------------------------------------------------------------ analysis


def leaves(cond: Condition) -> list[Leaf]:
    if isinstance(cond, Leaf):
        return [cond]
    return [leaf for item in cond.items for leaf in leaves(item)]


def max_firings(cond: Condition) -> int:
    """How many times durable-rules may fire the rule for one fact ($or fires once per true branch)."""
    if isinstance(cond, Leaf):
        return len(cond.value) if cond.op == "in" and len(cond.value) > 1 else 1
    counts = [max_firings(item) for item in cond.items]
    return math.prod(counts) if cond.mode == "all" else sum(counts)


def _conjunctions(cond: Condition, limit: int = 4096) -> list[list[Leaf]]:
    """Disjunctive normal form, as lists of leaves; `in` stays a leaf (a finite set)."""
    if isinstance(cond, Leaf):
        return [[cond]]
    parts = [_conjunctions(item, limit) for item in cond.items]
    if cond.mode == "any":
        out = [conj for part in parts for conj in part]
    else:
        out = [list(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]
    if len(out) > limit:
        raise ConditionError("条件组合过多，无法分析（请拆分规则）")
    return out


def satisfiable(cond: Condition) -> bool:
    """False when no record can ever satisfy the condition (a rule that can never fire)."""
    return any(_conjunction_ok(conj) for conj in _conjunctions(cond))


def _conjunction_ok(conj: list[Leaf]) -> bool:
    by_field: dict[str, list[Leaf]] = {}
    for leaf in conj:
        by_field.setdefault(leaf.field, []).append(leaf)
    return all(_field_ok(items) for items in by_field.values())


def _field_ok(items: list[Leaf]) -> bool:
    ops = {leaf.op for leaf in items}
    if "missing" in ops:
        return ops == {"missing"}
    spec = items[0].spec
    allowed: set | None = set(spec.choices) if spec.kind == "enum" else ({True, False} if spec.kind == "bool" else None)
    excluded: set = set()
    lo, lo_strict, hi, hi_strict = -math.inf, False, math.inf, False
    for leaf in items:
        if leaf.op in ("eq", "in"):
            values = {leaf.value} if leaf.op == "eq" else set(leaf.value)
            allowed = values if allowed is None else allowed & values
        elif leaf.op == "ne":
            excluded.add(leaf.value)
        elif leaf.op == "not_in":
            excluded.update(leaf.value)
        elif leaf.op in ("gt", "gte"):
            if leaf.value > lo or (leaf.value == lo and leaf.op == "gt"):
                lo, lo_strict = leaf.value, leaf.op == "gt"
        elif leaf.op in ("lt", "lte"):
            if leaf.value < hi or (leaf.value == hi and leaf.op == "lt"):
                hi, hi_strict = leaf.value, leaf.op == "lt"
    if lo > hi or (lo == hi and (lo_strict or hi_strict)):
        return False
    if allowed is not None:

        def in_range(v: Any) -> bool:
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                return lo == -math.inf and hi == math.inf
            return (v > lo or (v == lo and not lo_strict)) and (v < hi or (v == hi and not hi_strict))

        return any(v not in excluded and in_range(v) for v in allowed)
    if lo == hi:  # a single point left
        return lo not in excluded
    return True


# ------------------------------------------------------------------ durable-rules


def to_durable(cond: Condition) -> dict:
    """The durable-rules JSON expression for a condition (without the kind guard)."""
    if isinstance(cond, Group):
        parts = [to_durable(item) for item in cond.items]
        return parts[0] if len(parts) == 1 else {"$and" if cond.mode == "all" else "$or": parts}
    name, value = cond.field, cond.value
    # No "$ex" guards: durable's $eq/$neq/$lt/... never match a missing field, which is
    # exactly our semantics, and every extra node counts against durable's expression
    # limit (error 113 on larger rules).  The differential tests pin the agreement.
    if cond.op == "present":
        return {"$ex": {name: 1}}
    if cond.op == "missing":
        return {"$nex": {name: 1}}
    if cond.op == "eq":
        return {name: value}
    if cond.op == "ne":
        return {"$neq": {name: value}}
    if cond.op in ("lt", "lte", "gt", "gte"):
        return {f"${cond.op}": {name: value}}
    if cond.op == "in":
        return {name: value[0]} if len(value) == 1 else {"$or": [{name: v} for v in value]}
    # not_in
    parts = [{"$neq": {name: v}} for v in value]
    return parts[0] if len(parts) == 1 else {"$and": parts}


# ------------------------------------------------------------------ plain Python


def holds(cond: Condition, fact: dict) -> bool:
    """Plain-Python evaluation with exactly the semantics of `to_durable`."""
    if isinstance(cond, Group):
        results = (holds(item, fact) for item in cond.items)
        return all(results) if cond.mode == "all" else any(results)
    present = cond.field in fact and fact[cond.field] is not None
    if cond.op == "present":
        return present
    if cond.op == "missing":
        return not present
    if not present:
        return False
    actual = fact[cond.field]
    op, value = cond.op, cond.value
    if op == "eq":
        return actual == value
    if op == "ne":
        return actual != value
    if op == "lt":
        return actual < value
    if op == "lte":
        return actual <= value
    if op == "gt":
        return actual > value
    if op == "gte":
        return actual >= value
    if op == "in":
        return actual in value
    return actual not in value  # not_in


@plain(frozen=True)
class Check:
    """One condition's outcome on one record: what was required, what was found."""

    text: str  # the condition, in Chinese ("装配率 ≥ 30%")
    passed: bool
    field: str | None = None
    actual: str | None = None  # the value found, as shown to a reviewer
    expected: str | None = None
    children: tuple[Check, ...] = ()
    mode: str | None = None  # "all" / "any" for groups

    def flatten(self, depth: int = 0) -> list[tuple[int, Check]]:
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.flatten(depth + 1))
        return out

    def to_json(self) -> dict:
        data: dict[str, Any] = {"text": self.text, "passed": self.passed}
        if self.field:
            data.update(field=self.field, actual=self.actual, expected=self.expected)
        if self.children:
            data["children"] = [c.to_json() for c in self.children]
        return data


def decisive(cond: Condition, fact: dict) -> tuple[bool, list[tuple[Leaf, bool]]]:
    """Whether `cond` holds on `fact`, and the leaves that decided it (each with its verdict): of a group that
    held, all its conditions (an `any`: its first branch that held); of one that failed, the failed conditions
    (an `any`: those of the branch that came closest, the fewest failures).  No `Check` tree is built: a
    ledger's JSON report says this for every project, so each tree is compiled once (`_compile_decider`)."""
    return by_identity(_deciders, cond, _compile_decider)(fact)


_deciders: dict[int, tuple[Condition, Any]] = {}
_LEAF_OPS = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "in": "in", "not_in": "not in"}


def _compile_decider(cond: Condition):
    """Python source for `decisive` of one tree: every leaf inline with `holds`' semantics (a missing or None
    value fails every comparison; `present`/`missing` test for None), each group's leaves as list operations."""
    lines = ["def decide(fact):", "    get = fact.get"]
    names: dict[str, Any] = {}
    serial = itertools.count()

    def walk(node: Condition) -> tuple[str, str]:  # (passed variable, deciding-leaves variable)
        i = next(serial)
        if isinstance(node, Leaf):
            names[f"V{i}"], names[f"T{i}"], names[f"F{i}"] = node.value, (node, True), (node, False)
            lines.append(f"    v{i} = get({node.field!r})")
            if node.op in PRESENCE_OPS:
                test = f"v{i} is not None" if node.op == "present" else f"v{i} is None"
            else:
                test = f"v{i} is not None and v{i} {_LEAF_OPS[node.op]} V{i}"
            lines.append(f"    p{i} = {test}")
            lines.append(f"    r{i} = [T{i}] if p{i} else [F{i}]")
            return f"p{i}", f"r{i}"
        children = [walk(item) for item in node.items]
        passed = " and " if node.mode == "all" else " or "
        lines.append(f"    p{i} = {passed.join(p for p, _ in children)}")
        pairs = "(" + ", ".join(f"({p}, {r})" for p, r in children) + ",)"
        if node.mode == "all":  # held: every child's leaves; failed: those of the children that failed
            held, failed = f"[x for _, c in {pairs} for x in c]", f"[x for p, c in {pairs} if not p for x in c]"
        else:  # held: the first child that held; failed: the child that came closest
            held, failed = f"next(c for p, c in {pairs} if p)", f"min([c for _, c in {pairs}], key=len)"
        lines.append(f"    r{i} = {held} if p{i} else {failed}")
        return f"p{i}", f"r{i}"

    passed, found = walk(cond)
    lines.append(f"    return bool({passed}), {found}")
    exec(compile("\n".join(lines), f"<decisive {_encode(cond.describe())[:40]}>", "exec"), names)
    return names["decide"]


def explain(cond: Condition, fact: dict) -> Check:
    """Evaluate and keep every condition's actual value: the reviewer's 'why'."""
    if isinstance(cond, Group):
        children = tuple(explain(item, fact) for item in cond.items)
        passed = all(c.passed for c in children) if cond.mode == "all" else any(c.passed for c in children)
        return Check(cond.describe(), passed, children=children, mode=cond.mode)
    actual = fact.get(cond.field)
    return Check(cond.text, holds(cond, fact), cond.field, show(cond.spec, actual, unit=True), cond.expected)


# ------------------------------------------------------------------ explanations as JSON text

_encode = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str
_SHOW_CACHE_SIZE = 512  # per leaf: enums, dates and thresholds repeat across a ledger; areas mostly do not
_json_explainers: dict[int, tuple[Condition, Any]] = {}


def explain_json(cond: Condition, fact: dict) -> tuple[bool, str]:
    """(passed, compact JSON text) equal to `json.dumps(explain(cond, fact).to_json(), ensure_ascii=False,
    separators=(",", ":"))`, without building `Check` objects: a ledger's JSON report explains every project.
    """
    explainer = by_identity(_json_explainers, cond, _compile_explainer)
    try:
        return explainer(fact)
    except TypeError:  # an unhashable value (facts hold scalars; kept correct anyway)
        check = explain(cond, fact)
        return check.passed, compact_json(check.to_json())


def _leaf_writer(cond: Leaf):
    """(value, cache key) -> (passed, JSON text) for one leaf, remembered per value: enums, dates and
    thresholds repeat across a ledger (areas mostly do not, hence the bound)."""
    head = '{"text":' + _encode(cond.text) + ',"passed":'
    middle = ',"field":' + _encode(cond.field) + ',"actual":'
    tail = ',"expected":' + (_encode(cond.expected) if cond.expected is not None else "null") + "}"
    spec = cond.spec
    cache: dict[Any, tuple[bool, str]] = {}

    def write(value: Any, key: Any) -> tuple[bool, str]:  # once per distinct value: `holds` decides, as everywhere
        passed = holds(cond, {cond.field: value} if value is not None else {})
        result = (passed, f"{head}{'true' if passed else 'false'}{middle}{_encode(show(spec, value, unit=True))}{tail}")
        if len(cache) < _SHOW_CACHE_SIZE:
            cache[key] = result
        return result

    return cache, write


def _compile_explainer(cond: Condition):
    """Python source for one condition tree: leaves inline, static JSON text encoded once, here."""
    lines = ["def explain(fact):", "    get = fact.get"]
    names: dict[str, Any] = {}
    serial = itertools.count()

    def walk(node: Condition) -> tuple[str, str]:  # (passed expression, text expression)
        i = next(serial)
        if isinstance(node, Leaf):
            names[f"C{i}"], names[f"W{i}"] = _leaf_writer(node)
            lines.extend(
                [
                    f"    v{i} = get({node.field!r})",
                    f"    k{i} = (v{i}.__class__, v{i})",
                    f"    r{i} = C{i}.get(k{i})",
                    f"    if r{i} is None:",
                    f"        r{i} = W{i}(v{i}, k{i})",
                ]
            )
            return f"r{i}[0]", f"r{i}[1]"
        children = [walk(item) for item in node.items]
        joined = " and " if node.mode == "all" else " or "
        names[f"H{i}"] = '{"text":' + _encode(node.describe()) + ',"passed":'
        lines.append(f"    p{i} = {joined.join(p for p, _ in children)}")
        texts = ", ".join(t for _, t in children)
        lines.append(
            f"    t{i} = ''.join((H{i}, 'true' if p{i} else 'false', ',\"children\":[', ','.join(({texts},)), ']}}'))"
        )
        return f"p{i}", f"t{i}"

    passed, text = walk(cond)
    lines.append(f"    return bool({passed}), {text}")
    exec(compile("\n".join(lines), f"<explain {_encode(cond.describe())[:40]}>", "exec"), names)
    return names["explain"]
