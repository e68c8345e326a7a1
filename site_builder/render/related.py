"""Related articles, shown at the end of each source page: the articles that share most with
it. A measure both report weighs 3, a term both quote 2, a theme both feed 1; ties go to the
article nearest in date, then the newer, then by slug, so the list is the same on every build.
An undated article has no nearest date: its ties go to the undated articles nearest it by slug
(a story's follow-ups are named alike), then to dated ones — not to the newest, which made every
new article enter every undated article's list (89 source pages rendered again, and all of the
search index, to add one article to a 1,000-article site). At most ``RELATED`` articles, and
only ones that share something.

Cheap at a thousand articles: themes are shared by hundreds of articles, so they are not
walked article by article; articles with the same set of themes form a group, and of each
group only the few nearest in date can make the list on themes alone."""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from ..model.site import Site
from ..model.measures import measure, title

RELATED = 5
WEIGHTS = {"measure": 3, "term": 2}
_COMMON = 100   # a term or measure in more articles than this says little about any two of them
_FAR = 10 ** 9  # the distance in days to or from an undated article


@dataclass
class _Article:
    slug: str
    date: dt.date | None
    themes: frozenset[str] = frozenset()
    shared: dict[tuple[str, str], str] = field(default_factory=dict)   # (kind, key) -> what a reader sees


class Related:
    """Built once per render process; ``of(slug)`` ranks lazily, for the sources it renders."""

    def __init__(self, site: Site):
        self.articles = {slug: _Article(slug, src.date) for slug, src in site.sources.items()}
        themes: dict[str, set[str]] = {s: set() for s in self.articles}
        for page in site.pages:
            if page.kind == "part" and page.scan.refs:
                slug = page.scan.refs[0][0].partition("#")[0]
                if slug in themes:
                    themes[slug].add(page.theme)
            for t in page.meta.get("terms", []):
                self._add(t["source"], ("term", t["term"].casefold()), t["term"])
            for f in page.meta.get("figures", []):
                key = measure(f)
                if key:
                    self._add(f["source"], ("measure", "\0".join(key)), title(f))
        self.postings: dict[tuple[str, str], list[str]] = {}
        for a in self.articles.values():
            a.themes = frozenset(themes[a.slug])
            for key in a.shared:
                self.postings.setdefault(key, []).append(a.slug)
        self.groups: dict[frozenset[str], list[tuple[int, str]]] = {}
        for a in self.articles.values():
            self.groups.setdefault(a.themes, []).append((_day(a.date), a.slug))
        for g in self.groups.values():
            g.sort()
        self.undated = {slug: i for i, slug in enumerate(sorted(s for s, a in self.articles.items() if a.date is None))}

    def _add(self, ref: str, key: tuple[str, str], shown: str) -> None:
        a = self.articles.get(ref.partition("#")[0])
        if a is not None:
            a.shared.setdefault(key, shown)

    def of(self, slug: str) -> list[tuple[str, list[str], list[str]]]:
        """The related articles of ``slug``: (slug, themes shared, other things shared)."""
        me = self.articles[slug]
        score: dict[str, int] = {}
        for key in me.shared:
            posting = self.postings[key]
            if len(posting) <= _COMMON:
                for other in posting:
                    score[other] = score.get(other, 0) + WEIGHTS[key[0]]
        for themes, group in self.groups.items():
            if themes & me.themes:
                i = bisect.bisect_left(group, (_day(me.date), slug if me.date is None else ""))
                score.update((s, score.get(s, 0)) for _, s in group[max(0, i - RELATED - 1):i + RELATED + 1])
        score.pop(slug, None)
        ranked = []
        for other, points in score.items():
            a = self.articles[other]
            points += len(a.themes & me.themes)
            if points:
                ranked.append((-points, self._far(me, a), -a.date.toordinal() if a.date else 0, other))
        ranked.sort()
        out = []
        for *_, other in ranked[:RELATED]:
            a = self.articles[other]
            things = [shown for key, shown in me.shared.items()
                      if key in a.shared and len(self.postings[key]) <= _COMMON]
            out.append((other, sorted(a.themes & me.themes), things))
        return out

    def _far(self, me: _Article, other: _Article) -> int:
        """How far apart two articles are: in days; two undated ones, in places in slug order;
        a dated and an undated one, further than any two dated ones."""
        if me.date and other.date:
            return abs(me.date.toordinal() - other.date.toordinal())
        if me.date is None and other.date is None:
            return abs(self.undated[me.slug] - self.undated[other.slug])
        return _FAR


def _day(date: dt.date | None) -> int:
    """Undated articles sort after every dated one."""
    return date.toordinal() if date else _FAR
