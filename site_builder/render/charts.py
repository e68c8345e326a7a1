"""Inline SVG charts drawn at build time from extracted figures: no JavaScript, no library,
no request. A chart is drawn only for figures that belong together, and every number it
shows is also in a small table beside it."""
from __future__ import annotations

import re

from markupsafe import Markup

from ..paths import slugify
from .elements import empty, tag
from ..model.measures import Series
from ..model.measures import title as trend_title

W = 320  # viewBox width; the SVG scales to its container
_SPACE = re.compile(r"\s+")


def _id(f: dict) -> str:
    # escaped where it is written; no spaces, so that aria-labelledby's list of ids stays one id each
    return _SPACE.sub("-", "chart-" + f["source"].partition("#")[0] + "-" + f["id"])


def _svg(cid: str, title: str, desc: str, height: int, body: list[Markup]) -> Markup:
    return tag("svg", {"class": "chart-svg", "role": "img", "aria-labelledby": f"{cid}-t {cid}-d",
                       "viewBox": f"0 0 {W} {height}", "width": W, "height": height,
                       "preserveAspectRatio": "xMinYMin meet", "focusable": "false"},
               tag("title", {"id": f"{cid}-t"}, title), tag("desc", {"id": f"{cid}-d"}, desc), *body)


def _figure(cid: str, kind: str, title: str, svg: Markup, rows: list[tuple[str, str]], f: dict) -> Markup:
    table = [tag("tr", {}, tag("th", {"scope": "row"}, label), tag("td", {}, value)) for label, value in rows]
    caption = tag("figcaption", {}, tag("span", {"class": "chart-title"}, title),
                  tag("table", {"class": "chart-data"}, tag("tbody", {}, *table)), source_line(f))
    return tag("figure", {"class": f"chart chart-{kind}", "id": cid}, svg, caption)


def source_line(f: dict) -> Markup:
    """"From <the article's title>, <its date>", the title linking to the quoted paragraph."""
    title = tag("a", {"href": f["source_href"], "lang": f.get("article_lang") or None}, f.get("article") or "the source")
    date = f.get("date")
    when = [", ", tag("time", {"datetime": date.isoformat()}, f["date_text"])] if date else []
    return tag("p", {"class": "chart-source"}, "From ", title, *when)


def _titled(f: dict, value: str) -> str:
    """What a chart measures: the figure's label, with the value when the label does not say it."""
    label = f["label"]
    if f.get("text") and f["text"] in label:
        return label[:1].upper() + label[1:]
    return f"{label[:1].upper()}{label[1:]}: {value}"


def _rect(cls: str, x: int, y: int, width: int, height: int, rx: int, fill: str) -> Markup:
    return empty("rect", {"class": cls, "x": x, "y": y, "width": width, "height": height, "rx": rx, "fill": fill})


def waffle(part: dict, whole: dict) -> Markup:
    """``part`` of ``whole`` as a grid of squares (whole ≤ 100)."""
    n, k = int(whole["value"]), int(part["value"])
    cols = min(n, 16)
    size, gap = 16, 4
    rows = -(-n // cols)
    cells = [_rect("chart-fill" if i < k else "chart-rest", (i % cols) * (size + gap), (i // cols) * (size + gap),
                   size, size, 3, "#0f5b66" if i < k else "#d5dde0") for i in range(n)]
    cid = _id(part)
    title = _titled(part, f"{part['display']} of {whole['display']}")
    svg = _svg(cid, title, f"A grid of {n} squares, one for each of the {whole['label']}; "
                           f"{k} of them are filled.", rows * (size + gap) - gap, cells)
    return _figure(cid, "waffle", title, svg, [(part["text"], part["display"]), (whole["text"], whole["display"])],
                   part)


def share_bar(f: dict) -> Markup:
    """A fraction or percentage of a whole, as a filled bar."""
    share = f["value"] if f["kind"] == "fraction" else f["value"] / 100
    filled = max(2, round(W * share))
    cid = _id(f)
    title = _titled(f, f["display"]) if f["kind"] != "fraction" or f["text"] in f["label"] else \
        f"{f['display']} of {f['label']}"
    body = [_rect("chart-rest", 0, 0, W, 28, 4, "#d5dde0"), _rect("chart-fill", 0, 0, filled, 28, 4, "#0f5b66")]
    svg = _svg(cid, title, f"A bar for the whole, {share:.1%} of it filled.", 28, body)
    return _figure(cid, "share", title, svg, [(f["text"], f"{share:.1%}")], f)


def comparison(figs: list[dict]) -> Markup:
    """Figures with the same unit from one paragraph, as horizontal bars."""
    top = max(f["value"] for f in figs)  # every value > 0 (charts_for): each bar is at most W
    bar, gap = 22, 10
    body = [_rect(f"chart-fill chart-fill-{i % 3}", 0, i * (bar + gap), max(2, round(W * (f["value"] / top))), bar, 4,
                  "#0f5b66") for i, f in enumerate(figs)]
    cid = _id(figs[0]) + "-compare"
    title = "; ".join(dict.fromkeys(_titled(f, f["display"]) for f in figs))  # each label once
    svg = _svg(cid, title, f"{len(figs)} bars, one per figure, lengths in proportion to "
                           + ", ".join(f["display"] for f in figs) + ".", len(figs) * (bar + gap) - gap, body)
    return _figure(cid, "bars", title, svg, [(f["text"], f["display"]) for f in figs], figs[0])


def charts_for(figures: list[dict]) -> list[Markup]:
    """The charts these figures support, in their order. Each figure as ``Provenance.figure``
    made it (``source_href``, and the article's ``article``, ``date`` and ``date_text``)."""
    out: list[Markup] = []
    figures = [f for f in figures if f.get("id")]  # a chart needs the figure's id for its own
    by_id = {(f["source"].partition("#")[0], f["id"]): f for f in figures}
    used: set[int] = set()
    for f in figures:
        whole = by_id.get((f["source"].partition("#")[0], f.get("of") or ""))
        if whole and 0 < f["value"] <= whole["value"] <= 100 and whole["value"] == int(whole["value"]):
            out.append(waffle(f, whole))
            used |= {id(f), id(whole)}
        elif (f.get("kind") == "fraction" and 0 < f["value"] <= 1) or (f.get("kind") == "percent" and 0 < f["value"] <= 100):
            out.append(share_bar(f))
            used.add(id(f))
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for f in figures:
        # a hand-written figure may leave out kind and unit: it is listed, never drawn
        if id(f) not in used and f.get("kind") in ("count", "money", "quantity") and not f.get("of") and f["value"] > 0:
            groups.setdefault((f["source"], f["kind"], f.get("unit", "")), []).append(f)
    out += [comparison(g) for g in groups.values() if len(g) >= 2]
    return out


TREND_H, _PAD, _TOP, _BOTTOM = 150, 14, 22, 22   # the trend chart's height and margins
# Points a trend chart draws: a measure that 40 articles report drew 40 linked points and 40 table
# rows, 21 KB a chart (a 1,000-article site's trends page weighed 303 KB). More than this are
# drawn as an evenly spaced sample, the first and the newest always in it; the
# theme's figures table lists every one.
TREND_POINTS = 10


def spread(points: tuple[dict, ...], limit: int = TREND_POINTS) -> tuple[dict, ...]:
    """At most ``limit`` of ``points`` (oldest first), evenly spread, the first and last kept."""
    n = len(points)
    if n <= limit:
        return points
    return tuple(points[round(i * (n - 1) / (limit - 1))] for i in range(limit))


def trends(found: list[Series], more: str = "") -> list[Markup]:
    """One line chart per series; ids from the measure's label, unique on the page. ``more``:
    the URL of the table that lists every point, where a chart draws a sample."""
    ids: set[str] = set()
    out = []
    for s in found:
        base = "trend-" + (slugify(s.label, max_len=40) or "measure")
        cid, i = base, 2
        while cid in ids:
            cid, i = f"{base}-{i}", i + 1
        ids.add(cid)
        out.append(trend(s, cid, more))
    return out


def trend(s: Series, cid: str, more: str = "") -> Markup:
    """A measure reported by several articles, as a line over their dates; each point a link to
    its quoted paragraph, and every point again in the table below (a sample of them, see
    TREND_POINTS, with ``more`` linking to all)."""
    pts = spread(s.points)
    days = [p["date"].toordinal() for p in pts]
    lo, hi = min(0.0, *(p["value"] for p in pts)), max(0.0, *(p["value"] for p in pts))
    span_x, span_y = (days[-1] - days[0]) or 1, (hi - lo) or 1.0

    def xy(i: int) -> tuple[float, float]:
        x = _PAD + (W - 2 * _PAD) * (days[i] - days[0]) / span_x
        return round(x, 1), round(_TOP + (TREND_H - _TOP - _BOTTOM) * (hi - pts[i]["value"]) / span_y, 1)

    coords = [xy(i) for i in range(len(pts))]
    zero = round(_TOP + (TREND_H - _TOP - _BOTTOM) * hi / span_y, 1)
    body = [empty("line", {"class": "chart-axis", "x1": 0, "x2": W, "y1": zero, "y2": zero, "stroke": "#9aa5a8"}),
            empty("polyline", {"class": "chart-line", "fill": "none", "stroke": "#0f5b66", "stroke-width": 2,
                               "points": " ".join(f"{x},{y}" for x, y in coords)})]
    for p, (x, y) in zip(pts, coords):
        label = f"{p['display']}, {p['date_text']}, in “{p['article']}”"
        body.append(tag("a", {"href": p["source_href"], "aria-label": label, "class": "chart-point"},
                        empty("circle", {"cx": x, "cy": y, "r": 5, "fill": "#0f5b66"})))
    for i, anchor in ((0, "start"), (len(pts) - 1, "end")):
        x, y = coords[i]
        body.append(tag("text", {"x": x, "y": y - 9, "text-anchor": anchor, "class": "chart-value"}, pts[i]["display"]))
        body.append(tag("text", {"x": x, "y": TREND_H - 6, "text-anchor": anchor, "class": "chart-date"},
                        pts[i]["date_text"]))
    title = (f"{trend_title(pts[-1])}, as {len(s.points)} articles reported it, "
             f"{pts[0]['date_text']} to {pts[-1]['date_text']}")
    desc = (f"A line through {len(pts)} points, one per article{_sampled(s, pts)}, from {pts[0]['display']} on "
            f"{pts[0]['date_text']} to {pts[-1]['display']} on {pts[-1]['date_text']}.")
    svg = tag("svg", {"class": "chart-svg", "role": "group", "aria-labelledby": f"{cid}-t {cid}-d",
                      "viewBox": f"0 0 {W} {TREND_H}", "width": W, "height": TREND_H,
                      "preserveAspectRatio": "xMinYMin meet"},
              tag("title", {"id": f"{cid}-t"}, title), tag("desc", {"id": f"{cid}-d"}, desc), *body)
    head = tag("tr", {}, *(tag("th", {"scope": "col"}, h) for h in ("Date", "Value", "Article")))
    rows = [tag("tr", {}, tag("td", {}, tag("time", {"datetime": p["date"].isoformat()}, p["date_text"])),
                tag("td", {}, p["display"]),
                tag("td", {}, tag("a", {"href": p["source_href"], "lang": p.get("article_lang") or None},
                                  p["article"]))) for p in pts]
    caption = tag("figcaption", {}, tag("span", {"class": "chart-title"}, title),
                  tag("table", {"class": "chart-data trend-data"}, tag("thead", {}, head), tag("tbody", {}, *rows)),
                  *_all_points(s, pts, more))
    return tag("figure", {"class": "chart chart-trend", "id": cid}, svg, caption)


def _sampled(s: Series, pts: tuple[dict, ...]) -> str:
    return f" ({_drawn(s, pts)})" if len(pts) < len(s.points) else ""


def _drawn(s: Series, pts: tuple[dict, ...]) -> str:
    return f"{len(pts)} of the {len(s.points)} reports, the first and the newest among them"


def _all_points(s: Series, pts: tuple[dict, ...], more: str) -> list[Markup]:
    """Under a sampled chart: how many points it leaves out, and where they all are."""
    if len(pts) == len(s.points):
        return []
    where = [" All of them are in ", tag("a", {"href": more}, "the theme's figures table"), "."] if more else []
    return [tag("p", {"class": "chart-source"}, f"Drawn: {_drawn(s, pts)}.", *where)]
