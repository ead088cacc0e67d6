"""The gazetteer: shipped aliases, similarity with warnings, user alias files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutygraph.errors import GazetteerError
from dutygraph.graph.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(
    ("written", "canonical", "method"),
    [
        ("市卫生健康委", "市卫生健康局", "alias"),
        ("市发展改革委", "市发改委", "alias"),
        ("市住房城乡建设局", "市住房和城乡建设局", "alias"),
        ("市未保委办公室", "未保委办公室", "alias"),
        ("共青团安顺市委", "团市委", "pattern"),
        ("县卫健委", "县卫生健康局", "alias"),
        ("最高检", "最高人民检察院", "alias"),
        ("国家卫健委", "国家卫生健康委", "alias"),
        ("市 民政局", "市民政局", "exact"),
        ("市教育", "市教育局", "similar"),
        ("市人民检察院院", "市人民检察院", "similar"),
    ],
)
def test_resolve(gaz: Gazetteer, written: str, canonical: str, method: str) -> None:
    r = gaz.resolve(written)
    assert (r.name, r.method) == (canonical, method)


@pytest.mark.parametrize("written", ["县教育局", "市体育局", "区民政局", "市文化广电旅游局"])
def test_similar_but_distinct_units_are_not_merged(gaz: Gazetteer, written: str) -> None:
    assert gaz.resolve(written).name == written


def test_unknown_name_kept_with_kind_guess(gaz: Gazetteer) -> None:
    r = gaz.resolve("市乡村振兴局")
    assert (r.name, r.kind, r.method) == ("市乡村振兴局", "government", "unknown")


def test_ambiguous_name_lists_candidates() -> None:
    gaz = Gazetteer.default().extended(
        {"市儿童福利院": ("市儿童福利院", "government"), "市儿童福利会": ("市儿童福利会", "mass")}
    )
    r = gaz.resolve("市儿童福利")
    assert r.method == "ambiguous"
    assert r.name == "市儿童福利"
    assert r.candidates == ("市儿童福利会", "市儿童福利院")


def test_collectives(gaz: Gazetteer) -> None:
    for name in [
        "各区、县级市",
        "各县(区)人民政府",
        "市未保委其他成员单位",
        "各有关部门",
        "各乡镇",
    ]:
        assert gaz.resolve(name).collective, name
    assert gaz.resolve("各县(区)人民政府").name == "各县（区）人民政府"


def test_user_yaml_aliases(tmp_path: Path, gaz: Gazetteer) -> None:
    f = tmp_path / "a.yaml"
    f.write_text('units:\n  office:\n    - ["市妇儿工委办", "妇儿工委"]\n', encoding="utf-8")
    assert gaz.with_alias_file(f).resolve("妇儿工委").name == "市妇儿工委办"


def test_user_csv_overrides_shipped(tmp_path: Path, gaz: Gazetteer) -> None:
    f = tmp_path / "a.csv"
    f.write_text("name,alias,kind\n市卫生健康委,市卫健委,government\n", encoding="utf-8")
    assert gaz.with_alias_file(f).resolve("市卫健委").name == "市卫生健康委"


def test_conflicting_alias_in_one_file_is_an_error(tmp_path: Path, gaz: Gazetteer) -> None:
    f = tmp_path / "a.csv"
    f.write_text("name,alias\n市教育局,教育口\n市体育局,教育口\n", encoding="utf-8")
    with pytest.raises(
        GazetteerError, match=r"a.csv:3: alias 教育口 points to both 市教育局 and 市体育局"
    ):
        gaz.with_alias_file(f)


def test_bad_alias_files(tmp_path: Path, gaz: Gazetteer) -> None:
    with pytest.raises(GazetteerError, match="cannot read alias file"):
        gaz.with_alias_file(tmp_path / "missing.csv")
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(GazetteerError, match="unsupported alias file"):
        gaz.with_alias_file(f)
    y = tmp_path / "a.yaml"
    y.write_text("units: [\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="not valid YAML"):
        gaz.with_alias_file(y)
