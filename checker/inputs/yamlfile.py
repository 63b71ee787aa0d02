"""YAML record files: a safe loader that keeps the line of every mapping and key.

It refuses aliases (an "alias bomb" is a few bytes that expand to gigabytes) and too deep a nesting, constructs
nothing but plain values (no tag builds an object), and leaves as text what YAML 1.1 would silently reinterpret
(010 as octal 8, 1:30 as 90, `on` as true, an impossible date), for the field's own parser to accept or refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.limits import get_limits
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat
from checker.inputs.mapping import Positioned, mapping_records, raw_from_mapping, schema_for_key
from checker.inputs.textlines import read_text
from checker.records.raw import RawRecord


class _Refused(yaml.YAMLError):
    """Something the loader refuses on purpose (an alias, too deep a nesting), with its line."""

    def __init__(self, message: str, line: int | None, code: str = "INPUT-FORMAT"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


_PLAIN_INT = lazy_compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")

_PLAIN_FLOAT = lazy_compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

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


_UNKNOWN_TAG = lazy_compile(r"could not determine a constructor for the tag '([^']*)'")


def _yaml_problem(exc: Exception) -> str:
    return printable(" ".join(str(exc).split()), 160)


def load_yaml(path: Path) -> Positioned:
    """A whole YAML file with the line of every mapping (rule, config, waiver and calendar files, small)."""
    source = str(path)
    text = read_text(path)
    loader = None
    try:
        loader = _YAML_LOADER(text)  # the pure-Python reader checks the characters here already
        data = loader.get_single_data()
    except Exception as exc:
        raise _input_error(exc, source, text, loader) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Positioned(data, loader.positions, loader.duplicates)


def _input_error(exc: Exception, source: str, text: str, loader) -> Exception:
    """The one-line input error for what PyYAML raised (anything that is not the file's fault is re-raised)."""
    if isinstance(exc, _Refused):
        return CheckerInputError(exc.message, Location(source, line=exc.line), code=exc.code)
    if isinstance(exc, CheckerInputError):
        return exc
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000) met before ours
            return CheckerInputError(
                f"嵌套层数超过上限 {get_limits().max_nesting} 层", Location(source, line=line), code="INPUT-LIMIT"
            )
        tag = _UNKNOWN_TAG.search(str(exc.problem))
        if isinstance(exc, yaml.constructor.ConstructorError) and tag:
            return CheckerInputError(
                f"不允许的 YAML 标签“{printable(tag.group(1))}”（只读取普通数据，不构造任何对象）",
                Location(source, line=line),
                code="INPUT-FORMAT",
            )
        return CheckerInputError(
            f"YAML 格式错误：{_yaml_problem(exc.problem or exc)}", Location(source, line=line), code="INPUT-FORMAT"
        )
    if isinstance(exc, yaml.reader.ReaderError):
        line = None
        if isinstance(exc.position, int):  # libyaml counts UTF-8 bytes, PyYAML's reader characters
            before = (
                text.encode("utf-8")[: exc.position]
                if _CParser and isinstance(loader, _CParser)
                else text[: exc.position]
            )
            line = before.count(b"\n" if isinstance(before, bytes) else "\n") + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "字节"
        return CheckerInputError(
            f"YAML 格式错误：含不允许的字符 {what}（控制字符）", Location(source, line=line), code="INPUT-FORMAT"
        )
    if isinstance(exc, RecursionError):
        return CheckerInputError("YAML 嵌套层数过深", Location(source), code="INPUT-LIMIT")
    if isinstance(exc, (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError)):
        # a constructor that choked on an explicit tag (!!binary of bad base64, !!set of …): the file's fault
        return CheckerInputError(f"YAML 格式错误：{_yaml_problem(exc)}", Location(source), code="INPUT-FORMAT")
    return exc


def yaml_records(path: Path, notices, budget) -> Iterator[RawRecord]:
    """The records of a YAML record file, one list item at a time.

    Only the item being read is held as YAML nodes (PyYAML's node tree costs
    about 15 KB per record: a whole file of 10^5 records took 1.5 GB).  The
    top-level mapping is walked key by key: a record list (`projects:` …) is
    streamed; a document with `kind:` before any list is one record and is
    read whole; other keys are skipped.  Records before an error in the file
    are still checked, as in every streamed format.
    """
    source = str(path)
    budget = budget or RecordBudget(source)
    text = read_text(path)
    loader = None
    try:
        loader = _YAML_LOADER(text)  # the pure-Python reader checks the characters here already
        yield from _stream(loader, source, budget)
    except Exception as exc:
        error = _input_error(exc, source, text, loader)
        if error is exc:
            raise
        raise error from None
    finally:
        if loader is not None:
            loader.dispose()


def _stream(loader, source: str, budget: RecordBudget) -> Iterator[RawRecord]:
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        raise CheckerInputError("文件为空", Location(source), code="INPUT-FORMAT")
    if not loader.check_event(yaml.DocumentStartEvent):
        loader.get_event()  # what PyYAML would raise on
    loader.get_event()  # document start
    if not loader.check_event(yaml.MappingStartEvent):
        yield from mapping_records(source, Positioned(_construct(loader, 1), loader.positions), [], budget)
        _document_end(loader, source)
        return
    start = loader.get_event()
    pairs: list = []  # the top-level (key, value) nodes of a single-record document, or none at all
    seen_lists: set[str] = set()
    whole = False
    while not loader.check_event(yaml.MappingEndEvent):
        loader._depth = 1
        key_node = loader.compose_node(None, None)
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
        schema = None if whole or key is None else schema_for_key(key)
        if key == "kind" and not seen_lists:
            whole = True
        if schema is None or whole:
            loader._depth = 1
            value_node = loader.compose_node(None, key_node)
            if whole or key == "kind" or not seen_lists:
                pairs.append((key_node, value_node))
            if key == "kind" and seen_lists:
                raise CheckerInputError(
                    "顶层既有记录列表又有 kind:，无法确定是一条记录还是一组记录，其后的内容未检查",
                    Location(source, line=key_node.start_mark.line + 1),
                    code="INPUT-FORMAT",
                )
            continue
        line = key_node.start_mark.line + 1
        if key in seen_lists:  # a second `projects:` would have replaced the first in a mapping
            raise CheckerInputError(
                f"键“{printable(key)}”出现了两次，第二个列表及以后的内容未检查",
                Location(source, line=line),
                code="INPUT-FORMAT",
            )
        seen_lists.add(key)
        yield from _stream_list(loader, source, key, schema, line, budget)
    if whole:
        node = yaml.MappingNode("tag:yaml.org,2002:map", pairs, start.start_mark, start.end_mark)
        data = loader.construct_document(node)
        loader.get_event()  # mapping end
        yield from mapping_records(source, Positioned(data, loader.positions, loader.duplicates), [], budget)
    else:
        loader.get_event()
        if not seen_lists:
            yield from mapping_records(source, Positioned({}, {}), [], budget)  # names the lists expected
    _document_end(loader, source)


def _stream_list(loader, source: str, key: str, schema, line: int, budget: RecordBudget) -> Iterator[RawRecord]:
    if not loader.check_event(yaml.SequenceStartEvent):
        if _construct(loader, 2) is None:  # `projects:` with nothing: no records (an alias is refused here)
            return
        raise CheckerInputError(f"{key}: 应为列表", Location(source, line=line), code="INPUT-FORMAT")
    loader.get_event()
    index = 0
    while not loader.check_event(yaml.SequenceEndEvent):
        index += 1
        loader.positions, loader.duplicates = {}, {}
        item = _construct(loader, 2)
        if not isinstance(item, dict):
            raise CheckerInputError(
                f"{key} 第{index}条应为映射", Location(source, record=f"第{index}条"), code="INPUT-FORMAT"
            )
        doc = Positioned(item, loader.positions, loader.duplicates)
        budget.take(doc.lines_of(item)[0])
        yield raw_from_mapping(source, schema, index, item, doc)
    loader.get_event()


def _construct(loader, depth: int) -> object:
    """The next node, composed at `depth` (aliases and nesting checked as for a whole file) and constructed."""
    loader._depth = depth
    loader.anchors = {}
    node = loader.compose_node(None, None)
    return loader.construct_document(node)


def _document_end(loader, source: str) -> None:
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.peek_event()
        raise CheckerInputError(
            "YAML 文件只应有一个文档（--- 之后的内容未检查）",
            Location(source, line=event.start_mark.line + 1),
            code="INPUT-FORMAT",
        )


def _read(path: Path, notices, budget, start=None, stop=None):
    return yaml_records(path, notices, budget)


FORMAT = RecordFormat("YAML", (".yaml", ".yml"), _read)
