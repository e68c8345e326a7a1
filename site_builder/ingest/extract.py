"""Facts quoted from an article: numeric figures (``figures.py``), named lists and quoted
terms. Every fact keeps the exact source text it came from, so the build can prove it was
not invented (see ``site._check_facts``). Pure functions on text, linear in its length.
"""
from __future__ import annotations

import re

from .figures import MAX_FIGURES, figures_in
from .labels import Bounds, note

__all__ = ["MAX_FIGURES", "MAX_ITEMS", "MAX_LISTS", "MAX_TERMS", "figures_in", "lists_in", "terms_in"]

# Caps per paragraph: a real paragraph stays far below them; a hostile or broken one
# (a 350 KB run of "1% and …") is cut short, and the ingest report says what was skipped.
MAX_LISTS = 10
MAX_ITEMS = 30        # a "such as" list longer than this is not a list a reader wants as a card
MAX_TERMS = 40
MAX_LIST_TEXT = 600   # characters from a cue to the end of its list
MAX_QUOTE = 600       # a term's sentence longer than this is quoted as the term alone
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")


# --- named lists: "… clusters, such as A, B, and C" ------------------------------------
_CUE = re.compile(r",?\s+(?P<cue>such as|including|like|namely|e\.g\.,?)\s+")
_ITEMS = re.compile(r"(?:[^.;:!?()]|\.(?=\w))+")
_HEAD_START = re.compile(r"[.;:!?]\s*")
_HEAD_CUT = re.compile(r"^.*(?:,|\b(?:by|of|in|for|with|from|to|at|on|among|has|have|had|created|built|includes?|included|are|is|was|were))\s+", re.I)
_LIST_END = re.compile(r",?\s+(?:along with|as well as|while|which|where|and other|among others|etc)\b.*$|,\s+(?:with|and)\s+\w+\s+\w+.*\b(?:is|are|was|were|has|have)\b.*$")
_VERB = re.compile(r"^(?:reached|rose|grew|were|are|is|was|have|has|had|accounted|made|totaled|totalled|"
                   r"saw|posted|recorded|became|remain(?:ed)?|will|would|can|could)\b", re.I)


def _items(body: str, count: int | None) -> list[str]:
    """'A, B, C and D' → [A, B, C, D]. Commas separate items; 'and' only the last two (an item may
    be 'software and information services'); a known count decides between the readings."""
    parts = [p.strip() for p in re.split(r",\s*", body) if p.strip()]
    oxford = len(parts) > 1 and re.match(r"(?:and|or)\s+", parts[-1])
    parts[-1] = re.sub(r"^(?:and|or)\s+", "", parts[-1])
    cut = next((i for i, p in enumerate(parts) if _VERB.match(p)), None)
    parts = parts[:cut] if cut else parts  # '…, and health, reached 10 trillion yuan'
    readings = [parts] if oxford else []
    ands = list(re.finditer(r"\s+(?:and|or)\s+", parts[-1]))
    if not oxford and ands:
        # 'software and information services and biomedicine and health': the most even split
        words = lambda t: len(t.split())  # noqa: E731
        best = min(ands, key=lambda a: abs(words(parts[-1][:a.start()]) - words(parts[-1][a.end():])))
        split = parts[:-1] + [parts[-1][:best.start()], parts[-1][best.end():]]
        readings += [split, parts] if len(ands) == 1 else [parts, split]
    readings.append(parts)
    return next((items for items in readings if len(items) == count), readings[0])


def lists_in(text: str, source: str, figures: list[dict], notes: list[str] | None = None) -> list[dict]:
    """Named lists: '… clusters, such as A, B, and C' → title and items, quoted exactly.
    A list ends at the next cue at the latest, so each character is read a bounded number of times."""
    out = []
    cues = list(_CUE.finditer(text))
    for k, cue in enumerate(cues):
        if len(out) == MAX_LISTS:
            note(notes, source, f"lists after the first {MAX_LISTS} skipped (a paragraph has at most "
                                 f"{MAX_LISTS}), from “{text[cue.start():cue.start() + 40].strip()}…”")
            break
        stop = min(cues[k + 1].start() if k + 1 < len(cues) else len(text), cue.end() + MAX_LIST_TEXT + 1)
        m = _ITEMS.match(text, cue.end(), stop)
        if not m:
            continue
        if m.end() > cue.end() + MAX_LIST_TEXT:
            note(notes, source, f"a list longer than {MAX_LIST_TEXT} characters skipped: "
                                 f"“{text[cue.start():cue.start() + 40].strip()}…”")
            continue
        body = _LIST_END.sub("", m.group(0)).strip().rstrip(",")
        starts = [x.end() for x in _HEAD_START.finditer(text, max(0, cue.start() - 160), cue.start())]
        head = text[starts[-1] if starts else max(0, cue.start() - 160):cue.start()].strip().rstrip(",")
        counted = next((f for f in reversed(figures) if f["kind"] == "count" and "of" not in f
                        and f["text"] in head and head.endswith(f["text"].split()[-1])), None)
        items = _items(body, int(counted["value"]) if counted else None)
        if len(items) > MAX_ITEMS:
            note(notes, source, f"a list of {len(items)} items skipped (at most {MAX_ITEMS}): "
                                 f"“{text[cue.start():cue.start() + 40].strip()}…”")
            continue
        if len(items) < 2 or any(len(i.split()) > 6 or not i[0].isalnum() for i in items):
            continue
        body = body[:body.index(items[-1]) + len(items[-1])]
        if counted:
            title = counted["label"]
        else:
            words = _HEAD_CUT.sub("", head).split()[-5:]
            title = " ".join(w for w in words if w.lower() not in ("a", "an", "the", "many", "several", "other"))
        if not title:
            continue
        quoted = text[cue.start("cue"):cue.end() + len(body)]
        out.append(dict(title=title[0].upper() + title[1:], items=items, text=quoted.strip(), source=source))
    return out


# --- quoted terms: “intellectual content” ------------------------------------------------
# curly and CJK quotes pair up; a straight quote opens only after a space and closes before one
_QUOTED = re.compile(r"[“「『]([^“”「」『』]{2,60}?)[,.，。]?[”」』]|(?:(?<=^)|(?<=[\s(\[]))\"(?=\S)([^\"]{2,60}?)[,.]?\"(?=[\s,.;:!?)\]]|$)")
_TERM_OK = re.compile(r"^[\w][\w\s'’&-]*$")


def terms_in(text: str, source: str, notes: list[str] | None = None) -> list[dict]:
    out: list[dict] = []
    sentences: Bounds | None = None  # found at the first quotation mark: most paragraphs have none
    for m in _QUOTED.finditer(text):
        if len(out) == MAX_TERMS:
            note(notes, source, f"quoted terms after the first {MAX_TERMS} skipped (a paragraph has at most "
                                 f"{MAX_TERMS}), from “{m.group(0)[:40]}”")
            break
        raw = (m.group(1) or m.group(2) or "").strip()
        term = raw.rstrip(",.，。")
        sentence_like = m.group(0)[-2:-1] in ".!?" and term[:1].isupper()  # a quoted sentence, not a term
        if not _TERM_OK.match(term) or sentence_like:
            continue
        n = len(term) if any("\u3000" <= c <= "\u9fff" for c in term) else len(term.split())
        if not term or n > (12 if n == len(term) else 4) or any(c in term for c in "!?;:。！？"):
            continue
        sentences = sentences or Bounds(text, _SENTENCE_END)
        left, right = sentences.around(m.start(), m.end())
        right = min(right + 1, len(text))  # the sentence keeps its final stop
        sentence = text[left:right].strip() if right - left <= MAX_QUOTE else m.group(0)
        out.append(dict(term=term, text=sentence, source=source))
    return out
