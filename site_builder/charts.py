"""Inline SVG charts drawn at build time from extracted figures: no JavaScript, no library,
no request. A chart is drawn only for figures that belong together, and every number it
shows is also in a small table beside it."""
from __future__ import annotations

from markupsafe import Markup, escape

W = 320  # viewBox width; the SVG scales to its container


def _id(f: dict) -> str:
    return "chart-" + f["source"].partition("#")[0] + "-" + f["id"]


def _svg(cid: str, title: str, desc: str, height: int, body: str) -> str:
    return (f'<svg class="chart-svg" role="img" aria-labelledby="{cid}-t {cid}-d" viewBox="0 0 {W} {height}" '
            f'width="{W}" height="{height}" preserveAspectRatio="xMinYMin meet" focusable="false">'
            f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>{body}</svg>')


def _figure(cid: str, kind: str, title: str, svg: str, rows: list[tuple[str, str]], source: str) -> str:
    table = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
                    for label, value in rows)
    return (f'<figure class="chart chart-{kind}" id="{cid}">{svg}<figcaption>'
            f'<span class="chart-title">{escape(title)}</span>'
            f'<table class="chart-data"><tbody>{table}</tbody></table>'
            f'<p class="chart-source"><a href="{escape(source)}">In the source</a></p></figcaption></figure>')


def waffle(part: dict, whole: dict, source_href: str) -> str:
    """``part`` of ``whole`` as a grid of squares (whole ≤ 100)."""
    n, k = int(whole["value"]), int(part["value"])
    cols = min(n, 16)
    size, gap = 16, 4
    rows = -(-n // cols)
    cells = "".join(
        f'<rect class="{"chart-fill" if i < k else "chart-rest"}" x="{(i % cols) * (size + gap)}" '
        f'y="{(i // cols) * (size + gap)}" width="{size}" height="{size}" rx="3" '
        f'fill="{"#0f5b66" if i < k else "#d5dde0"}"/>'
        for i in range(n))
    cid = _id(part)
    title = f"{part['display']} of {whole['display']} {part['label']}"
    svg = _svg(cid, title, f"A grid of {n} squares, one for each of the {whole['label']}; "
                           f"{k} of them are filled.", rows * (size + gap) - gap, cells)
    return _figure(cid, "waffle", title, svg, [(part["text"], part["display"]), (whole["text"], whole["display"])],
                   source_href)


def share_bar(f: dict, source_href: str) -> str:
    """A fraction or percentage of a whole, as a filled bar."""
    share = f["value"] if f["kind"] == "fraction" else f["value"] / 100
    filled = max(2, round(W * share))
    cid = _id(f)
    title = f"{f['display']} of {f['label']}" if f["kind"] == "fraction" else f["text"]
    body = (f'<rect class="chart-rest" x="0" y="0" width="{W}" height="28" rx="4" fill="#d5dde0"/>'
            f'<rect class="chart-fill" x="0" y="0" width="{filled}" height="28" rx="4" fill="#0f5b66"/>')
    svg = _svg(cid, title, f"A bar for the whole, {share:.1%} of it filled.", 28, body)
    return _figure(cid, "share", title, svg, [(f["text"], f"{share:.1%}")], source_href)


def comparison(figs: list[dict], source_href: str) -> str:
    """Figures with the same unit from one paragraph, as horizontal bars."""
    top = max(f["value"] for f in figs) or 1
    bar, gap = 22, 10
    body = "".join(
        f'<rect class="chart-fill chart-fill-{i % 3}" x="0" y="{i * (bar + gap)}" '
        f'width="{max(2, round(W * f["value"] / top))}" height="{bar}" rx="4" fill="#0f5b66"/>'
        for i, f in enumerate(figs))
    cid = _id(figs[0]) + "-compare"
    title = " and ".join(f"{f['display']} {f['label']}" for f in figs)
    svg = _svg(cid, title, f"{len(figs)} bars, one per figure, lengths in proportion to "
                           + ", ".join(f["display"] for f in figs) + ".", len(figs) * (bar + gap) - gap, body)
    return _figure(cid, "bars", title, svg, [(f["text"], f["display"]) for f in figs], source_href)


def charts_for(figures: list[dict]) -> list[Markup]:
    """The charts these figures support, in source order. Needs ``source_href`` on each."""
    out: list[str] = []
    by_id = {(f["source"].partition("#")[0], f["id"]): f for f in figures}
    used: set[int] = set()
    for f in figures:
        whole = by_id.get((f["source"].partition("#")[0], f.get("of") or ""))
        if whole and 0 < f["value"] <= whole["value"] <= 100 and whole["value"] == int(whole["value"]):
            out.append(waffle(f, whole, f["source_href"]))
            used |= {id(f), id(whole)}
        elif f["kind"] == "fraction" or (f["kind"] == "percent" and 0 < f["value"] <= 100):
            out.append(share_bar(f, f["source_href"]))
            used.add(id(f))
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for f in figures:
        if id(f) not in used and f["kind"] in ("count", "money") and not f.get("of"):
            groups.setdefault((f["source"], f["kind"], f["unit"]), []).append(f)
    out += [comparison(g, g[0]["source_href"]) for g in groups.values() if len(g) >= 2]
    return [Markup(svg) for svg in out]
