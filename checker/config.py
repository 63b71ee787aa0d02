"""Configuration: `checker.toml`, or `[tool.checker]` in `pyproject.toml`, found by walking up from the cwd.

Command-line options win over the file.  The file is validated like a rule
file: an unknown key or a wrong type is a one-line error naming the file.
"""

from __future__ import annotations

import stat
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from checker.core.errors import CheckerError
from checker.core.values import printable

CONFIG_NAMES = ("checker.toml", "pyproject.toml")


class ConfigError(CheckerError):
    def __init__(self, message: str, source: str):
        super().__init__(message)
        self.message = message
        self.source = source

    def one_line(self) -> str:
        return f"{self.source}: {' '.join(self.message.split())} [CONFIG]"


@cache
def _models() -> dict[str, type]:
    """The pydantic models of a configuration file, built only when there is a file to validate."""
    from pydantic import BaseModel, ConfigDict, Field, create_model

    class Organization(BaseModel):
        """Who uses checker: documents whose issuer cannot be found are read as this organization's."""

        model_config = ConfigDict(extra="forbid")
        name: str = Field(min_length=1)
        level: Literal["province", "city", "county", "district", "county_city"] | None = None

    class Limits(BaseModel):
        """Overrides of checker.core.limits (see the README's section on limits)."""

        model_config = ConfigDict(extra="forbid")
        max_file_bytes: int | None = Field(default=None, gt=0)
        max_line_chars: int | None = Field(default=None, gt=0)
        max_records: int | None = Field(default=None, gt=0)
        max_document_chars: int | None = Field(default=None, gt=0)
        max_nesting: int | None = Field(default=None, gt=0)
        max_unpacked_factor: int | None = Field(default=None, gt=0)
        max_zip_ratio: int | None = Field(default=None, gt=0)
        max_zip_members: int | None = Field(default=None, gt=0)
        max_observations: int | None = Field(default=None, gt=0)
        max_convert_seconds: int | None = Field(default=None, gt=0)

    class ConfigBase(BaseModel):
        model_config = ConfigDict(extra="forbid")

        select: list[str] = []  # rule ids, categories, or prefixes ending in * (DOC-*)
        ignore: list[str] = []
        fail_on: Literal["error", "warning", "info", "never"] | None = None
        rules: list[str] = []  # extra rule-pack directories, relative to the config file
        organization: Organization | None = None
        as_of: date | None = None
        # pack settings: [tool.checker.settings.<pack>] key = value (a list setting also {replace = […], add = […]})
        settings: dict[str, dict[str, Any]] = {}
        waivers: str | None = None  # waiver file, relative to the config file
        jobs: int | None = Field(default=None, gt=0)
        limits: Limits | None = None

        source: str | None = Field(default=None, exclude=True)  # the file it came from
        base: Path | None = Field(default=None, exclude=True)  # its directory (relative paths start there)

        def path(self, value: str) -> Path:
            candidate = Path(value)
            return candidate if candidate.is_absolute() or self.base is None else self.base / candidate

    # older top-level spellings of some pack settings, which the domains keep (one_day_scope, one_day_scope_add)
    aliases = {key: (list[str] | None, None) for key in _aliases()}
    options = {key: (list[str], []) for key in _option_keys()}  # the domains' own keys (calendars = [...])
    Config = create_model("Config", __base__=ConfigBase, **aliases, **options)
    models = {"Organization": Organization, "Limits": Limits, "Config": Config}
    for name, model in models.items():
        model.__module__, model.__qualname__ = __name__, name
    return models


def __getattr__(name: str):
    if name in ("Organization", "Limits", "Config"):
        return _models()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _aliases() -> dict[str, tuple[str, str, str]]:
    """Configuration keys the installed domains keep for pack settings: key -> (pack, setting, replace|add)."""
    from checker.run.domain import installed

    out: dict[str, tuple[str, str, str]] = {}
    for domain in installed():
        out.update(domain.config_aliases)
    return out


def _option_keys() -> list[str]:
    """Configuration keys of the installed domains' command-line options (lists of paths)."""
    from checker.run.domain import installed

    return [option.config_key for domain in installed() for option in domain.options if option.config_key]


class DefaultConfig:
    """The configuration when there is no file: Config's defaults, without building the pydantic models."""

    select: list[str]
    ignore: list[str]
    rules: list[str]

    def __init__(self):
        self.select, self.ignore, self.rules = [], [], []
        self.settings = {}
        self.fail_on = self.organization = self.as_of = None
        for key in _aliases():
            setattr(self, key, None)
        for key in _option_keys():
            setattr(self, key, [])
        self.waivers = self.jobs = self.limits = self.source = self.base = None

    def path(self, value: str) -> Path:
        return Path(value)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest checker.toml, or pyproject.toml with a [tool.checker] table, from `start` upwards."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "checker.toml":
                return candidate
            try:
                info = candidate.stat()
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CONFIG_BYTES:
                    continue  # a FIFO named pyproject.toml would hang the read
                import tomllib  # here: a run without a configuration file never parses TOML

                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (ValueError, RecursionError, OSError):
                # a pyproject.toml that is not ours is not our business, whatever is in it (a broken table, an
                # integer of 5,000 digits beyond Python's conversion limit, a nesting too deep); one that has our
                # table is ours, and load_config reports what is wrong with it
                if _has_checker_table(candidate):
                    return candidate
                continue
            if "checker" in data.get("tool", {}):
                return candidate
    return None


def _has_checker_table(path: Path) -> bool:
    import re

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"(?m)^\s*\[\s*tool\s*\.\s*checker\s*[\].]", text) is not None


MAX_CONFIG_BYTES = 1 << 20  # a configuration is a few lines; a megabyte is not one


def load_config(path: Path | None) -> Any:
    if path is None:
        return DefaultConfig()
    import tomllib

    source = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder, /dev/zero, a FIFO: never read (it could hang or not end)
            raise ConfigError("配置文件应为普通文件", source)
        if info.st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"配置文件过大（{info.st_size:,} 字节，上限 {MAX_CONFIG_BYTES:,}）", source)
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("配置文件不存在", source) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件格式错误：{exc}", source) from None
    except RecursionError:
        raise ConfigError("配置文件格式错误：嵌套层数过深", source) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        what = "有位数过多的整数" if "integer string conversion" in str(exc) else printable(exc, 120)
        raise ConfigError(f"配置文件格式错误：{what}", source) from None
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件：{exc.strerror or exc}", source) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("checker", {})
    from pydantic import ValidationError

    try:
        config = _models()["Config"].model_validate(data)
    except ValidationError as exc:
        from checker.core.validation import errors_text

        raise ConfigError(errors_text(exc, unknown="未知的配置项"), source) from None
    config.source = source
    config.base = path.parent
    return config


def settings_overrides(config) -> dict[str, dict[str, Any]]:
    """Pack settings the configuration replaces or extends: {pack id: {setting: value or {replace, add}}}."""
    out: dict[str, dict[str, Any]] = {pack: dict(values) for pack, values in (config.settings or {}).items()}
    for key, (pack, setting, mode) in _aliases().items():
        value = getattr(config, key, None)
        if value is None:
            continue
        change = out.setdefault(pack, {}).get(setting)
        if not isinstance(change, dict):
            change = {} if change is None else {"replace": change}
        change[mode] = list(value)
        out[pack][setting] = change
    return out
