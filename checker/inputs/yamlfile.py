"""YAML record files: a safe loader that keeps the line of every mapping and key.

It refuses aliases (an "alias bomb" is a few bytes that expand to gigabytes) and too deep a nesting, constructs
nothing but plain values (no tag builds an object), and leaves as text what YAML 1.1 would silently reinterpret
(010 as octal 8, 1:30 as 90, `on` as true, an impossible date), for the field's own parser to accept or refuse.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits
from checker.core.values import printable
from checker.inputs.base import RecordFormat
from checker.inputs.mapping import Positioned, mapping_records
from checker.inputs.textlines import read_text


class _Refused(yaml.YAMLError):
    """Something the loader refuses on purpose (an alias, too deep a nesting), with its line."""

    def __init__(self, message: str, line: int | None, code: str = "INPUT-FORMAT"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")

_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

_YAML_SPECIAL_FLOATS = {".inf", "+.inf", "-.inf", ".nan"}


class _PositionsMixin:
    """What our loaders add to PyYAML: lines of mappings and keys, duplicate keys; aliases and depth refused."""

    def _init_positions(self) -> None:
        self.positions: dict[int, tuple[int, dict[str, int]]] = {}
        self.duplicates: dict[int, list[tuple[str, int]]] = {}
        self._depth = 0
        self._max_depth = get_limits().max_nesting

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"不允许使用 YAML 别名（*{printable(event.anchor)}）", event.start_mark.line + 1)
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                event = self.peek_event()
                raise _Refused(f"嵌套层数超过上限 {self._max_depth} 层", event.start_mark.line + 1, "INPUT-LIMIT")
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1

    def construct_positioned_map(self, node):
        """Like SafeConstructor.construct_yaml_map, remembering the lines of the mapping, its keys and duplicates."""
        data: dict = {}
        keys: dict[str, int] = {}
        duplicates: list[tuple[str, int]] = []
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = str(key_node.value)
                if key in keys:
                    duplicates.append((key, key_node.start_mark.line + 1))
                else:
                    keys[key] = key_node.start_mark.line + 1
        self.positions[id(data)] = (node.start_mark.line + 1, keys)
        if duplicates:
            self.duplicates[id(data)] = duplicates
        yield data
        data.update(self.construct_mapping(node))

    # Scalars YAML 1.1 would reinterpret stay text as written; the field's parser decides.
    def construct_plain_int(self, node):
        value = self.construct_scalar(node)
        return int(value) if _PLAIN_INT.fullmatch(value) else value  # 010, 0x1F, 1_000, 1:30, 30 digits

    def construct_plain_float(self, node):
        value = self.construct_scalar(node)
        if value.lower() in _YAML_SPECIAL_FLOATS:
            return SafeConstructor.construct_yaml_float(self, node)  # NaN/infinity: refused by the field parser
        return float(value) if _PLAIN_FLOAT.fullmatch(value) else value

    def construct_plain_bool(self, node):
        value = self.construct_scalar(node)
        lowered = value.lower()
        return True if lowered == "true" else False if lowered == "false" else value  # yes/no/on/off stay text

    def construct_checked_timestamp(self, node):
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            return self.construct_scalar(node)  # 2023-02-30: the date parser names it


def _register_constructors(loader: type) -> None:
    loader.add_constructor("tag:yaml.org,2002:map", loader.construct_positioned_map)
    loader.add_constructor("tag:yaml.org,2002:int", loader.construct_plain_int)
    loader.add_constructor("tag:yaml.org,2002:float", loader.construct_plain_float)
    loader.add_constructor("tag:yaml.org,2002:bool", loader.construct_plain_bool)
    loader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_checked_timestamp)


class _LineSafeLoader(_PositionsMixin, yaml.SafeLoader):
    """Pure-Python safe loader with positions (used when libyaml is not installed)."""

    def __init__(self, stream):
        yaml.SafeLoader.__init__(self, stream)
        self._init_positions()


_register_constructors(_LineSafeLoader)

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _FastLineSafeLoader(_PositionsMixin, Composer, _CParser, SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser (several times faster) under PyYAML's composer and our constructors.

        The composer stays in Python so that aliases and nesting are refused at
        the event where they occur, with its line.
        """

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_positions()

    _register_constructors(_FastLineSafeLoader)
    _YAML_LOADER: type = _FastLineSafeLoader
else:
    _YAML_LOADER = _LineSafeLoader


_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag '([^']*)'")


def _yaml_problem(exc: Exception) -> str:
    return printable(" ".join(str(exc).split()), 160)


def load_yaml(path: Path) -> Positioned:
    source = str(path)
    text = read_text(path)
    loader = None
    try:
        loader = _YAML_LOADER(text)  # the pure-Python reader checks the characters here already
        data = loader.get_single_data()
    except _Refused as exc:
        raise CheckerInputError(exc.message, Location(source, line=exc.line), code=exc.code) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000) met before ours
            raise CheckerInputError(
                f"嵌套层数超过上限 {get_limits().max_nesting} 层", Location(source, line=line), code="INPUT-LIMIT"
            ) from None
        tag = _UNKNOWN_TAG.search(str(exc.problem))
        if isinstance(exc, yaml.constructor.ConstructorError) and tag:
            raise CheckerInputError(
                f"不允许的 YAML 标签“{printable(tag.group(1))}”（只读取普通数据，不构造任何对象）",
                Location(source, line=line),
                code="INPUT-FORMAT",
            ) from None
        raise CheckerInputError(
            f"YAML 格式错误：{_yaml_problem(exc.problem or exc)}", Location(source, line=line), code="INPUT-FORMAT"
        ) from None
    except yaml.reader.ReaderError as exc:
        line = None
        if isinstance(exc.position, int):  # libyaml counts UTF-8 bytes, PyYAML's reader characters
            before = (
                text.encode("utf-8")[: exc.position]
                if _CParser and isinstance(loader, _CParser)
                else text[: exc.position]
            )
            line = before.count(b"\n" if isinstance(before, bytes) else "\n") + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "字节"
        raise CheckerInputError(
            f"YAML 格式错误：含不允许的字符 {what}（控制字符）", Location(source, line=line), code="INPUT-FORMAT"
        ) from None
    except RecursionError:
        raise CheckerInputError("YAML 嵌套层数过深", Location(source), code="INPUT-LIMIT") from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
        # a constructor that choked on an explicit tag (!!binary of bad base64, !!set of …): the file's fault
        raise CheckerInputError(f"YAML 格式错误：{_yaml_problem(exc)}", Location(source), code="INPUT-FORMAT") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Positioned(data, loader.positions, loader.duplicates)


def _read(path: Path, notices, budget, start=None, stop=None):
    return mapping_records(str(path), load_yaml(path), notices, budget)


FORMAT = RecordFormat("YAML", (".yaml", ".yml"), _read)
