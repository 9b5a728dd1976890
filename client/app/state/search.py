"""Finding a participant by name: what was typed in a screen's search field, and which
names match it.

Each screen keeps its own text (``where``: "today", "overview"), so a filter set while
looking at the month does not hide anyone from the day's marking. A name matches when
every word typed is found in it, in any case and without its accents ("mak" finds
"Mäkinen": on a phone's keyboard the plain letter is one tap less). The texts are
forgotten with the other screen states when the app locks (a name typed is a name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from client.app.state.observable import StateObservable

T = TypeVar("T")


def folded(text: str) -> str:
    """``text`` without case and accents, for comparing what was typed with a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_matches(name: str, query: str) -> bool:
    target = folded(name)
    return all(word in target for word in folded(query).split())


class SearchState(StateObservable):
    def __init__(self) -> None:
        self.queries: dict[str, str] = {}

    def query(self, where: str) -> str:
        return self.queries.get(where, "")

    def set_query(self, where: str, text: str) -> None:
        self.queries = {**self.queries, where: text}

    def clear(self, where: str) -> None:
        self.set_query(where, "")

    def active(self, where: str) -> bool:
        return bool(self.query(where).strip())

    def filter(self, where: str, items: Iterable[T], name: Callable[[T], str]) -> list[T]:
        """The items whose name matches the screen's text (all of them when it is empty)."""
        query = self.query(where)
        return [item for item in items if name_matches(name(item), query)]
