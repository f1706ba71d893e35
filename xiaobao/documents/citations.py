"""What a document served to a citizen or a business cites: laws by their official titles, never the short
codes the rule sets use inside the system (issue 18, point 3).

Rule-set data cites "SAMR-2019 第十五条第（三）项" or "规则 二.2"; a notice prints 《市场监督管理投诉举报处理暂行办法》
第十五条第（三）项 and leaves out the bureau's internal work rules, which bind its staff, not the parties."""

from __future__ import annotations

import re

# The short codes of the national rules in the rule sets, and the title each stands for.
TITLES = {
    "SAMR-2019": "《市场监督管理投诉举报处理暂行办法》",
    "SAMR-2026": "《市场监督管理投诉举报处理办法》",
}
# The bureau's own work rules (曾都区市场监督管理局消费者投诉举报工作制度) as the rule sets cite them.
INTERNAL = re.compile(r"^(规则|曾都区市场监督管理局消费者投诉举报工作制度)")
_CODED = re.compile(r"^(SAMR-\d{4})\s*(第.+)$")
_SEPARATORS = re.compile(r"[；;]")


def official(basis: str) -> list[str]:
    """The citations of a basis fit to print for the parties, each an official title with its article."""
    out: list[str] = []
    for part in _SEPARATORS.split(basis or ""):
        part = part.split("：", 1)[0].strip()  # an explanation after the citation is the system's own gloss
        if not part or INTERNAL.match(part):
            continue
        coded = _CODED.match(part)
        if coded and coded.group(1) in TITLES:
            out.append(TITLES[coded.group(1)] + coded.group(2).replace(" ", ""))
        elif part.startswith("《"):
            out.append(part)
    return out


def official_text(basis: str) -> str:
    return "；".join(official(basis))
