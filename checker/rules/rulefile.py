"""The schema of rule files (pydantic), used only when rule files are actually read.

A cached rule book (see checker.rules.bookcache) is loaded without these models, so
start-up does not pay for building them; what they validate is turned into
plain `Spec` objects either way, so a fresh load and a cached one look alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.rules.book import CitationSpec, Spec

Scalar = float | int | str | date | bool | None
Value = Scalar | list[Scalar]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Citation(_Strict):
    document: str = Field(min_length=1)  # 文号 or standard, e.g. 新政办〔2022〕34号
    clause: str | None = None  # 第二条第13项
    text: str = Field(min_length=1)  # the clause's wording
    source: str | None = None  # where that wording was taken from

    def short(self) -> str:
        return f"{self.document} {self.clause}" if self.clause else self.document


class Examples(_Strict):
    fire: list[dict[str, Any]] = Field(min_length=1)
    pass_: list[dict[str, Any]] = Field(alias="pass", min_length=1)


class Award(_Strict):
    yuan_per_m2: float | str  # number or $setting
    cap_yuan: float | str
    ceiling: bool = False  # "不超过…": the amount is an upper bound


class Window(_Strict):
    """A subsidy window: which acceptance dates it covers and what it pays."""

    label: str
    accepted_from: date | str | None = None
    accepted_to: date | str | None = None
    award: Award
    referral: Literal["always", "never", "when"] = "never"
    referral_when: dict[str, Any] | None = None
    referral_text: str | None = None


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: str = Field(min_length=1)
    kind: Literal["finding", "subsidy-window", "subsidy-referral"] = "finding"
    applies_to: str | None = None  # record kind, when it differs from the pack's
    category: str
    severity: Literal["error", "warning", "info"] = "error"
    citation: Citation
    interpretation: list[str] = []
    params: dict[str, Value] = {}
    when: dict[str, Any]
    message: str = Field(min_length=1)
    fix: str | None = None
    fixable: bool = False  # the observation's replacement may be applied by `--fix`
    window: Window | None = None
    examples: Examples


class Setting(_Strict):
    value: Value
    note: str = Field(min_length=1)  # why the value is what it is (interpretation note)


class PackSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    title: str
    version: str
    kind: Literal["findings", "subsidy"] = "findings"
    applies_to: str
    description: str | None = None
    settings: dict[str, Setting] = {}
    interpretation: list[str] = []
    overlap_note: str | None = None


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
