"""Paging for the list page. When it searches, the rows come from xiaobao.cases.search.search_page and the
total is counted only up to COUNT_CAP ("共 1,000+ 件"), so that a common word does not cost a count of
every match; otherwise the rows come from the parts of what the user may see, each read off its index
(xiaobao.cases.selectors.list_page), and the count is exact (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xiaobao.cases.search import search_count, search_page
from xiaobao.cases.selectors import list_page
from xiaobao.lib.boundary import MAX_PAGE

COUNT_CAP = 1000


@dataclass
class CappedPaginator:
    count: int
    capped: bool
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


@dataclass
class SearchResultsPage:
    """What web/_case_rows.html reads of a django.core.paginator.Page."""

    number: int
    paginator: CappedPaginator
    object_list: list = field(default_factory=list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        # Past the counted matches there may be more: offer the next page while pages come back full.
        full = len(self.object_list) == self.paginator.per_page
        return self.number < self.paginator.num_pages or (self.paginator.capped and full)

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _number(page: str | None) -> int:
    # A number past MAX_PAGE is served as MAX_PAGE, as Paginator.get_page serves one past the end as the last.
    try:
        return min(max(1, int(page or 1)), MAX_PAGE)
    except ValueError:
        return 1


def list_results_page(parts: list, page: str | None, per_page: int) -> SearchResultsPage:
    """Like Paginator(qs, per_page).get_page(page) over the union of the disjoint `parts`."""
    paginator = CappedPaginator(count=sum(part.count() for part in parts), capped=False, per_page=per_page)
    number = min(_number(page), paginator.num_pages)
    rows = list_page(parts, (number - 1) * per_page, number * per_page)
    return SearchResultsPage(number=number, paginator=paginator, object_list=rows)


def search_results_page(qs, q: str, page: str | None, per_page: int) -> SearchResultsPage:
    number = _number(page)
    # Count one past the cap: exactly COUNT_CAP matches is still an exact count.
    count = search_count(qs, q, cap=COUNT_CAP + 1)
    capped = count > COUNT_CAP
    paginator = CappedPaginator(count=min(count, COUNT_CAP), capped=capped, per_page=per_page)
    if not capped:
        number = min(number, paginator.num_pages)
    rows = search_page(qs, q, (number - 1) * per_page, number * per_page)
    return SearchResultsPage(number=number, paginator=paginator, object_list=rows)


# A search by person lists this many items, newest first, on one page (the pager's links would carry the
# person in the address); a person with more is narrowed by the other filters.
PERSON_ROWS = 100


def person_results_page(qs, q: str, rows: int) -> SearchResultsPage:
    """The first `rows` items of `qs` (already narrowed to a person's items), searched for `q` if given, as a
    single page whose count is exact."""
    if q:
        count, found = search_count(qs, q), search_page(qs, q, 0, rows)
    else:
        count, found = qs.count(), list_page([qs], 0, rows)
    return SearchResultsPage(number=1, paginator=CappedPaginator(count=count, capped=False, per_page=max(count, 1)),
                             object_list=found)
