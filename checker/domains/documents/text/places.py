"""Place data (checker/domains/documents/data/places/*.yaml): levels, abbreviations, doc-number prefixes, issuers.

Kept as data because which codes a county uses is a local fact, and because
several Henan places start with 新 (新乡, 新郑, 新密, 新安, 新县, 新蔡): lookups
match whole names and whole prefix codes, never a shared first character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from checker.core.errors import CheckerInputError, Location

DEFAULT_PLACES = Path(__file__).resolve().parents[1] / "data" / "places" / "henan-nanyang.yaml"
Level = Literal["province", "city", "district", "county", "county_city"]
LEVEL_LABELS = {"province": "省级", "city": "市级", "district": "区级", "county": "县级", "county_city": "县级市"}
# The level word each level's own documents use for themselves (我省/我市/我县/我区).
LEVEL_CHAR = {"province": "省", "city": "市", "district": "区", "county": "县", "county_city": "市"}


def _models():
    """pydantic models, built on first use (keeps import of this module light)."""
    from pydantic import BaseModel, ConfigDict, Field

    class PlaceModel(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        name: str = Field(min_length=2)
        level: Level
        parent: str | None = None
        code: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}){0,2}$")
        abbreviations: list[str] = []
        doc_prefixes: list[str] = []
        issuers: list[str] = []

    class PlacesFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        version: Literal[1]
        prefix_tails: list[str] = []
        places: list[PlaceModel] = Field(min_length=1)

    return PlacesFile


@dataclass(frozen=True)
class Place:
    name: str
    level: str
    parent: str | None
    code: str | None
    abbreviations: tuple[str, ...]
    doc_prefixes: tuple[str, ...]
    issuers: tuple[str, ...]

    @property
    def stem(self) -> str:
        """Name without its level word: 新野县 -> 新野."""
        return self.name[:-1]


@dataclass
class Places:
    """Loaded place table with the lookups rules need."""

    source: str
    places: tuple[Place, ...]
    prefix_tails: tuple[str, ...] = ()
    _by_name: dict[str, Place] = field(default_factory=dict, repr=False)
    _by_prefix: dict[str, Place] = field(default_factory=dict, repr=False)
    _by_issuer: dict[str, Place] = field(default_factory=dict, repr=False)
    names_longest_first: tuple[str, ...] = field(default=(), repr=False)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # compiled patterns of finders

    def __post_init__(self):
        for p in self.places:
            self._by_name[p.name] = p
            for prefix in p.doc_prefixes:
                self._by_prefix[prefix] = p
            for issuer in p.issuers:
                self._by_issuer[issuer] = p
        # Longest names first so 南阳市 is never read as a shorter name's match.
        self.names_longest_first = tuple(sorted(self._by_name, key=len, reverse=True))

    def get(self, name: str) -> Place | None:
        return self._by_name.get(name)

    def level_of(self, place: str) -> str | None:
        """Level of a place given by full name (新野县) or abbreviation (宛), else None."""
        p = self._by_name.get(place)
        if p is None:
            p = next((q for q in self.places if place in q.abbreviations), None)
        return p.level if p else None

    def place_of_issuer(self, name: str) -> str | None:
        """Place of an issuing body: a listed issuer, or a name starting with a place's full name."""
        name = name.strip()
        if name in self._by_issuer:
            return self._by_issuer[name].name
        for place in self.names_longest_first:
            if name.startswith(place):
                return place
        return None

    def prefix_forms(self) -> frozenset[str]:
        """Every listed code, alone and with each tail (新政办, 新政办发, 新政办函 ...)."""
        forms = self.cache.get("prefix_forms")
        if forms is None:
            forms = frozenset(c + t for c in self._by_prefix for t in ("", *self.prefix_tails))
            self.cache["prefix_forms"] = forms
        return forms

    def place_of_prefix(self, prefix: str) -> str | None:
        """Place of a 发文字号 prefix: the longest listed code the prefix equals, or equals plus a tail (发, 函 ...)."""
        prefix = prefix.strip()
        if prefix in self._by_prefix:
            return self._by_prefix[prefix].name
        best: str | None = None
        for code in self._by_prefix:
            if prefix.startswith(code) and prefix[len(code) :] in self.prefix_tails:
                if best is None or len(code) > len(best):
                    best = code
        return self._by_prefix[best].name if best else None


def load_yaml(path: str | Path):
    """Parse a rule-data YAML file safely; any problem names the file (and line)."""
    import yaml

    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckerInputError("文件不存在", Location(source), code="INPUT-FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckerInputError(f"无法读取文件（应为 UTF-8）：{exc}", Location(source), code="INPUT-FILE") from None
    from checker.core.safeyaml import YamlAliasError, load

    try:
        return load(text)
    except YamlAliasError as exc:
        raise CheckerInputError(
            f"第 {exc.line} 行：{exc}", Location(source, line=exc.line), code="INPUT-FORMAT"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CheckerInputError(
            f"YAML 格式错误：{exc.problem or exc}", Location(source, line=line), code="INPUT-FORMAT"
        ) from None
    except yaml.YAMLError as exc:
        raise CheckerInputError(f"YAML 格式错误：{exc}", Location(source), code="INPUT-FORMAT") from None


def validation_error(exc, source: str, records_key: str, data) -> CheckerInputError:
    """The first pydantic error as a CheckerInputError naming file, record and field."""
    err = exc.errors()[0]
    loc = list(err["loc"])
    record = None
    field_name = None
    if len(loc) >= 2 and loc[0] == records_key and isinstance(loc[1], int):
        record = f"第{loc[1] + 1}条"
        try:
            item = data[records_key][loc[1]]
            label = item.get("name") or item.get("wrong") if isinstance(item, dict) else None
            if label:
                record = f"{record}（{label}）"
        except (KeyError, IndexError, TypeError):
            pass
        loc = loc[2:]
    if loc:
        field_name = ".".join(str(x) for x in loc)
    kind = err["type"]
    message = {"extra_forbidden": "不允许的字段", "missing": "缺少必填字段"}.get(kind, f"取值不合法：{err['msg']}")
    return CheckerInputError(message, Location(source, record=record, field=field_name), code="INPUT-FORMAT")


def load_places(path: str | Path = DEFAULT_PLACES) -> Places:
    """Load and validate a places file (extra keys forbidden, parents and prefixes consistent)."""
    from pydantic import ValidationError

    source = str(path)
    data = load_yaml(path)
    try:
        model = _models().model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, "places", data) from None
    places = tuple(
        Place(p.name, p.level, p.parent, p.code, tuple(p.abbreviations), tuple(p.doc_prefixes), tuple(p.issuers))
        for p in model.places
    )
    seen: dict[str, str] = {}
    names = {p.name for p in places}
    for i, p in enumerate(places, 1):
        where = Location(source, record=f"第{i}条（{p.name}）")
        if p.name in seen:
            raise CheckerInputError(f"地名重复：{p.name}", where, code="INPUT-FORMAT")
        seen[p.name] = p.name
        if p.name[-1] != LEVEL_CHAR[p.level]:
            raise CheckerInputError(
                f"地名“{p.name}”与级别 {p.level} 不符（应以“{LEVEL_CHAR[p.level]}”结尾）",
                Location(source, record=where.record, field="level"),
                code="INPUT-FORMAT",
            )
        if p.parent is not None and p.parent not in names:
            raise CheckerInputError(
                f"上级地名“{p.parent}”未定义",
                Location(source, record=where.record, field="parent"),
                code="INPUT-FORMAT",
            )
    owner: dict[str, str] = {}
    for p in places:
        for prefix in p.doc_prefixes:
            if prefix in owner:
                raise CheckerInputError(
                    f"发文机关代字“{prefix}”同时属于 {owner[prefix]} 和 {p.name}",
                    Location(source, field="doc_prefixes"),
                    code="INPUT-FORMAT",
                )
            owner[prefix] = p.name
    return Places(source, places, tuple(model.prefix_tails))


@lru_cache(maxsize=4)
def default_places() -> Places:
    """The bundled Henan/Nanyang table, loaded once (and kept validated in checker's cache between runs)."""
    from checker.core import cache

    key = cache.data_key(DEFAULT_PLACES)
    places = cache.load("places", key) if key else None
    if not isinstance(places, Places):
        places = load_places(DEFAULT_PLACES)
        if key:
            cache.store("places", key, places, kept=4)
    return places


def place_of_issuer(name: str, places: Places | None = None) -> str | None:
    return (places or default_places()).place_of_issuer(name)


def place_of_prefix(prefix: str, places: Places | None = None) -> str | None:
    return (places or default_places()).place_of_prefix(prefix)


def level_of(place: str, places: Places | None = None) -> str | None:
    return (places or default_places()).level_of(place)
