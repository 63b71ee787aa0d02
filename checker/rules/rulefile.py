"""The schema of rule files (pydantic), used only when rule files are actually read.

The published schema is the base models below plus what each domain's rule kinds add (`models()`).

A cached rule book (see checker.rules.bookcache) is loaded without these models, so
start-up does not pay for building them; what they validate is turned into
plain `Spec` objects either way, so a fresh load and a cached one look alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from checker.rules.book import CitationSpec, Spec

Scalar = float | int | str | date | bool | None
Value = Scalar | list[Scalar]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Citation(_Strict):
    document: str = Field(min_length=1)  # 文号 or standard, e.g. 新政办〔2022〕34号
    clause: str | None = None  # 第二条第13项
    # quote: `text` is the source's own words (its characters kept, ﹝﹞ included); summary: our paraphrase
    kind: Literal["quote", "summary"]
    text: str = Field(min_length=1)
    source: str | None = None  # where that wording was taken from
    confirmed: bool = True  # false: the wording could not be checked against the source itself (say why in `source`)

    def short(self) -> str:
        return f"{self.document} {self.clause}" if self.clause else self.document


class Examples(_Strict):
    fire: list[dict[str, Any]] = Field(min_length=1)
    pass_: list[dict[str, Any]] = Field(alias="pass", min_length=1)


class RuleSpecBase(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: str = Field(min_length=1)
    kind: str = "finding"  # a rule kind of the pack's kind (see checker.rules.language)
    applies_to: str | None = None  # record kind, when it differs from the pack's
    category: str
    severity: Literal["error", "warning", "info"] = "error"
    citation: Citation | list[Citation]  # one, or several when the rule rests on more than one source (main first)
    interpretation: list[str] = []
    params: dict[str, Value] = {}
    when: dict[str, Any]
    message: str = Field(min_length=1)
    fix: str | None = None
    # how far the observation's fix may be applied: safe (by --fix), unsafe (only when asked), display (shown only)
    autofix: Literal["safe", "unsafe", "display"] | None = None
    fixable: bool = False  # older spelling of `autofix: safe`
    # a text field of the subject whose value replaces the subject's span, instead of what its finder proposes
    # (the 成文日期 in Chinese numerals under the 1999 standard, in Arabic ones under the 2012 one)
    fix_with: str | None = None
    outcome: str | None = None  # what the rule's firing means for its record's outcome (a word its domain reads)
    examples: Examples

    @field_validator("citation")
    @classmethod
    def _citations(cls, value):
        """Always a list: a rule may rest on two sources (条例 and GB/T 9704, say), the first being its main basis."""
        value = value if isinstance(value, list) else [value]
        if not value:
            raise ValueError("citation 不能为空列表")
        return value


class Setting(_Strict):
    value: Value
    note: str = Field(min_length=1)  # why the value is what it is (interpretation note)


class PackSpecBase(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    title: str
    version: str
    kind: str = "findings"  # "findings", or a pack kind a domain added (see checker.rules.language)
    applies_to: str
    description: str | None = None
    categories: dict[str, str] = {}  # categories this pack declares: id -> what it covers (Chinese)
    settings: dict[str, Setting] = {}
    interpretation: list[str] = []


_models: dict[tuple, tuple[type, type]] = {}


def models() -> tuple[type, type]:
    """(RuleSpec, PackSpec): the base models plus every key the registered rule and pack kinds add."""
    from pydantic import create_model

    from checker.rules.language import LANGUAGE

    rule_keys: dict[str, Any] = {}
    pack_keys: dict[str, Any] = {}
    for pack_kind in LANGUAGE.pack_kinds.values():
        if pack_kind.pack_keys is not None:
            for name, (annotation, _required) in pack_kind.pack_keys().items():
                pack_keys[name] = (annotation | None, None)
        for rule_kind in pack_kind.rule_kinds:
            if rule_kind.keys is not None:
                for name, (annotation, _required) in rule_kind.keys().items():
                    rule_keys[name] = (annotation | None, None)
    key = (tuple(sorted(rule_keys)), tuple(sorted(pack_keys)), id(LANGUAGE))
    if key not in _models:
        rule = create_model("RuleSpec", __base__=RuleSpecBase, **rule_keys)
        pack = create_model("PackSpec", __base__=PackSpecBase, **pack_keys)
        for model in (rule, pack):
            model.__module__ = __name__
        _models[key] = (rule, pack)
    return _models[key]


def to_spec(model: BaseModel) -> Spec:
    """The validated model as plain attributes (nested models too), so it can be pickled without pydantic."""
    cls = CitationSpec if isinstance(model, Citation) else Spec
    return cls(**{name: _plain(getattr(model, name)) for name in type(model).model_fields})


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return to_spec(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
