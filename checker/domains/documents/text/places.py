"""Place data (checker/domains/documents/data/places/): levels, abbreviations, doc-number prefixes, issuers.

The national table (china.tsv, every province-, prefecture- and county-level division, generated from jionlp)
says which level a place is; the local files say what it lacks (豫 and 宛, the 发文机关代字 新政办, issuer names)
and win where both speak; conventions.yaml holds what is true everywhere (乡镇 suffixes, leadership bodies).

Kept as data because which codes a county uses is a local fact, and because
several Henan places start with 新 (新乡, 新郑, 新密, 新安, 新县, 新蔡): lookups
match whole names and whole prefix codes, never a shared first character.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from checker.core.errors import CheckerInputError, Location
from checker.core.plain import field, plain

PLACES_DIR = Path(__file__).resolve().parents[1] / "data" / "places"
DEFAULT_PLACES = PLACES_DIR / "henan-nanyang.yaml"
NATIONAL_PLACES = PLACES_DIR / "china.tsv"  # generated from jionlp by scripts/build_places.py
CONVENTIONS = PLACES_DIR / "conventions.yaml"
Level = Literal["province", "city", "district", "county", "county_city", "township"]
LEVEL_LABELS = {
    "province": "省级",
    "city": "市级",
    "district": "区级",
    "county": "县级",
    "county_city": "县级市",
    "township": "乡镇级",
}
# The level word each level's own documents use for themselves (我省/我市/我县/我区/我镇).
LEVEL_CHAR = {"province": "省", "city": "市", "district": "区", "county": "县", "county_city": "市", "township": "镇"}
_LEVEL_ENDINGS = {"province": "省市区", "city": "市州盟区", "district": "区", "county": "县旗区", "county_city": "市"}


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
        aliases: list[str] = []
        doc_prefixes: list[str] = []
        issuers: list[str] = []

    class PlacesFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        version: Literal[1]
        prefix_tails: list[str] = []
        # what a 乡镇 issuer's name ends with (新甸铺镇人民政府): its level without a township table
        township_suffixes: list[str] = []
        # a higher level's leadership bodies (省委, 市政府, 市政府办公室 …) are how documents name their
        # superiors, not functional agencies copied from another level's text
        leadership_bodies: list[str] = []
        places: list[PlaceModel] = []

    return PlacesFile


_PLACE_FIELDS = (
    "name",
    "level",
    "parent",
    "code",
    "abbreviations",
    "doc_prefixes",
    "issuers",
    "aliases",
    "until",
    "local",
)


class Place(tuple):
    """One administrative division (a tuple: the national table's 3,600 of them unpickle at C speed, a frozen
    class's took 20 ms of every start).  Written out rather than as a `typing.NamedTuple`, whose string
    annotations are compiled one by one when the module is imported (with the compiler's first-use cost, about
    1 ms of every lint).

    name, level, parent (the division above, or None), code (the administrative code, or None); abbreviations,
    doc_prefixes (发文机关代字), issuers and aliases (short forms in use: 恩施州 for 恩施土家族苗族自治州) as
    tuples of strings; until: a former name, renamed on this date (ISO); local: from a local places file (wins
    over the national table)."""

    __slots__ = ()

    def __new__(
        cls,
        name: str,
        level: str,
        parent: str | None,
        code: str | None,
        abbreviations: tuple[str, ...] = (),
        doc_prefixes: tuple[str, ...] = (),
        issuers: tuple[str, ...] = (),
        aliases: tuple[str, ...] = (),
        until: str | None = None,
        local: bool = False,
    ) -> Place:
        return tuple.__new__(
            cls, (name, level, parent, code, abbreviations, doc_prefixes, issuers, aliases, until, local)
        )

    def __repr__(self) -> str:
        return "Place(" + ", ".join(f"{k}={v!r}" for k, v in zip(_PLACE_FIELDS, self)) + ")"

    def __reduce__(self):
        """Rebuilt by `tuple.__new__`, a C call: the default goes through the class's Python `__new__`, a
        third of loading the national table's 3,600 places at every start."""
        return (tuple.__new__, (Place, tuple(self)))

    @property
    def stem(self) -> str:
        """Name without its level word: 新野县 -> 新野."""
        return self.name[:-1]


for _index, _name in enumerate(_PLACE_FIELDS):
    setattr(Place, _name, property(itemgetter(_index), doc=f"field {_index}: {_name}"))
del _index, _name


def _candidate_order(place: Place) -> tuple[bool, bool]:
    return (not place.local, place.until is not None)


def _stored(place: Place) -> str | Place:
    """How a place is kept in a table: local places and those with 发文机关代字 or issuers as they are (the
    prefix and issuer indexes hold them), every other one packed."""
    return place if place.local or place.doc_prefixes or place.issuers else _pack(place)


_NAME_MAX = 16  # longest place name looked up in an issuer's name (新疆维吾尔自治区 is 8)


_PACK_FIELD = "\t"
_PACK_ITEM = "\x1f"


def _pack(place: Place) -> str | Place:
    """A national place as one string (fields by tab, items by unit separator), or the place itself when a value
    holds a separator: 3,600 strings unpickle in a tenth of the time of 3,600 tuples of strings."""
    parts = [
        _PACK_ITEM.join(v) if isinstance(v, tuple) else "" if v is None else "1" if v is True else str(v) if v else ""
        for v in place
    ]
    items = [item for v in place if isinstance(v, tuple) for item in v]
    if any(_PACK_FIELD in part for part in parts) or any(not item or _PACK_ITEM in item for item in items):
        return place
    if any(isinstance(v, str) and not v for v in (place.parent, place.code, place.until)):
        return place  # "" is how None is packed: an empty string would come back as None
    return _PACK_FIELD.join(parts)


def _unpack(row: str) -> Place:
    name, level, parent, code, abbreviations, doc_prefixes, issuers, aliases, until, local = row.split(_PACK_FIELD)

    def items(text: str) -> tuple[str, ...]:
        return tuple(text.split(_PACK_ITEM)) if text else ()

    return Place(
        name,
        level,
        parent or None,
        code or None,
        items(abbreviations),
        items(doc_prefixes),
        items(issuers),
        items(aliases),
        until or None,
        local == "1",
    )


@plain(eq=False)
class Places:
    """Loaded place table with the lookups rules need: the national divisions, local facts over them.

    Built by `Places.build`.  A national place no lookup has asked for stays a packed string (`_pack`) until one
    does: every start loads the table from checker's cache, and making 3,600 places of it was a tenth of
    linting a short notice.  Places with 发文机关代字 or issuers, and local ones, are always made."""

    source: str
    rows: list  # Place, or the packed string of one
    prefix_tails: tuple[str, ...] = ()
    township_suffixes: tuple[str, ...] = ()
    leadership_bodies: frozenset[str] = frozenset()
    _by_name: dict[str, int | tuple[int, ...]] = field(default_factory=dict, repr=False)  # rows, best first
    _by_prefix: dict[str, Place] = field(default_factory=dict, repr=False)
    _by_issuer: dict[str, Place] = field(default_factory=dict, repr=False)
    _local: tuple[Place, ...] = field(default=(), repr=False)
    names_longest_first: tuple[str, ...] = field(default=(), repr=False)  # local places: named in agency mentions
    cache: dict = field(default_factory=dict, repr=False)  # compiled patterns of finders

    @classmethod
    def build(
        cls,
        source: str,
        places: tuple[Place, ...] | list[Place],
        prefix_tails: tuple[str, ...] = (),
        township_suffixes: tuple[str, ...] = (),
        leadership_bodies: frozenset[str] = frozenset(),
    ) -> Places:
        by_name: dict[str, list[int]] = {}
        by_prefix: dict[str, Place] = {}
        by_issuer: dict[str, Place] = {}
        for i, p in enumerate(places):
            for key in (p.name, *p.aliases):
                by_name.setdefault(key, []).append(i)
            for prefix in p.doc_prefixes:
                by_prefix[prefix] = p
            for issuer in p.issuers:
                by_issuer[issuer] = p
        index: dict[str, int | tuple[int, ...]] = {}
        for key, rows in by_name.items():  # local first, current before former
            rows.sort(key=lambda i: _candidate_order(places[i]))
            index[key] = rows[0] if len(rows) == 1 else tuple(rows)
        local = tuple(p for p in places if p.local)
        # Longest names first so 南阳市 is never read as a shorter name's match; equal lengths in name order, so
        # that the agency pattern built from them is the same text in every run (kept compiled between runs)
        longest = tuple(sorted({p.name for p in local}, key=lambda name: (-len(name), name)))
        rows = [_stored(p) for p in places]
        return cls(
            source,
            rows,
            tuple(prefix_tails),
            tuple(township_suffixes),
            frozenset(leadership_bodies),
            index,
            by_prefix,
            by_issuer,
            local,
            longest,
        )

    def __reduce__(self):
        """Pickled packed (a place made by a lookup goes back to its string) and without its compiled patterns."""
        rows = [_stored(row) if isinstance(row, Place) else row for row in self.rows]
        return (
            Places,
            (
                self.source,
                rows,
                self.prefix_tails,
                self.township_suffixes,
                self.leadership_bodies,
                self._by_name,
                self._by_prefix,
                self._by_issuer,
                self._local,
                self.names_longest_first,
            ),
        )

    def _at(self, i: int) -> Place:
        row = self.rows[i]
        if row.__class__ is str:
            row = self.rows[i] = _unpack(row)
        return row

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place, in the order it was built from."""
        return tuple(self._at(i) for i in range(len(self.rows)))

    def get(self, name: str) -> Place | None:
        """The place of that name (a local one first); one of several when the name is not unique (鼓楼区)."""
        rows = self._by_name.get(name)
        if rows is None:
            return None
        return self._at(rows if rows.__class__ is int else rows[0])

    def candidates(self, name: str) -> list[Place]:
        rows = self._by_name.get(name)
        if rows is None:
            return []
        return [self._at(rows)] if rows.__class__ is int else [self._at(i) for i in rows]

    def level_of(self, place: str) -> str | None:
        """Level of a place given by full name (新野县), alias (恩施州) or abbreviation (宛), else None."""
        candidates = self.candidates(place)
        if candidates:
            levels = {p.level for p in candidates}
            return candidates[0].level if len(levels) == 1 or candidates[0].local else None
        p = next((q for q in self._local if place in q.abbreviations), None)
        return p.level if p else None

    def issuer_place(self, name: str) -> Place | None:
        """The place an issuing body belongs to: a listed issuer, else the deepest chain of place names it starts
        with (长春市朝阳区人民政府 → 朝阳区 of 长春市); a 乡镇 issuer (…镇人民政府) is a township of that place."""
        name = "".join(name.split())
        if name in self._by_issuer:
            return self._by_issuer[name]
        for party in ("中国共产党", "中共"):  # 中共新野县委 is 新野县's
            if name.startswith(party):
                name = name[len(party) :]
                break
        if name in self._by_issuer:
            return self._by_issuer[name]
        found: Place | None = None
        i = 0
        while i < len(name):
            step = None
            for n in range(min(_NAME_MAX, len(name) - i), 1, -1):
                key = name[i : i + n]
                if key in self._by_name:
                    step = (n, self.candidates(key))
                    break
            if step is None:
                break
            n, candidates = step
            if found is not None:
                children = [c for c in candidates if c.parent == found.name]
                if not children:
                    break  # 南阳市新野县 → 新野县; 南阳市城区… stops at 南阳市
                candidates = children
            found = candidates[0]
            i += n
        rest = name[i:]
        if any(rest.endswith(s) or s in rest for s in self.township_suffixes) and self._township(rest):
            return Place(rest, "township", found.name if found else None, None)
        return found

    def _township(self, rest: str) -> bool:
        """Whether what follows the places in an issuer's name is a 乡镇 body (…镇人民政府, …街道办事处)."""
        for suffix in self.township_suffixes:
            head, sep, _ = rest.partition(suffix)
            if sep and 1 <= len(head) <= 8:
                return True
        return False

    def place_of_issuer(self, name: str) -> str | None:
        """Name of the place of an issuing body (see `issuer_place`)."""
        place = self.issuer_place(name)
        return place.name if place else None

    def prefix_forms(self) -> frozenset[str]:
        """Every listed code, alone and with each tail (新政办, 新政办发, 新政办函 ...)."""
        forms = self.cache.get("prefix_forms")
        if forms is None:
            forms = frozenset(c + t for c in self._by_prefix for t in ("", *self.prefix_tails))
            self.cache["prefix_forms"] = forms
        return forms

    def prefix_place(self, prefix: str) -> Place | None:
        """Place of a 发文字号 prefix: the longest listed code the prefix equals, or equals plus a tail (发, 函 ...)."""
        prefix = prefix.strip()
        if prefix in self._by_prefix:
            return self._by_prefix[prefix]
        best: str | None = None
        for code in self._by_prefix:
            if prefix.startswith(code) and prefix[len(code) :] in self.prefix_tails:
                if best is None or len(code) > len(best):
                    best = code
        return self._by_prefix[best] if best else None

    def place_of_prefix(self, prefix: str) -> str | None:
        place = self.prefix_place(prefix)
        return place.name if place else None

    def ancestors(self, place: Place | None) -> dict[str, str]:
        """Level → name of a place and of the places above it (新野县 → 南阳市, 河南省)."""
        out: dict[str, str] = {}
        seen = 0
        while place is not None and seen < 6:
            out.setdefault(place.level, place.name)
            parent = place.parent
            if not parent:
                break
            above = [p for p in self.candidates(parent) if p.until is None]
            place = above[0] if above else None
            seen += 1
        return out


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
    from checker.core.validation import error_text

    message = {"extra_forbidden": "不允许的字段", "missing": "缺少必填字段"}.get(kind, f"取值不合法：{error_text(err)}")
    return CheckerInputError(message, Location(source, record=record, field=field_name), code="INPUT-FORMAT")


def _local_places(path: str | Path) -> tuple[tuple[Place, ...], Any]:
    """Load and validate one local places file (extra keys forbidden, parents and prefixes consistent)."""
    from pydantic import ValidationError

    source = str(path)
    data = load_yaml(path)
    try:
        model = _models().model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, "places", data) from None
    places = tuple(
        Place(
            p.name,
            p.level,
            p.parent,
            p.code,
            tuple(p.abbreviations),
            tuple(p.doc_prefixes),
            tuple(p.issuers),
            tuple(p.aliases),
            local=True,
        )
        for p in model.places
    )
    seen: dict[str, str] = {}
    for i, p in enumerate(places, 1):
        where = Location(source, record=f"第{i}条（{p.name}）")
        if p.name in seen:
            raise CheckerInputError(f"地名重复：{p.name}", where, code="INPUT-FORMAT")
        seen[p.name] = p.name
        if p.name[-1] not in _LEVEL_ENDINGS.get(p.level, LEVEL_CHAR.get(p.level, "")):
            raise CheckerInputError(
                f"地名“{p.name}”与级别 {p.level} 不符（应以“{LEVEL_CHAR[p.level]}”结尾）",
                Location(source, record=where.record, field="level"),
                code="INPUT-FORMAT",
            )
    return places, model


def _national_places(path: Path) -> tuple[Place, ...]:
    """The national table (tab-separated; see scripts/build_places.py)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, level, parent, code, aliases, until = (line.split("\t") + [""] * 6)[:6]
        out.append(
            Place(
                name,
                level,
                parent or None,
                code or None,
                aliases=tuple(a for a in aliases.split("、") if a),
                until=until or None,
            )
        )
    return tuple(out)


def load_places(path: str | Path = DEFAULT_PLACES, national: Path | None = NATIONAL_PLACES) -> Places:
    """A local places file over the national table (and the shared conventions): a local entry replaces the
    national one of the same name (and parent), adding its abbreviations, 发文机关代字 and issuers."""
    local, model = _local_places(path)
    conventions = _local_places(CONVENTIONS)[1] if CONVENTIONS.is_file() and Path(path) != CONVENTIONS else None
    source = str(path)
    base = _national_places(national) if national is not None else ()
    names = {p.name for p in local} | {p.name for p in base}
    for i, p in enumerate(local, 1):
        if p.parent is not None and p.parent not in names:
            raise CheckerInputError(
                f"上级地名“{p.parent}”未定义",
                Location(source, record=f"第{i}条（{p.name}）", field="parent"),
                code="INPUT-FORMAT",
            )
    owner: dict[str, str] = {}
    for p in local:
        for prefix in p.doc_prefixes:
            if prefix in owner:
                raise CheckerInputError(
                    f"发文机关代字“{prefix}”同时属于 {owner[prefix]} 和 {p.name}",
                    Location(source, field="doc_prefixes"),
                    code="INPUT-FORMAT",
                )
            owner[prefix] = p.name
    replaced = {(p.name, p.parent) for p in local} | {(p.name, None) for p in local if p.parent is None}
    merged = [p for p in base if (p.name, p.parent) not in replaced and (p.name, None) not in replaced]
    for p in local:
        national_match = next((q for q in base if q.name == p.name and (p.parent in (None, q.parent))), None)
        if national_match is not None:
            p = Place(
                p.name,
                p.level,
                p.parent or national_match.parent,
                p.code or national_match.code,
                p.abbreviations,
                p.doc_prefixes,
                p.issuers,
                tuple(dict.fromkeys((*p.aliases, *national_match.aliases))),
                local=True,
            )
        merged.append(p)
    rules = [m for m in (conventions, model) if m is not None]
    return Places.build(
        source,
        tuple(merged),
        tuple(dict.fromkeys(t for m in rules for t in m.prefix_tails)),
        tuple(dict.fromkeys(t for m in rules for t in m.township_suffixes)),
        frozenset(b for m in rules for b in m.leadership_bodies),
    )


@lru_cache(maxsize=4)
def default_places() -> Places:
    """The national table with the bundled Henan/Nanyang facts over it, loaded once (and kept validated in
    checker's cache between runs)."""
    from checker.core import cache

    key = cache.data_key(DEFAULT_PLACES, NATIONAL_PLACES, CONVENTIONS)
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
