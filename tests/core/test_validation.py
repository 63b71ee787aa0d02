"""Validation errors read in Chinese, with the key's path, whatever pydantic says in English."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.core.validation import error_line, errors_text


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    share: float = Field(ge=0, le=1)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fail_on: Literal["error", "warning"] = "error"
    jobs: int = 1
    select: list[str] = []
    as_of: date | None = None
    places: list[Inner] = []


def errors(data) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        Model.model_validate(data)
    return info.value


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"fail_on": "sometimes"}, "fail_on：应为 'error'、'warning' 之一"),
        ({"jobs": "x"}, "jobs：应为整数"),
        ({"select": "DOC"}, "select：应为列表"),
        ({"as_of": "2020-13-01"}, "as_of：应为日期（YYYY-MM-DD）"),
        ({"colour": "red"}, "未知的键“colour”"),
        ({"places": [{"share": 0.5}]}, "缺少“places[0].name”"),
        ({"places": [{"name": "x", "share": 2}]}, "places[0].share：应不大于 1"),
    ],
)
def test_each_error_in_chinese(data, line):
    err = errors(data).errors()[0]
    assert error_line(err) == line


def test_all_errors_on_one_line_and_no_english():
    text = errors({"fail_on": 3, "jobs": "x", "select": "DOC"}).errors()
    joined = errors_text(errors({"fail_on": 3, "jobs": "x", "select": "DOC"}))
    assert joined.count("；") == len(text) - 1
    assert "Input should" not in joined and "valid" not in joined
