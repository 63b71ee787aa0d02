import pytest

from checker.core.errors import CheckerInputError
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
        ("新乡市人民政府", None),
        ("新县人民政府", None),
        ("邓州市住房和城乡建设局", "邓州市"),
    ],
)
def test_place_of_issuer(issuer, place):
    assert place_of_issuer(issuer) == place


def test_levels():
    assert [level_of(p) for p in ("河南省", "南阳市", "宛城区", "新野县", "邓州市", "宛", "豫", "新乡市")] == [
        "province",
        "city",
        "district",
        "county",
        "county_city",
        "city",
        "province",
        None,
    ]
    places = default_places()
    assert places.get("新野县").code == "411329"
    assert places.get("新野县").parent == "南阳市"
    assert len([p for p in places.places if p.parent == "南阳市"]) == 13


def write(tmp_path, body):
    path = tmp_path / "places.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, expected",
    [
        ("version: 1\nplaces:\n  - {name: 新野县, level: county, colour: red}\n", "不允许的字段"),
        ("version: 1\nplaces:\n  - {name: 新野县, level: town}\n", "取值不合法"),
        ("version: 1\nplaces:\n  - {name: 新野县, level: county, parent: 南阳市}\n", "上级地名“南阳市”未定义"),
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
