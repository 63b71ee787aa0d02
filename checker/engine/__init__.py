"""Evaluating rules on facts, with durable-rules or plain Python (both give the same results)."""

from __future__ import annotations

import sys

from checker.engine.base import Evaluator
from checker.engine.durable import DurableEvaluator
from checker.engine.python import PythonEvaluator
from checker.rules.book import RuleBook

__all__ = ["DurableEvaluator", "Evaluator", "PythonEvaluator", "make_evaluator"]

_fallback_warned = False


def make_evaluator(book: RuleBook, prefer: str = "durable", kinds: set[str] | None = None) -> Evaluator:
    """durable-rules when it imports; otherwise say so once on stderr and use plain Python.  `kinds`: the
    record kinds the run checks (None: all), whose rules durable compiles now rather than on first use."""
    global _fallback_warned
    if prefer == "python":
        return PythonEvaluator(book)
    try:
        return DurableEvaluator(book, kinds)
    except ImportError as exc:
        if not _fallback_warned:
            print(
                f"checker: 无法导入 durable-rules（{exc}; Python {sys.version_info.major}.{sys.version_info.minor}），"
                "改用内置 Python 求值器，结果相同",
                file=sys.stderr,
            )
            _fallback_warned = True
        return PythonEvaluator(book)
