"""Errors that reach the user as one line (exit code 2), never as a traceback.

Every input problem names where it is: file, record (or row), field and line
when there is one.  `CheckerInputError.one_line()` is the single place that
formats that line, so every loader reports bad input the same way.
"""

from __future__ import annotations

from checker.core.plain import plain


@plain
class Location:
    """Where a piece of input lives; every part is optional except the file."""

    source: str
    line: int | None = None
    column: int | None = None
    record: str | None = None  # record id or "第N条" / "第N行" when there is no id
    field: str | None = None  # field name (English), shown with its Chinese label

    def render(self) -> str:
        from checker.core.values import printable

        where = printable(self.source, 300)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.record:
            parts.append(f"记录 {printable(self.record, 60)}")
        if self.field:
            parts.append(f"字段 {self.field}")
        return " ".join(parts)


class CheckerError(Exception):
    """Base of every error the command line turns into a one-line message."""

    exit_code = 2

    def one_line(self) -> str:
        return " ".join(str(self).split())


class CheckerInputError(CheckerError):
    """Bad input data: a record, a file, a field."""

    def __init__(self, message: str, location: Location, code: str = "INPUT-INVALID"):
        super().__init__(message)
        self.message = message
        self.location = location
        self.code = code

    def one_line(self) -> str:
        text = " ".join(self.message.split())
        return f"{self.location.render()}: {text} [{self.code}]"


class RuleFileError(CheckerError):
    """A rule file that cannot be loaded: names the file and the rule."""

    def __init__(self, message: str, source: str, rule_id: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.rule_id = rule_id
        self.line = line

    def one_line(self) -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        rule = f" 规则 {self.rule_id}" if self.rule_id else ""
        return f"{where}{rule}: {' '.join(self.message.split())} [RULE-FILE]"


class TemporaryFileError(CheckerError):
    """A long run's temporary files (outcomes, findings, record ids on disk) could not be written or read back:
    a full or unwritable temporary directory, which the user can change, not a broken engine."""

    def __init__(self, exc: BaseException):
        import tempfile

        super().__init__(
            f"临时文件无法写入或读回（{tempfile.gettempdir()}）：{exc}；"
            "磁盘已满或目录不可写时，可设置 TMPDIR 指向有空间的目录后重试"
        )


def temporary_files(func):
    """`func` (a function or a generator function) touches only temporary files: an OSError from it is a
    TemporaryFileError."""
    from functools import wraps

    if func.__code__.co_flags & 0x20:  # CO_GENERATOR: the error comes while it is iterated

        @wraps(func)
        def generate(*args, **kwargs):
            try:
                yield from func(*args, **kwargs)
            except OSError as exc:
                raise TemporaryFileError(exc) from None

        return generate

    @wraps(func)
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            raise TemporaryFileError(exc) from None

    return call


class EngineError(CheckerError):
    """The rule engine reported a failure; never swallowed."""

    exit_code = 3
