import os

import pytest

from checker.core.errors import CheckerInputError
from checker.domains.documents.text.places import LEVEL_LABELS as LEVELS
from checker.domains.documents.text.places import (
    default_places,
    level_of,
    load_places,
    place_of_issuer,
    place_of_prefix,
)


@pytest.mark.parametrize(
    "prefix, place",
    [
        ("新政办", "新野县"),
        ("新政", "新野县"),
        ("新工改办", "新野县"),
        ("新住建", "新野县"),
        ("新政办函", "新野县"),
        ("宛政", "南阳市"),
        ("宛政办", "南阳市"),
        ("宛建", "南阳市"),
        ("宛建行规", "南阳市"),
        ("豫政", "河南省"),
        ("豫政办", "河南省"),
        ("豫建", "河南省"),
        ("豫政办发", "河南省"),
        ("新乡", None),
        ("新郑政", None),
        ("新", None),
        ("新蔡政", None),
        ("宛建行", None),
        ("国办发", None),
    ],
)
def test_place_of_prefix(prefix, place):
    assert place_of_prefix(prefix) == place


@pytest.mark.parametrize(
    "issuer, place",
    [
        ("新野县人民政府办公室", "新野县"),
        ("新野县住房和城乡建设局", "新野县"),
        ("南阳市自然资源和规划局", "南阳市"),
        ("河南省住房和城乡建设厅", "河南省"),
        ("新乡市人民政府", "新乡市"),  # another 新 place: matched whole, never by its first character
        ("新县人民政府", "新县"),
        ("邓州市住房和城乡建设局", "邓州市"),
        ("中共新野县委", "新野县"),
        ("县人民政府", None),  # a bare level word names no place
        ("住房和城乡建设局", None),
    ],
)
def test_place_of_issuer(issuer, place):
    assert place_of_issuer(issuer) == place


@pytest.mark.parametrize(
    "issuer, place, level, parent",
    [
        ("遂宁市人民政府办公室", "遂宁市", "city", "四川省"),
        ("咸安区人民政府", "咸安区", "district", "咸宁市"),
        ("寿县人民政府督查室", "寿县", "county", "淮南市"),
        ("湖南省人民政府办公厅", "湖南省", "province", None),
        ("长春市朝阳区人民政府", "朝阳区", "district", "长春市"),  # a chain of names: the deepest one
        ("北京市朝阳区住房和城乡建设委员会", "朝阳区", "district", "北京市"),
        ("恩施州人民政府", "恩施土家族苗族自治州", "city", "湖北省"),  # an autonomous prefecture by its short form
        ("襄樊市人民政府", "襄樊市", "city", None),  # the name before 2010
        ("潮州市人民政府办公室", "潮州市", "city", "广东省"),
        ("新野县新甸铺镇人民政府", "新野县新甸铺镇人民政府"[3:], "township", "新野县"),
    ],
)
def test_the_national_table_gives_any_places_level(issuer, place, level, parent):
    found = default_places().issuer_place(issuer)
    assert (found.name, found.level, found.parent) == (place, level, parent)


def test_a_township_issuer_is_recognised_by_its_suffix_alone():
    found = default_places().issuer_place("城郊乡人民政府")
    assert (found.level, found.parent) == ("township", None)
    assert default_places().issuer_place("县城管理局") is None


def test_the_national_table_says_where_it_comes_from():
    from checker.domains.documents.text.places import NATIONAL_PLACES

    head = NATIONAL_PLACES.read_text(encoding="utf-8").splitlines()[:8]
    assert any(line.startswith("#source\tjionlp 1.5.31\t") for line in head)
    places = default_places()
    counts = {level: sum(1 for p in places.places if p.level == level and p.until is None) for level in LEVELS}
    assert counts["province"] == 34 and counts["city"] > 330 and counts["county"] > 1400 and counts["district"] > 900


def test_levels():
    places = ("河南省", "南阳市", "宛城区", "新野县", "邓州市", "宛", "豫", "新乡市", "鼓楼区", "北平市")
    assert [level_of(p) for p in places] == [
        "province",
        "city",
        "district",
        "county",
        "county_city",
        "city",
        "province",
        "city",
        "district",  # four 鼓楼区 in four cities: one level
        None,
    ]
    places = default_places()
    assert places.get("新野县").code == "411329"
    assert places.get("新野县").parent == "南阳市"
    assert places.get("新野县").local and places.get("新野县").doc_prefixes == ("新政", "新政办", "新工改办", "新住建")
    assert len([p for p in places.places if p.parent == "南阳市"]) == 15  # 13 counties and districts, 2 zones


def write(tmp_path, body):
    path = tmp_path / "places.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, expected",
    [
        ("version: 1\nplaces:\n  - {name: 新野县, level: county, colour: red}\n", "不允许的字段"),
        ("version: 1\nplaces:\n  - {name: 新野县, level: town}\n", "取值不合法"),
        ("version: 1\nplaces:\n  - {name: 新野县, level: county, parent: 北平市}\n", "上级地名“北平市”未定义"),
        ("version: 1\nplaces:\n  - {name: 新野县, level: city}\n", "与级别"),
        (
            "version: 1\nplaces:\n  - {name: 新野县, level: county, doc_prefixes: [新政]}\n"
            "  - {name: 新乡市, level: city, doc_prefixes: [新政]}\n",
            "同时属于",
        ),
        ("version: 1\nplaces: [\n", "YAML 格式错误"),
        ("base: &a {x: 1}\nother: *a\n", "别名"),
    ],
)
def test_bad_place_files_name_the_file(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(CheckerInputError) as info:
        load_places(path)
    assert expected in info.value.message
    assert info.value.one_line().startswith(str(path))


def test_extra_key_error_names_record_and_field(tmp_path):
    path = write(tmp_path, "version: 1\nplaces:\n  - {name: 新野县, level: county, colour: red}\n")
    with pytest.raises(CheckerInputError) as info:
        load_places(path)
    assert info.value.location.record == "第1条（新野县）"
    assert info.value.location.field == "colour"


def test_a_pickled_place_table_keeps_national_places_packed_until_looked_up():
    import pickle

    from checker.domains.documents.text.places import Place, default_places

    table = default_places()
    data = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
    loaded = pickle.loads(data)
    packed = sum(1 for row in loaded.rows if isinstance(row, str))
    assert packed > 3000 and all(isinstance(row, Place) for row in loaded.rows if not isinstance(row, str))
    assert all(row.local or row.doc_prefixes or row.issuers for row in loaded.rows if isinstance(row, Place))
    for name in ("新野县", "恩施州", "鼓楼区", "宛", "朝阳区", "襄樊市"):
        assert loaded.level_of(name) == table.level_of(name)
        assert loaded.candidates(name) == table.candidates(name)
    assert loaded.issuer_place("长春市朝阳区人民政府") == table.issuer_place("长春市朝阳区人民政府")
    assert sum(1 for row in loaded.rows if isinstance(row, str)) < packed  # made by those lookups
    assert loaded.places == table.places and loaded.names_longest_first == table.names_longest_first
    again = pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    assert sum(1 for row in again.rows if isinstance(row, str)) == packed  # packed again when stored


@pytest.mark.parametrize(
    "place",
    [
        ("新野县", "county", "南阳市", "411329"),
        ("襄樊市", "city", "湖北省", None, (), (), (), ("襄阳",), "2010-12-09"),
        ("鼓楼区", "district", None, None, ("鼓",), ("鼓政",), ("鼓楼区人民政府",), ("鼓楼", "鼓"), None, True),
        ("X区", "district", "", None),  # "" is not None: kept as a place, not packed
        ("X区", "district", None, None, ("",)),  # an empty item would not come back
        ("X\t区", "district", None, None),  # a separator in a value
        ("X区", "district", None, None, ("a\x1fb",)),
    ],
)
def test_a_packed_place_comes_back_equal(place):
    from checker.domains.documents.text.places import Place, _pack, _unpack

    place = Place(*place)
    row = _pack(place)
    assert (row if isinstance(row, Place) else _unpack(row)) == place
    assert isinstance(row, Place) == (place.name.startswith("X"))


def test_the_local_names_are_in_the_same_order_whatever_the_hash_seed():
    """The agency pattern is built from these names and kept compiled between runs under its text: an order that
    changed with the process's string hashing made every start compile it anew (5 ms) and store another copy."""
    import subprocess
    import sys

    code = (
        "from checker.domains import install; install()\n"
        "from checker.domains.documents.text.places import Places, default_places\n"
        "table = default_places()\n"
        "rebuilt = Places.build('t', table.places)\n"
        "print('|'.join(rebuilt.names_longest_first))\n"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "CHECKER_NO_CACHE": "1"},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(orders) == 1
    names = orders.pop().strip().split("|")
    assert len(names) > 10 and names == sorted(names, key=lambda n: (-len(n), n))
