"""The reference plan (安顺市2023年度未成年人保护工作要点), task by task."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutygraph import read_workplan
from dutygraph.graph.records import Document

L, S, R = "lead", "support", "responsible"
MEMBERS, OTHERS, OFFICE = "未保委成员单位", "未保委其他成员单位", "未保委办公室"

# number -> (section, title, [(unit, role), ...]) read off the document by hand.
EXPECTED: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "1": ("一", "加强理论学习", [(OFFICE, L), (MEMBERS, S)]),
    "2": ("一", "完善工作机制", [(OFFICE, L), (MEMBERS, S)]),
    "3": ("一", "健全法规政策", [("市民政局", R), ("市卫生健康局", R)]),
    "4": (
        "一",
        "强化系统推进",
        [
            ("市发改委", R),
            ("市委宣传部", R),
            ("市委政法委", R),
            ("市民政局", R),
            ("市农业农村局", R),
            ("市文明办", R),
            ("市妇联", R),
            ("团市委", R),
        ],
    ),
    "5": (
        "一",
        "加强宣传引导",
        [
            ("市委宣传部", R),
            ("市委网信办", R),
            ("市中级人民法院", R),
            ("市人民检察院", R),
            ("市公安局", R),
            ("市民政局", R),
            ("团市委", R),
            ("市司法局", R),
            ("市妇联", R),
        ],
    ),
    "6": ("一", "加强督促落实", [(OFFICE, L), (MEMBERS, S)]),
    "7": ("二", "加强家庭教育指导", [("市妇联", L), ("市教育局", L), ("市民政局", L), (OTHERS, S)]),
    "8": (
        "二",
        "加强家庭监护支持",
        [
            ("市民政局", R),
            ("市人力资源社会保障局", R),
            ("市卫生健康局", R),
            ("市住房和城乡建设局", R),
        ],
    ),
    "9": (
        "二",
        "做好重点对象关爱",
        [
            ("市民政局", L),
            ("市教育局", S),
            ("市文体广电旅游局", S),
            ("市公安局", S),
            ("市卫生健康局", S),
            ("团市委", S),
            ("市妇联", S),
            ("市残联", S),
            ("市关工委", S),
        ],
    ),
    "10": (
        "三",
        "加强基础教育保障",
        [
            ("市教育局", L),
            ("市发改委", S),
            ("市财政局", S),
            ("市卫生健康局", S),
            ("市民政局", S),
            ("市农业农村局", S),
            ("团市委", S),
            ("市妇联", S),
            ("市残联", S),
            ("市关工委", S),
        ],
    ),
    "11": ("三", "坚持五育并举", [("市教育局", L), ("市卫生健康局", S), ("市文体广电旅游局", S)]),
    "12": (
        "三",
        "加强校园安全管理",
        [
            ("市教育局", L),
            ("市委政法委", S),
            ("市公安局", S),
            ("市应急管理局", S),
            ("市消防救援支队", S),
        ],
    ),
    "13": (
        "四",
        "落实优先保护规定",
        [
            ("市委宣传部", R),
            ("市交通运输局", R),
            ("市文体广电旅游局", R),
            ("市应急管理局", R),
            ("市教育局", R),
            ("市科协", R),
        ],
    ),
    "14": (
        "四",
        "加强社会环境治理",
        [
            ("市人民检察院", R),
            ("市教育局", R),
            ("市公安局", R),
            ("市民政局", R),
            ("市人力资源社会保障局", R),
            ("市文体广电旅游局", R),
            ("市卫生健康局", R),
            ("市应急管理局", R),
            ("市市场监管局", R),
            ("市大数据局", R),
            ("市消防救援支队", R),
        ],
    ),
    "15": ("四", "加强心理服务", [(OFFICE, L), (MEMBERS, S)]),
    "16": (
        "五",
        "加强网络环境治理",
        [
            ("市委网信办", L),
            ("市教育局", S),
            ("市公安局", S),
            ("市文体广电旅游局", S),
            ("市大数据局", S),
        ],
    ),
    "17": (
        "五",
        "强化网络安全保护",
        [
            ("市委网信办", L),
            ("市教育局", S),
            ("市公安局", S),
            ("市文体广电旅游局", S),
            ("团市委", S),
            ("市大数据局", S),
        ],
    ),
    "18": (
        "六",
        "履行兜底监护责任",
        [
            ("市民政局", L),
            ("市发改委", S),
            ("市教育局", S),
            ("市文体广电旅游局", S),
            ("市住房和城乡建设局", S),
            ("市卫生健康局", S),
        ],
    ),
    "19": (
        "六",
        "加大基本民生保障",
        [
            ("市教育局", R),
            ("市民政局", R),
            ("市财政局", R),
            ("市人力资源社会保障局", R),
            ("市卫生健康局", R),
            ("市医保局", R),
            ("市残联", R),
        ],
    ),
    "20": (
        "六",
        "加强服务能力建设",
        [
            ("市发改委", R),
            ("市教育局", R),
            ("市民政局", R),
            ("市财政局", R),
            ("市住房和城乡建设局", R),
            ("市卫生健康局", R),
            ("市妇联", R),
        ],
    ),
    "21": (
        "七",
        "打击涉未成年人犯罪",
        [("市人民检察院", L), ("市中级人民法院", R), ("市公安局", R)],
    ),
    "22": (
        "七",
        "依法办理涉未成年人案件",
        [("市人民检察院", L), ("市中级人民法院", R), ("市公安局", R)],
    ),
    "23": (
        "七",
        "做好未成年人司法援助",
        [
            ("市人民检察院", L),
            ("市中级人民法院", R),
            ("市公安局", R),
            ("市司法局", R),
            ("团市委", R),
        ],
    ),
}


@pytest.fixture(scope="module")
def seed(seed_doc: Document) -> Document:
    return seed_doc


def test_seed_metadata(seed: Document) -> None:
    assert seed.id == "anshun_2023"
    assert seed.title == "安顺市2023年度未成年人保护工作要点"
    assert seed.issuer == "市未成年人保护委员会办公室"
    assert seed.date == "2023-03-31"
    assert seed.doc_no is None
    assert seed.encoding == "utf-8"
    assert seed.rules == {"first_listed_is_lead": False}
    assert len(seed.sha256) == 64


def test_seed_counts(seed: Document) -> None:
    assert len(seed.tasks) == 23
    assert [s.number for s in seed.sections] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [s.title for s in seed.sections] == [
        "加强统筹谋划",
        "加强家庭保护",
        "加强学校保护",
        "加强社会保护",
        "加强网络保护",
        "加强政府保护",
        "加强司法保护",
    ]
    assert len(seed.assignments) == 121
    roles = [a.role for a in seed.assignments]
    assert (roles.count(L), roles.count(S), roles.count(R)) == (17, 42, 62)


@pytest.mark.parametrize("number", list(EXPECTED))
def test_seed_task(seed: Document, number: str) -> None:
    section, title, pairs = EXPECTED[number]
    task = seed.task(number)
    assert task is not None
    assert task.uid == f"anshun_2023#{number}"
    assert (task.section, task.title) == (section, title)
    assert [(a.unit, a.role) for a in task.assignments] == pairs
    assert task.text.startswith(f"{number}.{title}。")
    assert task.text == seed.text[task.span[0] : task.span[1]]


def test_seed_aliases_and_typo(seed: Document) -> None:
    written = {(a.as_written, a.unit) for a in seed.assignments}
    assert ("市卫生健康委", "市卫生健康局") in written
    assert ("市发展改革委", "市发改委") in written
    assert ("市住房城乡建设局", "市住房和城乡建设局") in written
    assert ("市未保委办公室", OFFICE) in written
    assert ("市教育", "市教育局") in written
    assert ("市未保委其他成员单位", OTHERS) in written
    typo = [w for w in seed.warnings if w.code == "alias-by-similarity"]
    assert len(typo) == 1
    assert "市教育" in typo[0].message and "市教育局" in typo[0].message
    assert seed.text[typo[0].span[0] : typo[0].span[1]] == "市教育"


def test_seed_provenance(seed: Document) -> None:
    for a in seed.assignments:
        assert seed.text[a.span[0] : a.span[1]] == a.as_written
        assert a.as_written in a.clause
        assert a.clause in seed.text
    seven = seed.task("7")
    assert seven is not None
    assert (
        seven.assignments[0].clause
        == "牵头单位:市妇联、市教育局、市民政局,配合单位: 市未保委其他成员单位"
    )


def test_seed_collectives_whole(seed: Document) -> None:
    collectives = {a.unit for a in seed.assignments if a.collective}
    assert collectives == {MEMBERS, OTHERS}
    kinds = {u.name: u.kind for u in seed.units}
    assert kinds["市委宣传部"] == "party"
    assert kinds["市中级人民法院"] == "court"
    assert kinds["市人民检察院"] == "procuratorate"
    assert kinds["团市委"] == "mass"
    assert kinds[OFFICE] == "office"
    assert kinds["市民政局"] == "government"
    assert kinds[MEMBERS] == "collective"


def test_body_phrase_does_not_double_count_item_6(seed: Document) -> None:
    """Item 6's body says 由市未保委办公室牵头，委员会其他成员单位配合; its labelled clause wins."""
    six = seed.task("6")
    assert six is not None
    assert len(six.assignments) == 2
    assert "由市未保委办公室牵头" in six.text


@pytest.mark.parametrize(
    ("codec", "reported"),
    [("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_seed_in_other_encodings(seed: Document, tmp_path: Path, codec: str, reported: str) -> None:
    path = tmp_path / "anshun_2023.txt"
    path.write_bytes(seed.text.encode(codec))
    doc = read_workplan(path)
    assert doc.encoding == reported
    assert doc.text == seed.text
    assert doc.tasks == seed.tasks
