"""durable-rules, used the safe way measured in ../shared/notes/durable-rules.md.

durable's C core called directly (no Host, so no background threads), unique ruleset names, every rule ANDed
with a kind guard, one fact at a time with a unique key, assert → collect → retract, the fired rules read from
the core's pending actions without running any Python action (so none can fail and be swallowed), and one lock
per engine.  Each trap it guards against has a test in tests/engine/test_durable_traps.py.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from typing import Any

from checker.core.errors import EngineError, RuleFileError
from checker.core.values import compact_json
from checker.engine.base import engine_ids
from checker.rules.book import Pack, RuleBook
from checker.rules.conditions import MAX_FIRINGS_PER_RULE, leaves, max_firings

_ruleset_serial = itertools.count(1)


VERDICTS_KEPT = 20_000  # verdicts remembered by fact content; forgotten all at once when full


class DurableEvaluator:
    """All rules of one record kind, from every pack, in as few rulesets as the 64-firing limit allows.

    One assert and one retract per record (not per pack) is what keeps durable-rules within reach of the
    plain-Python evaluator: its cost is the JSON round trip per call and per fired rule, so facts carry
    only the fields some rule reads.
    """

    name = "durable"

    def __init__(self, book: RuleBook, kinds: set[str] | None = None):
        # durable-rules' C core, loaded only when rules run, called directly: creating rulesets, asserting,
        # reading the fired rules and retracting are its calls; its Python wrapper (durable.engine: a Host, whose
        # default starts two timer threads, Rulesets, Closures, and imports of logging, inspect and traceback) adds
        # nothing we use (see _evaluate)
        import durable_rules_engine

        self._core = durable_rules_engine
        self._lock = threading.Lock()
        self._engine_ids: set[str] = set()  # every engine rule id registered: what an action may name
        self._keys = itertools.count(1)
        self._broken: str | None = None
        # (rulesets, fact content) -> the engine rules that fired: see _evaluate
        self._verdicts: dict[tuple[int, str], frozenset[str]] = {}
        # Rulesets are registered here for `kinds` (None: every kind), so a rule durable cannot compile is an
        # error before any file is read; other kinds' when their first record is evaluated (lint checks
        # documents only: registering the subsidy and approval rules would be a tenth of its start)
        self._book = book
        self._handles: dict[str, list[tuple[str, int]]] = {}  # record kind -> (ruleset name, core handle)
        self._fields: dict[str, tuple[str, ...]] = {}  # record kind -> fields the rules read
        self._pack_ids: dict[tuple[str, str], set[str]] = {}
        # a pack a domain evaluates into outcomes may also be evaluated on its own (the subsidy what-if of a
        # project not yet accepted): its own rulesets spare that evaluation every other rule of the kind
        self._pack_handles: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._own_rulesets: set[tuple[str, str]] = set()
        for pack in book.packs:
            for kind in pack.kinds:
                self._pack_ids[(pack.id, kind)] = engine_ids(pack, kind)
                if not pack.finds and len(book.packs_for(kind)) > 1 and pack.rules_for(kind):
                    self._own_rulesets.add((pack.id, kind))
        for kind in sorted({rule.kind for rule in book.rules} if kinds is None else kinds):
            self._kind_handles(kind)

    def _kind_handles(self, kind: str) -> list[tuple[str, int]]:
        """The rulesets of all rules of `kind`, registered on first use."""
        handles = self._handles.get(kind)
        if handles is None:
            with self._lock:
                if kind in self._handles:  # another thread registered it meanwhile
                    return self._handles[kind]
                rules = [rule for pack in self._book.packs_for(kind) for rule in pack.rules_for(kind)]
                fields = {leaf.field for rule in rules for c in rule.engine_conditions().values() for leaf in leaves(c)}
                self._fields[kind] = tuple(sorted(fields))
                handles = self._handles[kind] = self._register(kind, rules) if rules else []
        return handles

    def _own_handles(self, pack: Pack, kind: str) -> list[tuple[str, int]] | None:
        """The pack's own rulesets for `kind` (see `_own_rulesets`), registered on first use; None: it has none."""
        if (pack.id, kind) not in self._own_rulesets:
            return None
        handles = self._pack_handles.get((pack.id, kind))
        if handles is None:
            self._kind_handles(kind)  # the fields a fact of this kind carries
            with self._lock:
                if (pack.id, kind) in self._pack_handles:  # another thread registered it meanwhile
                    return self._pack_handles[(pack.id, kind)]
                handles = self._register(kind, pack.rules_for(kind))
                self._pack_handles[(pack.id, kind)] = handles
        return handles

    def forget_verdicts(self) -> None:
        """Evaluate every fact afresh from now on (the benchmark times the engine, not the verdicts it remembers)."""
        self._verdicts.clear()

    def _action_name(self, message: str, ruleset_name: str) -> str:
        """The engine rule id of a pending action: the one key of `{"RULE":{"m":{...}}}`."""
        end = message.find('"', 2)
        name = message[2:end]
        if message.startswith('{"') and message.startswith('":', end) and name in self._engine_ids:
            return name
        try:  # a key with an escape (no engine id has one) or an unexpected shape: read it as JSON
            (name,) = json.loads(message)
        except (ValueError, TypeError):
            raise self._break(f"规则引擎出错（{ruleset_name}）：无法识别的动作 {message[:80]}") from None
        if name not in self._engine_ids:
            raise self._break(f"规则引擎出错（{ruleset_name}）：未知规则 {name}")
        return name

    def _create(self, name: str, definition: dict[str, dict]) -> int:
        """A ruleset in durable's C core (rule names → conditions; no actions: see _evaluate)."""
        return self._core.create_ruleset(name, json.dumps(definition, ensure_ascii=False))

    def _register(self, kind: str, rules) -> list[tuple[str, int]]:
        """Rulesets for one kind, each small enough never to fire more than 64 times for one fact."""
        chunks: list[dict[str, dict]] = [{}]
        budget = 0
        guard = {"_t": kind}  # also keeps negative-only rules from matching the engine's own state
        for rule in rules:
            conditions = rule.engine_conditions()
            for engine_id, expression in rule.durable_conditions().items():
                cost = max_firings(conditions[engine_id])
                if budget + cost > MAX_FIRINGS_PER_RULE and chunks[-1]:
                    chunks.append({})
                    budget = 0
                budget += cost
                self._engine_ids.add(engine_id)
                chunks[-1][engine_id] = {"all": [{"m": {"$and": [guard, expression]}}]}
        handles = []
        for definition in chunks:
            name = f"checker_{os.getpid()}_{next(_ruleset_serial)}_{kind}"
            try:
                handles.append((name, self._create(name, definition)))
            except Exception as exc:
                raise self._refusal(kind, rules, exc) from None
        return handles

    def _refusal(self, kind: str, rules, exc: Exception) -> Exception:
        """Name the rule durable-rules cannot compile (e.g. error 113: expression too complex)."""
        for rule in rules:
            for engine_id, expression in rule.durable_conditions().items():
                probe = f"checker_probe_{os.getpid()}_{next(_ruleset_serial)}"
                try:
                    self._create(probe, {engine_id: {"all": [{"m": {"$and": [{"_t": kind}, expression]}}]}})
                except Exception as probe_exc:
                    return RuleFileError(
                        f"规则引擎无法编译此条件（{probe_exc}），条件过于复杂，请拆分规则", rule.source, rule.id
                    )
        return EngineError(f"规则引擎无法加载 {kind} 规则：{exc}")

    def fired(self, pack: Pack, fact: dict[str, Any], kind: str | None = None) -> set[str]:
        kind = kind or pack.spec.applies_to
        own = self._own_handles(pack, kind)
        if own is not None:
            return self._evaluate(own, fact, kind)
        return self.fired_all(fact, kind) & self._pack_ids.get((pack.id, kind), set())

    def _break(self, message: str) -> EngineError:
        """Mark the engine unusable (its state is unknown after a failure) and say why."""
        self._broken = message
        return EngineError(message)

    def fired_all(self, fact: dict[str, Any], kind: str) -> set[str]:
        return self._evaluate(self._kind_handles(kind), fact, kind)

    def _evaluate(self, rulesets: list[tuple[str, int]] | None, fact: dict[str, Any], kind: str) -> set[str]:
        """Assert, collect, retract: the fact is serialized once and handed to durable's C core directly.

        durable's Python wrapper (`Host.assert_fact`) would serialize the fact again for the retract and
        once more for the `MessageNotHandledException` of every clean record.  Its action protocol
        (`Ruleset.do_actions`) parses the session state and the message of every fired rule, builds a `Closure`,
        runs the action under a timeout and writes the state back: more than half of the engine's time, to learn a
        rule's name.  The C core's own calls give that name: `start_action_for_state` then
        `complete_and_start_action` until none is pending, which is what `do_actions` calls underneath.
        """
        if not rulesets:
            return set()
        message = {name: fact[name] for name in self._fields[kind] if name in fact}
        message["_t"] = kind
        with self._lock:
            if self._broken:
                raise EngineError(self._broken)
            try:
                content = compact_json(message)
            except (TypeError, ValueError) as exc:  # a value durable cannot take: a bug upstream, say so
                raise self._break(f"规则引擎无法接收此记录（{exc}）") from None
            # A fact is asserted, its actions collected and it is retracted: what fires depends on the fields the
            # rules read and on nothing else, so a fact with the same content (a thousand unclosed 《 of one
            # document differ only in where they stand, which no rule reads) gets the verdict already found.
            known = self._verdicts.get((id(rulesets), content))
            if known is not None:
                return set(known)
            text = f'{content[:-1]},"_k":{next(self._keys)}}}'  # identity is a content hash: make every fact unique
            hits: set[str] = set()
            core = self._core
            for name, handle in rulesets:
                try:
                    code, state_handle = core.assert_fact(handle, text)[:2]
                    if code == 2:  # the same content asserted twice: impossible with the unique key, never ignored
                        raise self._break(f"规则引擎出错（{name}）：同一事实重复提交")
                    if code != 1:  # 1: no rule matched (no finding, no action ran); 0 and 3: actions are pending
                        offset = state_handle if code == 0 else 0
                        started = core.start_action_for_state(handle, offset)  # (state, message) or None
                        message = started[1] if started is not None else None
                        while message is not None:
                            hits.add(self._action_name(message, name))
                            message = core.complete_and_start_action(handle, offset)
                    core.retract_fact(handle, text)
                except EngineError:
                    raise
                except Exception as exc:
                    raise self._break(f"规则引擎出错（{name}）：{exc}") from None
            if len(self._verdicts) >= VERDICTS_KEPT:
                self._verdicts.clear()
            self._verdicts[(id(rulesets), content)] = frozenset(hits)
            return hits
