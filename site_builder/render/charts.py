"""Inline SVG charts drawn at build time from extracted figures: no JavaScript, no library,
no request. A chart is drawn only for figures that belong together, and every number it
shows is also in a small table beside it."""
from __future__ import annotations

import re

from markupsafe import Markup

from .elements import empty, tag

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


def _figure(cid: str, kind: str, title: str, svg: Markup, rows: list[tuple[str, str]], source: str) -> Markup:
    table = [tag("tr", {}, tag("th", {"scope": "row"}, label), tag("td", {}, value)) for label, value in rows]
    caption = tag("figcaption", {}, tag("span", {"class": "chart-title"}, title),
                  tag("table", {"class": "chart-data"}, tag("tbody", {}, *table)),
                  tag("p", {"class": "chart-source"}, tag("a", {"href": source}, "In the source")))
    return tag("figure", {"class": f"chart chart-{kind}", "id": cid}, svg, caption)


def _rect(cls: str, x: int, y: int, width: int, height: int, rx: int, fill: str) -> Markup:
    return empty("rect", {"class": cls, "x": x, "y": y, "width": width, "height": height, "rx": rx, "fill": fill})


def waffle(part: dict, whole: dict, source_href: str) -> Markup:
    """``part`` of ``whole`` as a grid of squares (whole ≤ 100)."""
    n, k = int(whole["value"]), int(part["value"])
    cols = min(n, 16)
    size, gap = 16, 4
    rows = -(-n // cols)
    cells = [_rect("chart-fill" if i < k else "chart-rest", (i % cols) * (size + gap), (i // cols) * (size + gap),
                   size, size, 3, "#0f5b66" if i < k else "#d5dde0") for i in range(n)]
    cid = _id(part)
    title = f"{part['display']} of {whole['display']} {part['label']}"
    svg = _svg(cid, title, f"A grid of {n} squares, one for each of the {whole['label']}; "
                           f"{k} of them are filled.", rows * (size + gap) - gap, cells)
    return _figure(cid, "waffle", title, svg, [(part["text"], part["display"]), (whole["text"], whole["display"])],
                   source_href)


def share_bar(f: dict, source_href: str) -> Markup:
    """A fraction or percentage of a whole, as a filled bar."""
    share = f["value"] if f["kind"] == "fraction" else f["value"] / 100
    filled = max(2, round(W * share))
    cid = _id(f)
    title = f"{f['display']} of {f['label']}" if f["kind"] == "fraction" else f["text"]
    body = [_rect("chart-rest", 0, 0, W, 28, 4, "#d5dde0"), _rect("chart-fill", 0, 0, filled, 28, 4, "#0f5b66")]
    svg = _svg(cid, title, f"A bar for the whole, {share:.1%} of it filled.", 28, body)
    return _figure(cid, "share", title, svg, [(f["text"], f"{share:.1%}")], source_href)


def comparison(figs: list[dict], source_href: str) -> Markup:
    """Figures with the same unit from one paragraph, as horizontal bars."""
    top = max(f["value"] for f in figs)  # every value > 0 (charts_for): each bar is at most W
    bar, gap = 22, 10
    body = [_rect(f"chart-fill chart-fill-{i % 3}", 0, i * (bar + gap), max(2, round(W * (f["value"] / top))), bar, 4,
                  "#0f5b66") for i, f in enumerate(figs)]
    cid = _id(figs[0]) + "-compare"
    title = " and ".join(f"{f['display']} {f['label']}" for f in figs)
    svg = _svg(cid, title, f"{len(figs)} bars, one per figure, lengths in proportion to "
                           + ", ".join(f["display"] for f in figs) + ".", len(figs) * (bar + gap) - gap, body)
    return _figure(cid, "bars", title, svg, [(f["text"], f["display"]) for f in figs], source_href)


def charts_for(figures: list[dict]) -> list[Markup]:
    """The charts these figures support, in source order. Needs ``source_href`` on each."""
    out: list[Markup] = []
    figures = [f for f in figures if f.get("id")]  # a chart needs the figure's id for its own
    by_id = {(f["source"].partition("#")[0], f["id"]): f for f in figures}
    used: set[int] = set()
    for f in figures:
        whole = by_id.get((f["source"].partition("#")[0], f.get("of") or ""))
        if whole and 0 < f["value"] <= whole["value"] <= 100 and whole["value"] == int(whole["value"]):
            out.append(waffle(f, whole, f["source_href"]))
            used |= {id(f), id(whole)}
        elif (f.get("kind") == "fraction" and 0 < f["value"] <= 1) or (f.get("kind") == "percent" and 0 < f["value"] <= 100):
            out.append(share_bar(f, f["source_href"]))
            used.add(id(f))
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for f in figures:
        # a hand-written figure may leave out kind and unit: it is listed, never drawn
        if id(f) not in used and f.get("kind") in ("count", "money", "quantity") and not f.get("of") and f["value"] > 0:
            groups.setdefault((f["source"], f["kind"], f.get("unit", "")), []).append(f)
    out += [comparison(g, g[0]["source_href"]) for g in groups.values() if len(g) >= 2]
    return out
