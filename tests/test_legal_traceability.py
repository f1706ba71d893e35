"""docs/legal-traceability.md cannot rot (issue 17, point 9): every clause of the bureau's rules and every national
article the shipped rule sets and the lifecycle cite has a row; every test, module and name a row gives exists.

The rules file numbers its clauses 一、 二、 三、 (sections), 1、 2、 … (clauses, some indented with ASCII or
ideographic spaces, or by a no-break space) and （1） (items, once as "(4）" with an ASCII opening parenthesis). The parser takes every
one of these forms and checks that each level runs 1, 2, 3 … without a gap, so a clause it failed to read shows up
as a gap instead of as a clause silently without a row."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.rules.data.rulesets import RULE_SETS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "legal-traceability.md"
RULES = ROOT / "docs" / "zengdu-complaint-rules.txt"
SHARED_RULES = ROOT.parent / "shared" / "rules" / "zengdu-complaint-rules.txt"

SECTIONS = "一二三四五六七八九十"
SECTION = re.compile(rf"^([{SECTIONS}]+)[、.．]")
CLAUSE = re.compile(r"^(\d+)\s*[、.．](?!\d)")
ITEM = re.compile(r"^[（(](\d+)[）)]")
ROW = re.compile(r"^\|(?!\s*-)(.+)\|\s*$")
TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(\w+)")
CODE_REF = re.compile(r"`(xiaobao/[\w/]*\w)(\.py)?(?:::(\w+))?`")
# An article as the rule sets and the lifecycle cite it: the short code or the title, the article, its 款 and 项.
ARTICLE = re.compile(r"(SAMR-\d{4}|《[^》]+》)\s*(第[一二三四五六七八九十百零]+条)((?:第[一二三四五六七八九十]+款)?)"
                     r"((?:第（[一二三四五六七八九十]+）项)?)")


def rule_clauses(text: str) -> list[str]:
    """The clauses of the rules file in order: "一", "一.1", "一.1（1）", …"""
    out: list[str] = []
    section = clause = None
    numbers: dict[str, list[int]] = {}
    for raw in text.splitlines():
        line = raw.replace("\ufeff", "").strip()  # str.strip() takes NBSP and ideographic spaces too
        if m := SECTION.match(line):
            section, clause = m.group(1), None
            numbers.setdefault("", []).append(SECTIONS.index(section) + 1)
            out.append(section)
        elif section and (m := CLAUSE.match(line)):
            clause = f"{section}.{int(m.group(1))}"
            numbers.setdefault(section, []).append(int(m.group(1)))
            out.append(clause)
        elif clause and (m := ITEM.match(line)):
            numbers.setdefault(clause, []).append(int(m.group(1)))
            out.append(f"{clause}（{int(m.group(1))}）")
    for parent, seen in numbers.items():
        assert seen == list(range(1, len(seen) + 1)), f"the numbering under {parent or 'the sections'} has a gap: {seen}"
    return out


def _cell(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("`", "")).replace("(", "（").replace(")", "）")


@functools.cache
def rows() -> list[list[str]]:
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if (m := ROW.match(line.strip())) and not line.strip().startswith("|---"):
            cells = [c.strip() for c in m.group(1).split("|")]
            if cells[0] not in ("Clause", "Article"):
                out.append(cells)
    return out


@functools.cache
def _names(path: Path) -> frozenset[str]:
    """The functions, classes and module-level names a Python file defines (read from its syntax tree)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def cited_articles() -> set[str]:
    """Every article the shipped rule sets (data and basis) and the lifecycle's actions cite."""
    texts = [repr(rs["data"]) + rs["basis"] for rs in RULE_SETS] + [t.basis for t in TRANSITIONS.values()]
    return {"".join(m.groups()) for text in texts for m in ARTICLE.finditer(text)}


# ---------------------------------------------------------------- the parser itself


def test_the_parser_reads_every_numbering_form_of_the_rules_file():
    sample = ("题目\n一、职责 \n1、消保股 \n（1）甲 \n(2）乙\n 2、股室\n\u3000 3、所\n（1）丙\n二、程序\n1、分派：\n"
              "（1）受理 \n\xa02、受理处置：\n对属于……7个工作日内……\n（1）确定管辖\n三、纪律\n1、 服务\n")
    assert rule_clauses(sample) == ["一", "一.1", "一.1（1）", "一.1（2）", "一.2", "一.3", "一.3（1）", "二", "二.1",
                                    "二.1（1）", "二.2", "二.2（1）", "三", "三.1"]
    with pytest.raises(AssertionError, match="gap"):
        rule_clauses("一、职责\n1、甲\n3、丙\n")


def test_the_rules_file_has_its_three_sections_and_every_numbered_clause():
    clauses = rule_clauses(RULES.read_text(encoding="utf-8"))
    assert [c for c in clauses if "." not in c] == ["一", "二", "三"]
    assert {"一.1（8）", "一.3（4）", "二.1（2）", "二.2（3）", "二.7", "三.6"} <= set(clauses)
    assert len(clauses) == len(set(clauses)) == 37  # 3 sections, 16 in 一, 12 in 二, 6 in 三


def test_the_copy_of_the_rules_in_the_repository_is_the_bureaus_file():
    if not SHARED_RULES.exists():
        pytest.skip("the shared rules file is not on this machine")
    assert RULES.read_bytes() == SHARED_RULES.read_bytes()


# ---------------------------------------------------------------- every clause and article has a row


def test_every_clause_of_the_rules_has_a_row():
    documented = {_cell(r[0]) for r in rows()}
    missing = [c for c in rule_clauses(RULES.read_text(encoding="utf-8")) if c not in documented]
    assert not missing, f"clauses of the rules with no row in {DOC.name}: {missing}"


def test_every_national_article_the_system_cites_has_a_row():
    documented = {_cell(r[0]) for r in rows()}
    missing = sorted(a for a in cited_articles() if a not in documented)
    assert not missing, f"articles cited by the rule sets or the lifecycle with no row in {DOC.name}: {missing}"


# ---------------------------------------------------------------- every reference is real


def test_every_test_a_row_names_exists():
    refs = {(f, name) for r in rows() for f, name in TEST_REF.findall(r[3])}
    assert len(refs) > 50
    bad = [f"{f}::{name}" for f, name in sorted(refs)
           if not (ROOT / f).is_file() or not name.startswith("test_") or name not in _names(ROOT / f)]
    assert not bad, f"tests named in {DOC.name} that do not exist: {bad}"


def test_every_module_and_name_a_row_gives_exists():
    bad = []
    for r in rows():
        for module, py, name in CODE_REF.findall(r[2]):
            path = ROOT / (module + py)
            if not (path.is_file() if py else path.is_dir()) or (name and name not in _names(path)):
                bad.append(f"{module}{py}::{name}" if name else module + py)
    assert not bad, f"code named in {DOC.name} that does not exist: {bad}"


def test_a_row_that_names_code_names_a_test_and_one_without_says_why():
    for r in rows():
        assert len(r) == 4, r
        has_code, has_test = bool(CODE_REF.search(r[2])), bool(TEST_REF.search(r[3]))
        assert has_code == has_test or has_test, r
        if not has_code and not has_test:
            assert r[2] == "—" and r[3].startswith("— (") and len(r[3]) > 8, f"say why {r[0]} has no code: {r}"
