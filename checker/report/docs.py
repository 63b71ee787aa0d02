"""Rule documentation and explanations: `rules show`, the Markdown catalogue, `explain`.

The catalogue in docs/rules.md is generated from the rule files by
`checker rules --format markdown` (a test keeps it in sync), so the
documentation cannot drift from what runs.
"""

from __future__ import annotations

from typing import Any

from checker.rules.book import Rule, RuleBook
from checker.rules.conditions import Check, Leaf

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _condition_lines(cond, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(cond, Leaf):
        return [f"{pad}- {cond.describe()}"]
    head = {"all": "全部满足", "any": "满足其一"}[cond.mode]
    lines = [f"{pad}- {cond.label + '：' if cond.label else ''}{head}"]
    for item in cond.items:
        lines.extend(_condition_lines(item, depth + 1))
    return lines


def _example_text(example: dict[str, Any]) -> str:
    fields = {k: v for k, v in example.items() if k not in ("as_of", "errors", "output")}
    if set(fields) == {"text"}:
        out = "文本：" + str(fields["text"]).replace("\n", "⏎")
    else:
        out = "，".join(f"{k}: {v}" for k, v in fields.items())
    if "as_of" in example:
        out += f"（基准日 {example['as_of']}）"
    for error in example.get("errors") or []:
        where = "".join(f"{label}{error[key]}" for key, label in (("line", "第"), ("column", "行第")) if key in error)
        where += "列" if "column" in error else ("行" if "line" in error else "")
        message = f"：{error['message']}" if "message" in error else ""
        out += f" ⇒ 发现{where}{message}"
    if "output" in example:
        out += " ⇒ 修正为：" + str(example["output"]).replace("\n", "⏎")
    return out


def rule_markdown(rule: Rule, level: int = 2) -> str:
    """Everything a reviewer needs to know about one rule."""
    spec = rule.spec
    h = "#" * level
    out = [f"{h} {spec.id} — {spec.title}", ""]
    out.append(
        f"- 类别：`{spec.category}` · 级别：{SEVERITY_ZH[spec.severity]}（`{spec.severity}`） · 规则包："
        f"`{rule.pack.id}`@{rule.pack.spec.version} · 适用：`{rule.kind}`"
        + (" · 可自动修正（--fix）" if spec.fixable else "")
    )
    schema = rule.schema
    if schema.producer:
        out.append(f"- 观测来源：`{schema.producer}`（{schema.label}）")
    if schema.limits:
        out.append("- 已知局限：")
        out.extend(f"  - {text}" for text in schema.limits)
    for cite in rule.citations:
        said = "原文" if cite.kind == "quote" else "摘要（非原文）"
        checked = "" if cite.confirmed else "，未核对原文"
        out.append(f"- 依据：{cite.short()}（{said}{checked}）")
        out.append(f"  > {cite.wording}")
        if cite.source:
            out.append(f"  （出处：{cite.source}）")
    notes = list(rule.pack.spec.interpretation) + list(spec.interpretation)
    if notes:
        out.append("- 解释说明：")
        out.extend(f"  - {' '.join(n.split())}" for n in notes)
    if rule.params:
        shown = {k: v for k, v in rule.params.items() if k in spec.params or k in rule.pack.spec.settings}
        if shown:
            out.append("- 参数：" + "；".join(f"`{k}` = {v}" for k, v in shown.items()))
    out.append("- 条件：")
    out.extend("  " + line for line in _condition_lines(rule.condition))
    out.append(f"- 消息：{spec.message}")
    if spec.fix:
        out.append(f"- 处理建议：{spec.fix}")
    out.append("- 示例（应触发）：")
    out.extend(f"  - {_example_text(e)}" for e in spec.examples.fire)
    out.append("- 示例（不应触发）：")
    out.extend(f"  - {_example_text(e)}" for e in spec.examples.pass_)
    out.append(f"- 文件：`{_relative(rule.source)}`")
    return "\n".join(out) + "\n"


def _relative(path: str) -> str:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]  # the folder holding the checker package

    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path


def catalogue_markdown(book: RuleBook) -> str:
    out = [
        "# 规则目录",
        "",
        "本文件由 `checker rules --format markdown > docs/rules.md` 生成，请勿手工编辑（测试会核对二者一致）。",
        "",
        "| 规则 | 类别 | 级别 | 标题 | 依据 |",
        "|---|---|---|---|---|",
    ]
    for rule in book.rules:
        out.append(
            f"| [{rule.id}](#{rule.id.lower()}) | `{rule.category}` | {rule.severity} | {rule.spec.title} | "
            f"{rule.citation_short} |"
        )
    out.append("")
    for pack in book.packs:
        out.append(f"## 规则包 {pack.id} — {pack.spec.title}（{pack.spec.version}）")
        out.append("")
        if pack.spec.description:
            out.append(" ".join(pack.spec.description.split()))
            out.append("")
        for key, setting in pack.spec.settings.items():
            out.append(f"- 设置 `{key}` = {setting.value}：{' '.join(setting.note.split())}")
        if pack.spec.settings:
            out.append("")
        for rule in pack.rules:
            out.append(rule_markdown(rule, level=3))
    return "\n".join(out).rstrip() + "\n"


def explain_lines(check: Check, depth: int = 1) -> list[tuple[int, Check]]:
    out = []
    for child in check.children or (check,):
        out.append((depth, child))
        if child.children:
            out.extend(explain_lines(child, depth + 1))
    return out
