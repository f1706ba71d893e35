"""The Jinja environment DOCX templates render in: sandboxed, and limited to plain placeholders.

An administrator uploads DOCX templates (admin, 文书模板); docxtpl renders them with Jinja. Jinja's default
environment lets a template reach Python (`{{ lipsum.__globals__['os'].popen('id').read() }}`), so a template
renders here only if every tag in it is of the small language the shipped templates use: `{{ d.field }}`,
`{% if %}` / `{% for x in d.list %}` over the document's data, comparisons, `and`/`or`/`not`, and a few plain
filters. Anything else is refused, naming what is not allowed, at upload and again at every rendering; and the
environment is Jinja's immutable sandbox without globals, in case the check missed something.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The only data a template sees: the document's snapshot (xiaobao.documents.content), passed as `d`.
DATA = "d"
# Filters that only format a value; none of them looks up attributes by a name given in the template.
FILTERS = frozenset({"default", "d", "e", "escape", "length", "count", "upper", "lower", "trim", "title",
                     "capitalize", "first", "last", "string", "join", "truncate", "wordcount"})
TESTS_ALLOWED = frozenset({"defined", "undefined", "none", "number", "string", "true", "false", "odd", "even",
                           "sameas", "eq", "ne", "in"})
TAGS = {nodes.Macro: "{% macro %}", nodes.CallBlock: "{% call %}", nodes.Import: "{% import %}",
        nodes.FromImport: "{% from … import %}", nodes.Include: "{% include %}", nodes.Extends: "{% extends %}",
        nodes.Block: "{% block %}", nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}",
        nodes.With: "{% with %}", nodes.FilterBlock: "{% filter %}", nodes.ExprStmt: "{% do %}",
        nodes.ScopedEvalContextModifier: "{% autoescape %}", nodes.EvalContextModifier: "{% autoescape %}",
        nodes.Scope: "{% with %}", nodes.Continue: "{% continue %}", nodes.Break: "{% break %}"}
# Jinja's own globals, named so that the message says which one was tried.
GLOBALS = ("lipsum", "cycler", "joiner", "namespace", "range", "dict", "self", "config", "request", "url_for",
           "get_flashed_messages", "g", "session")

RULE = "文书模板只能使用 {{ d.字段 }} 形式的占位符，以及对文书数据的 {% if %} 条件和 {% for %} 循环。"


class TemplateRefused(Exception):
    """The template uses something beyond placeholders and simple loops; `message` says what, in Chinese."""

    def __init__(self, found: Iterable[str]):
        self.found = sorted(set(found))
        self.message = f"该模板含有不允许的内容：{'、'.join(self.found)}。{RULE}"
        super().__init__(self.message)


def check(template: nodes.Template) -> None:
    """Raise TemplateRefused if the parsed template uses anything but the plain placeholder language."""
    found: list[str] = []
    _walk(template, frozenset({DATA}), found)
    if found:
        raise TemplateRefused(found)


def _walk(node: nodes.Node, names: frozenset[str], found: list[str]) -> None:
    if type(node) in TAGS:
        found.append(f"标签 {TAGS[type(node)]}")
        return
    if isinstance(node, nodes.For):
        _walk(node.iter, names, found)
        if node.recursive:
            found.append("递归循环")
        inner = names | _targets(node.target, found) | {"loop"}
        for child in [*node.body, *node.else_]:
            _walk(child, inner, found)
        if node.test is not None:
            _walk(node.test, inner, found)
        return
    match node:
        case nodes.Name():
            if node.name not in names:
                found.append(f"“{node.name}”" if node.name in GLOBALS else f"数据以外的变量“{node.name}”")
            return
        case nodes.Getattr():
            if node.attr.startswith("_"):
                found.append(f"以下划线开头的属性“{node.attr}”")
        case nodes.Getitem():
            key = node.arg
            if not isinstance(key, nodes.Const) or not isinstance(key.value, str | int) or isinstance(
                    key.value, bool):
                found.append("计算得出的下标")
            elif isinstance(key.value, str) and key.value.startswith("_"):
                found.append(f"以下划线开头的属性“{key.value}”")
            _walk(node.node, names, found)
            return
        case nodes.Call():
            found.append("函数或方法调用")
        case nodes.Filter():
            if node.name not in FILTERS:
                found.append(f"过滤器“{node.name}”")
            if node.kwargs or node.dyn_args or node.dyn_kwargs:
                found.append(f"过滤器“{node.name}”的命名参数")
        case nodes.Test():
            if node.name not in TESTS_ALLOWED:
                found.append(f"判断“{node.name}”")
        case nodes.Slice():
            found.append("切片")
        case nodes.Dict():
            found.append("字典字面量")
        case (nodes.Add() | nodes.Sub() | nodes.Mul() | nodes.Div() | nodes.FloorDiv() | nodes.Mod() | nodes.Pow()
              | nodes.Neg() | nodes.Pos()):
            # "x" * 10 ** 9 fills the server's memory.
            found.append("算术运算")
    for child in node.iter_child_nodes():
        _walk(child, names, found)


def _targets(target: nodes.Node, found: list[str]) -> frozenset[str]:
    if isinstance(target, nodes.Name):
        return frozenset({target.name})
    if isinstance(target, nodes.Tuple):
        return frozenset().union(*(_targets(t, found) for t in target.items))
    found.append("复杂的循环变量")
    return frozenset()


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """docxtpl calls from_string on each part of the file (body, headers, footers, footnotes, properties):
    each is checked before it is compiled."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self.globals.clear()
        self.filters = {name: f for name, f in self.filters.items() if name in FILTERS}
        self.tests = {name: t for name, t in self.tests.items() if name in TESTS_ALLOWED}

    def from_string(self, source, globals=None, template_class=None):
        if isinstance(source, str):
            source = self.parse(source)
        check(source)
        return super().from_string(source, globals, template_class)
