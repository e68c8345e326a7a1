"""Realistic multi-article sites for tests and benchmarks (issue 15), made by ingesting.

    python tools/multisite.py OUT --articles 100 [--dates dated|undated|mixed] [--base-url URL] [--no-ingest]

Each article is an article of the project's own corpus (``tests/articles/*.txt``, real scraped
shapes in English and Chinese, and the demo seed), in turn. Article 0 is the demo seed as it is,
so a one-article site is the demo site. Later copies of a corpus article are told apart the way
a newsroom's follow-ups are: the headline gets "— follow-up N" / "·续N", and the numbers that say
how much (followed by %, percent, billion, 亿…) grow a little with each copy, so a measure has
different values at different dates. Dates are set through the article's own stamp line (the
line that gave it its date is replaced by a stamp of the generated date, in a form ingest reads),
so ``--dates undated`` leaves no date at all and ``mixed`` leaves every third article undated.

Nothing is written by hand into ``content/``: the seeds go to ``OUT/seeds/`` and
``site-builder ingest`` makes the pages, as a user's site gets them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "articles"
SEED = ROOT / "seeds" / "guangdong-new-industrialization-2023-12-05.txt"
FIRST_DAY = dt.date(2019, 1, 7)
LAST_DAY = dt.date(2025, 12, 31)   # no generated article is dated after it
# hand-made edge cases of the corpus: they test ingest, they are not articles a site would hold
SKIP = {"adversarial"}

_SEED_DATE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a number that says how much: grows with each copy (years, ranks and counts of things stay)
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?=\s?(?:%|percent|per cent|billion|million|"
                     r"trillion|亿|万|个百分点))")


def corpus() -> list[tuple[str, str, dict]]:
    """(name, text, expectation) of every corpus article, the demo seed first."""
    out = [("seed", SEED.read_text(encoding="utf-8"), {"title": "", "furniture": []})]
    for path in sorted(CORPUS.glob("*.txt")):
        if path.stem in SKIP:
            continue
        expect = yaml.safe_load(path.with_suffix("").with_suffix(".expect.yaml").read_text(encoding="utf-8"))
        out.append((path.stem, path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"), expect))
    return out


def stamp(day: dt.date | None, chinese: bool, origin: str) -> str:
    """A publication stamp in a form ingest reads (see the README's Ingestion section); without
    a day, the publisher alone (a page without its stamp line loses the headline's anchor)."""
    if day is None:
        return f"来源：{origin or '南方日报'}" if chinese else f"Source: {origin or 'China Daily'}"
    if chinese:
        return f"{day.year}年{day.month:02d}月{day.day:02d}日 10:21 来源：{origin or '南方日报'}"
    return f"{origin or 'China Daily'} | Updated: {day.isoformat()} 09:32"


def _grow(text: str, copy: int) -> str:
    def bump(m: re.Match) -> str:
        raw = m.group(1)
        value = float(raw.replace(",", "")) * (1 + 0.07 * copy)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        return f"{value:,.{decimals}f}" if "," in raw else f"{value:.{decimals}f}"
    return _AMOUNT.sub(bump, text)


def variant(text: str, expect: dict, copy: int, day: dt.date | None) -> str:
    """The corpus article as its ``copy``-th follow-up, dated ``day`` (None: no date at all)."""
    chinese = expect.get("language") == "zh" or (not expect.get("language") and bool(_CJK.search(text)))
    spaced = "\n\n" in text  # else one paragraph a line: a blank line would change how it reads
    dating = {f["line"].strip() for f in expect.get("furniture", [])  # also a stamp without a year
              if re.search(r"\b(date|updated)\b", f.get("becomes", "") or f.get("dropped", ""))}
    new_stamp = stamp(day, chinese, expect.get("origin", ""))
    lines, placed = [], False
    for line in text.split("\n"):
        for part in dating:  # a dateline with its year, inside the first paragraph
            if part in line and part != line.strip() and day is None:
                line = line.replace(part, re.sub(r",?\s*\d{4}\b", "", part))
        if line.strip() in dating:  # the line that dated the article: the generated date instead
            if not placed:
                lines.append(new_stamp)
                placed = True
            continue
        lines.append(line)
    if lines and _SEED_DATE.match(lines[0]):  # the demo seed starts with its date
        lines[0] = _SEED_DATE.sub("", lines[0])
    title = (expect.get("title") or "").strip()
    at = next((i for i, line in enumerate(lines) if title and title in line), None)
    if copy and at is not None:
        lines[at] = lines[at].replace(title, f"{title}·续{copy}" if chinese else f"{title} — follow-up {copy}", 1)
    elif copy and not title:  # the demo seed has no headline: give the follow-up one
        lines[:0] = [f"Guangdong manufacturing update {copy}", ""]
        at = 0
    if day and not placed:
        where = at + 1 if at is not None else 0
        lines[where:where] = ["", new_stamp, ""] if spaced else [new_stamp]
    body = "\n".join(lines)
    return _grow(body, copy) if copy else body


def dates_for(n: int, mode: str) -> list[dt.date | None]:
    """A date for each article (about one every nine days; closer for a site too large for that
    to end before LAST_DAY: a later date is in the future, and a page dated in the future is not
    built without --future), None where it has none."""
    step = max(1, min(9, (LAST_DAY - FIRST_DAY).days // max(n, 1)))
    out = []
    for i in range(n):
        undated = mode == "undated" or (mode == "mixed" and i % 3 == 2)
        out.append(None if undated else FIRST_DAY + dt.timedelta(days=step * i + (i * 7) % 5))
    if mode == "dated" and n and n == 1:
        out[0] = dt.date(2023, 12, 5)  # the demo seed's own date
    return out


def make_seeds(folder: Path, n: int, mode: str) -> list[Path]:
    """Write ``n`` article seeds into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = corpus()
    paths = []
    for i, day in enumerate(dates_for(n, mode)):
        name, text, expect = articles[i % len(articles)]
        path = folder / f"{i:04d}-{name}.txt"
        path.write_text(variant(text, expect, i // len(articles), day), encoding="utf-8")
        paths.append(path)
    return paths


def make_site(out: Path, n: int, mode: str = "mixed", base_url: str | None = None,
              ingest: bool = True, extra_config: str = "", search: bool = True) -> Path:
    """A site of ``n`` ingested articles in ``out`` (made anew), with the demo site's config."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    config = (ROOT / "site.yaml").read_text(encoding="utf-8")
    if base_url:
        config = re.sub(r"(?m)^base_url:.*$", f"base_url: {base_url}", config)
    if not search:
        config = re.sub(r"(?m)^search:.*$", "search: false", config)
    (out / "site.yaml").write_text(config + extra_config, encoding="utf-8")
    make_seeds(out / "seeds", n, mode)
    if ingest:
        r = subprocess.run([sys.executable, "-m", "site_builder", "-C", str(out), "ingest"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"ingest failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--dates", choices=["dated", "undated", "mixed"], default="mixed")
    ap.add_argument("--base-url")
    ap.add_argument("--no-ingest", action="store_true", help="write the seeds only")
    args = ap.parse_args()
    make_site(args.out, args.articles, args.dates, args.base_url, not args.no_ingest)
    print(f"{args.out}: {args.articles} articles ({args.dates})")


if __name__ == "__main__":
    main()
