"""Quality of ingestion over the article corpus (tests/articles/*.txt against *.expect.yaml).

    python bench/ingest_quality.py [NAME...] [--details]

Prints, per article and in total: title and date right, metadata fields right (byline, dateline,
origin, source note, kicker, language), furniture lines handled as expected and furniture lines
left in the page bodies, body blocks lost, duplicated or extra, and — for the articles whose
expectation lists ``figures`` — figure precision, recall and invented figures.
``tests/test_ingest_corpus.py`` runs the same comparison article by article.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTICLES = ROOT / "tests" / "articles"

from site_builder.ingest.article import Article, parse_article  # noqa: E402
from site_builder.ingest.classify import Classifier  # noqa: E402
from site_builder.ingest.pages import plan  # noqa: E402
from site_builder.model.config import load_config  # noqa: E402
from site_builder.model.frontmatter import parse_front_matter  # noqa: E402

META = ("byline", "dateline", "origin", "source_note", "kicker", "language")


def norm(text: str) -> str:
    return " ".join(str(text).split())


@dataclass
class Result:
    name: str
    title: tuple[str, str]                     # (expected, got)
    date: tuple[object, object]
    meta: dict[str, tuple[str, str]] = field(default_factory=dict)
    furniture: list[tuple[str, str, str]] = field(default_factory=list)   # (line, expected, got)
    left_in_body: list[str] = field(default_factory=list)
    blocks_expected: int = 0
    blocks_right: int = 0                      # kind and words right, in order
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    figures: tuple[int, int, int, int] | None = None   # (expected, produced, right, invented)
    wrong_figures: list[tuple[str, dict]] = field(default_factory=list)
    missed_figures: list[dict] = field(default_factory=list)

    @property
    def furniture_right(self) -> int:
        return sum(exp == got for _, exp, got in self.furniture)


def load(name: str) -> tuple[Article, dict]:
    data = (ARTICLES / f"{name}.txt").read_bytes()
    expect = yaml.safe_load((ARTICLES / f"{name}.expect.yaml").read_text(encoding="utf-8"))
    return parse_article(data, f"seeds/{name}.txt"), expect


def names() -> list[str]:
    return sorted(p.name[:-len(".expect.yaml")] for p in ARTICLES.glob("*.expect.yaml"))


def _block_texts(art: Article) -> list[tuple[str, list[str]]]:
    """Each block's kind and its texts (a list: its items)."""
    return [(b.kind, [norm(i) for i in b.items] if b.kind == "list" else [norm(b.text)]) for b in art.blocks]


def _expected_blocks(expect: dict) -> list[tuple[str, list[str]]]:
    out = []
    for entry in expect.get("blocks") or []:
        (kind, words), = entry.items()
        out.append((kind, [norm(w) for w in words] if isinstance(words, list) else [norm(words)]))
    return out


def _matches(exp: tuple[str, list[str]], got: tuple[str, list[str]]) -> bool:
    """Kind right and each expected text (item) begins the block's text (item)."""
    if exp[0] != got[0] or len(exp[1]) != len(got[1]):
        return False
    return all(g.startswith(e) for e, g in zip(exp[1], got[1]))


def _starts(exp: tuple[str, list[str]], got: tuple[str, list[str]]) -> bool:
    return bool(got[1]) and got[1][0].startswith(exp[1][0])


def compare_blocks(res: Result, art: Article, expect: dict) -> None:
    exp, got = _expected_blocks(expect), _block_texts(art)
    res.blocks_expected = len(exp)
    res.blocks_right = sum(_matches(e, g) for e, g in zip(exp, got)) if len(exp) == len(got) else \
        sum(any(_matches(e, g) for g in got) for e in exp)
    for e in exp:
        hits = sum(_starts(e, g) for g in got)
        if hits == 0:
            res.lost.append(e[1][0])
        elif hits > 1:
            res.duplicated.append(e[1][0])
    res.extra = [g[1][0] for g in got if not any(_starts(e, g) for e in exp)]


def _what_happened(art: Article, line: str) -> str:
    """What ingest says it did with a furniture line: 'becomes: k1, k2' or 'dropped: reason'."""
    line = norm(line)
    for _, text, into in art.moved:
        if norm(text) == line:
            return "becomes: " + ", ".join(sorted(k.strip() for k in into.split(",")))
    for _, text, why in art.removed:
        if norm(text) == line:
            return f"dropped: {why}"
    return "not recorded"


def _in_body(line: str, got: list[tuple[str, list[str]]]) -> bool:
    """A furniture line left in the text: a whole block or item, or glued to the start or end of one
    (short lines only count as whole blocks, so 'X' is not found inside every word)."""
    line = norm(line)
    for _, texts in got:
        for t in texts:
            if t == line or (len(line) >= 6 and (t.startswith(line) or t.endswith(line))) \
                    or (len(line) >= 12 and line in t):
                return True
    return False


def compare_furniture(res: Result, art: Article, expect: dict) -> None:
    got = _block_texts(art)
    for entry in expect.get("furniture") or []:
        line = entry["line"]
        if "becomes" in entry:
            wanted = "becomes: " + ", ".join(sorted(k.strip() for k in entry["becomes"].split(",")))
        else:
            wanted = f"dropped: {entry['dropped']}"
        res.furniture.append((line, wanted, _what_happened(art, line)))
        if _in_body(line, got):
            res.left_in_body.append(line)


def _config():
    return load_config(ROOT)


def produced_figures(art: Article, config) -> list[dict]:
    """The figures ingest writes for this article (front matter of its theme pages)."""
    planned = plan(art, "x", "seeds/x.txt", config, Classifier(config.themes, config.default_theme))
    out = []
    for rel, text in planned.pages.items():
        if not rel.startswith("sources/"):
            meta, _, _ = parse_front_matter(text, rel)
            out += meta.get("figures") or []
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a))


def _same_figure(e: dict, f: dict) -> bool:
    """Same value, unit and kind, and a label that holds every word the editor listed."""
    try:
        a, b = float(e["value"]), float(f["value"])
    except (KeyError, TypeError, ValueError):
        return False
    return _close(a, b) and str(e.get("unit", "")).lower() == str(f.get("unit", "")).lower() \
        and e.get("kind") == f.get("kind") and all(w in f.get("label", "") for w in e.get("label") or [])


def score_figures(wanted: list[dict], got: list[dict], res: Result | None = None) -> tuple[int, int, int, int]:
    """(expected, produced, right, invented): a produced figure is right when an expected one has
    its value, unit and kind and its label holds the expected label words (each expected figure
    matches once); invented when no expected figure of the article has its value at all.
    ``res`` collects the wrong and missed figures for --details."""
    left = list(wanted)
    right = invented = 0
    values = [float(e["value"]) for e in wanted if isinstance(e.get("value"), (int, float))]
    for f in got:
        hit = next((e for e in left if _same_figure(e, f)), None)
        if hit is not None:
            left.remove(hit)
            right += 1
            continue
        new = not any(_close(abs(float(f.get("value", 0))), abs(v)) for v in values)
        invented += new   # a value no careful editor would have taken from this text
        if res is not None:
            res.wrong_figures.append(("invented" if new else "wrong", f))
    if res is not None:
        res.missed_figures = left
    return len(wanted), len(got), right, invented


def compare_figures(res: Result, art: Article, expect: dict, config) -> None:
    wanted = expect.get("figures")
    if isinstance(wanted, list):
        res.figures = score_figures(wanted, produced_figures(art, config), res)


def evaluate(name: str, config=None) -> Result:
    art, expect = load(name)
    res = Result(name, (expect["title"], art.title), (expect.get("date"), art.date))
    config = config or _config()
    for key in META:
        if key in expect:
            got = getattr(art, key, "") or (config.language if key == "language" else "")
            res.meta[key] = (norm(expect[key] or ""), norm(got))
    if "updated" in expect:
        res.meta["updated"] = (str(expect["updated"] or ""), str(getattr(art, "updated", "") or ""))
    compare_blocks(res, art, expect)
    compare_furniture(res, art, expect)
    compare_figures(res, art, expect, config)
    return res


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


def table(results: list[Result]) -> list[str]:
    head = (f"{'article':<24} {'title':>5} {'date':>4} {'meta':>5} {'furn.':>6} {'in body':>7} "
            f"{'blocks':>7} {'lost':>4} {'dup':>3} {'extra':>5} {'figures P/R/inv':>16}")
    lines = [head, "-" * len(head)]
    for r in results:
        meta_ok = sum(e == g for e, g in r.meta.values())
        figs = "–"
        if r.figures:
            n, got, right, inv = r.figures
            figs = f"{_pct(right, got)}/{_pct(right, n)}/{inv}"
        lines.append(f"{r.name[:24]:<24} {'ok' if r.title[0] == r.title[1] else 'NO':>5} "
                     f"{'ok' if r.date[0] == r.date[1] else 'NO':>4} {meta_ok:>2}/{len(r.meta):<2} "
                     f"{r.furniture_right:>2}/{len(r.furniture):<3} {len(r.left_in_body):>7} "
                     f"{r.blocks_right:>3}/{r.blocks_expected:<3} {len(r.lost):>4} {len(r.duplicated):>3} "
                     f"{len(r.extra):>5} {figs:>16}")
    n = len(results)
    titles = sum(r.title[0] == r.title[1] for r in results)
    dates = sum(r.date[0] == r.date[1] for r in results)
    meta = [e == g for r in results for e, g in r.meta.values()]
    furn = sum(len(r.furniture) for r in results)
    furn_ok = sum(r.furniture_right for r in results)
    blocks = sum(r.blocks_expected for r in results)
    blocks_ok = sum(r.blocks_right for r in results)
    figs = [r.figures for r in results if r.figures]
    lines += ["-" * len(head),
              f"titles right          {titles}/{n} ({_pct(titles, n)})",
              f"dates right           {dates}/{n} ({_pct(dates, n)})",
              f"metadata fields right {sum(meta)}/{len(meta)} ({_pct(sum(meta), len(meta))}) "
              f"(byline, dateline, origin, source note, kicker, language, updated)",
              f"furniture as expected {furn_ok}/{furn} ({_pct(furn_ok, furn)})",
              f"furniture left in page bodies: {sum(len(r.left_in_body) for r in results)}",
              f"body blocks right     {blocks_ok}/{blocks} ({_pct(blocks_ok, blocks)}); "
              f"lost {sum(len(r.lost) for r in results)}, duplicated {sum(len(r.duplicated) for r in results)}, "
              f"extra {sum(len(r.extra) for r in results)}"]
    if figs:
        exp, got, right, inv = (sum(x[i] for x in figs) for i in range(4))
        lines.append(f"figures ({len(figs)} articles with expectations): precision {_pct(right, got)} "
                     f"({right}/{got}), recall {_pct(right, exp)} ({right}/{exp}), invented {inv}")
    else:
        lines.append("figures: no article lists expected figures yet")
    return lines


def details(r: Result) -> list[str]:
    out = []
    if r.title[0] != r.title[1]:
        out.append(f"  title: expected {r.title[0]!r}, got {r.title[1]!r}")
    if r.date[0] != r.date[1]:
        out.append(f"  date: expected {r.date[0]}, got {r.date[1]}")
    out += [f"  {k}: expected {e!r}, got {g!r}" for k, (e, g) in r.meta.items() if e != g]
    out += [f"  furniture {line!r}: expected {e}, got {g}" for line, e, g in r.furniture if e != g]
    out += [f"  left in body: {line!r}" for line in r.left_in_body]
    out += [f"  lost: {t!r}" for t in r.lost] + [f"  duplicated: {t!r}" for t in r.duplicated]
    out += [f"  extra block: {t[:70]!r}" for t in r.extra]
    out += [f"  {why} figure: {f.get('kind')} {f.get('value')} {f.get('unit')} {f.get('label', '')[:80]!r}"
            for why, f in r.wrong_figures]
    out += [f"  missed figure: {e.get('kind')} {e.get('value')} {e.get('unit')} {e.get('label')}"
            for e in r.missed_figures]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="articles (default: all of tests/articles)")
    ap.add_argument("--details", action="store_true", help="list every difference")
    args = ap.parse_args()
    config = _config()
    results = [evaluate(n, config) for n in (args.names or names())]
    print("\n".join(table(results)))
    if args.details:
        for r in results:
            d = details(r)
            if d:
                print(f"\n{r.name}:\n" + "\n".join(d))


if __name__ == "__main__":
    main()
