"""What a figure is about, read from the words around it: the clause that makes its label
(a true statement that holds the number), its direction (rose/fell), and how exact it is
("about", "more than"). Pure; each lookup is a binary search over boundaries found once."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

MAX_LABEL = 240       # a clause longer than this does not make a label a reader can check

_BOUNDARY = re.compile(r"[,;:](?=\s|$)|\.(?=\s|$)|[，。；：！？(（\n]|--|—|–(?=\s)")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
# a clause that starts like this has no subject of its own: the label takes the clause before too
UP = (r"rose|rise|rises|rising|grew|grow|grows|growing|growth|increased|increase|increases|up|climbed|"
      r"surged|jumped|gained|expanded|higher|faster|more|above|soared|doubled")
DOWN = (r"fell|fall|falls|falling|dropped|drop|drops|declined|declines|decline|decreased|decrease|down|"
        r"shrank|contracted|slid|slipped|plunged|lost|lower|slower|less|below|slumped|tumbled")
# a clause that starts like this has no subject of its own: the label starts at the sentence
_DANGLING = re.compile(
    rf"^\s*(?:(?:up|down|rising|falling|increasing|decreasing|accounting|which|while|with|and|or|but|after|"
    rf"before|as|when|since|compared|making|bringing|reaching|ranking|year on year|year-on-year|respectively|"
    rf"including|led by|an? (?:increase|decrease|rise|drop|decline|growth)|{UP}|{DOWN})\b"
    r"|(?:the|a|an|its|their)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+,"
    r"|同比|环比|比上|比去|较|占|其中|增长|下降|增速|约|近|超过|达到?|均|分别|为|提高|加快|回落)", re.I)
_QUALIFIERS = re.compile(r"^(?:[-−+]|about|around|approximately|roughly|nearly|almost|some|over|more than|"
                         r"less than|at least|up to|约|近|超过|逾|\s)*$", re.I)
_UP_BEFORE = re.compile(rf"\b(?:{UP})\b", re.I)
_DOWN_BEFORE = re.compile(rf"\b(?:{DOWN})\b", re.I)
_CJK_DIRECTION = re.compile(r"(增长|提高|上升|增加|加快|扩大|回升|下降|减少|回落|降低|下滑|收窄|放缓)(?:了|幅度为|幅度)?"
                            r"(?:约|近|超过|逾)?$")
_CJK_DOWN = ("下降", "减少", "回落", "降低", "下滑", "收窄", "放缓")
_SHARE_BEFORE = re.compile(r"(?:\b(?:account(?:s|ed|ing)?\s+for|make(?:s)?\s+up|made\s+up|represent(?:s|ed|ing)?|"
                           r"share\s+of|proportion\s+of)(?:\s+(?:about|around|roughly|nearly|almost|over|"
                           r"more than|less than|some|only|just))?\s*$|占(?:全国|全省|全市|全球)?(?:的)?(?:比重)?"
                           r"(?:约|近|超过)?$|占比(?:为|达)?$|比重(?:为|达)?$)", re.I)
_AFTER_DIRECTION = re.compile(rf"^\s*(?:(?P<up>{UP}|increase|rise|gain|jump)|(?P<down>{DOWN}|decline|drop|"
                              r"decrease|contraction|slump))\b", re.I)
_QUAL_BEFORE = [(re.compile(r"(?:\b(?:about|around|approximately|roughly|nearly|almost|some)\s+|约|近|将近|接近)$", re.I), "≈ "),
                (re.compile(r"(?:\b(?:more than|over|above|exceeding)\s+|超过|逾|超)$", re.I), "> "),
                (re.compile(r"\bat least\s+$", re.I), "≥ "),
                (re.compile(r"(?:\b(?:less than|fewer than|under|below)\s+|不到|不足)$", re.I), "< ")]
_QUAL_AFTER = [(re.compile(r"^(?:左右)"), "≈ "), (re.compile(r"^(?:以上|多)"), "> ")]


class Bounds:
    """Where the clauses (or sentences) of one text begin and end, found in one pass, so that
    each lookup is a binary search: extraction stays linear in the paragraph's length."""

    def __init__(self, text: str, pattern: re.Pattern[str] = _BOUNDARY):
        self.text = text
        found = list(pattern.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """From the end of the last boundary before ``start`` to the first one at or after ``end``."""
        i = bisect_right(self.ends, start)
        j = bisect_left(self.starts, end)
        return (self.ends[i - 1] if i else 0), (self.starts[j] if j < len(self.starts) else len(self.text))


def note(notes: list[str] | None, source: str, message: str) -> None:
    if notes is not None:
        notes.append(f"{source}: {message}")


class Labeler:
    """Labels for the figures of one paragraph (or one list item)."""

    def __init__(self, text: str, item: bool = False):
        self.text = text
        self.clauses = Bounds(text)
        self.sentences = Bounds(text, _SENTENCE_END)
        head = re.match(r"([^:：]{2,100}?)\s*[:：]\s", text + " ") if item else None
        self.head = head.group(1).strip() if head and not re.search(r"\d", head.group(1)) else ""
        self.head_end = head.end() if head else 0

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self.sentences.around(start, end)

    def clause(self, start: int, end: int) -> str:
        """The clause holding text[start:end], with the clauses before it while it has no subject
        of its own ('…, up 9.8 percent'), never past the sentence start; "" when too long."""
        text = self.text
        left, right = self.clauses.around(start, end)
        sent_left = max(self.sentence(start, end)[0], self.head_end if start >= self.head_end else 0)
        left = max(left, sent_left)
        if right - sent_left > 4 * MAX_LABEL:
            return ""  # slices stay short: linear time on a paragraph with no boundaries
        if _DANGLING.match(text[left:start]) or _QUALIFIERS.match(text[left:start]):
            left = sent_left  # '…, up 9.8 percent': the whole sentence up to the figure's clause
        label = text[left:right].strip(" \u3000,;:—–-，；：\"“”'‘’").rstrip(".。")
        if len(label) > MAX_LABEL or not label:
            return ""
        if self.head and start >= self.head_end and self.head not in label:
            label = f"{self.head}: {label}"  # a figure in a list item names the item
        return label

    def direction(self, start: int, end: int) -> tuple[int, bool]:
        """(+1 rose, -1 fell, 0 neither; whether the figure is a share 'accounting for' something)."""
        text = self.text
        left, _ = self.clauses.around(start, end)
        before = text[max(left, start - 80):start]
        cjk = bool(re.search(r"[\u4e00-\u9fff]", before[-4:] or text[end:end + 2]))
        if _SHARE_BEFORE.search(before.rstrip()) or re.match(r"\s+of\s+(?:the\s+)?\w", text[end:end + 12]):
            return 0, True
        if re.search(r"(?:\b(?:to|at)\s+(?:about\s+|around\s+|nearly\s+)?|[至为])$", before):
            return 0, False  # 'dropped … to 5.1 percent', '降至5.1%': a level, not the change
        if cjk:
            m = _CJK_DIRECTION.search(before.replace("同比", ""))
            return ((-1 if m.group(1) in _CJK_DOWN else 1) if m else 0), False
        after = _AFTER_DIRECTION.match(text[end:end + 20])
        if after:
            return (1 if after.group("up") else -1), False
        ups = [m.end() for m in _UP_BEFORE.finditer(before)]
        downs = [m.end() for m in _DOWN_BEFORE.finditer(before)]
        if not ups and not downs:
            # "…rose 28.7 percent, 21.3 percent and 45.0 percent": the verb of the clause before
            lead = re.match(r"\s*(?:\S+\s+(?:percent|per cent|times)\s+)?(?:and\s+)?$", before, re.I)
            return self.direction(left - 1, left - 1) if lead and left > 1 else (0, False)
        return (1 if max(ups, default=-1) > max(downs, default=-1) else -1), False

    def qualifier(self, start: int, end: int) -> str:
        before, after = self.text[max(0, start - 16):start], self.text[end:end + 4]
        for pat, sign in _QUAL_BEFORE:
            if pat.search(before):
                return sign
        return next((sign for pat, sign in _QUAL_AFTER if pat.match(after)), "")

    def respectively(self, found: list) -> None:  # noqa: ANN001 - list[figures.Found]
        """'Exports of A, B and C grew 10.5 times, 50.5 percent and 1.2 times respectively':
        each figure's label names its own item, or the figures are left out."""
        text = self.text
        for m in re.finditer(r"\brespectively\b|分别", text):
            s_left, s_right = self.sentence(m.start(), m.end())
            group = [f for f in found if s_left <= f.start < s_right and f.figure["kind"] != "count"]
            if len(group) < 2:
                continue
            first = group[0].start
            verb = None
            for v in re.finditer(rf"\b(?:{UP}|{DOWN}|reached|totaled|were|was)\b", text[s_left:first]):
                verb = v
            subject = text[s_left:s_left + verb.start()].strip() if verb else ""
            parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", subject) if p]
            if not verb or len(parts) < len(group):
                found[:] = [f for f in found if f not in group]
                continue
            items = parts[-len(group):]
            lead = re.match(r"(.*\bof\s+)", items[0])
            prefix = lead.group(1) if lead else ""
            items[0] = items[0][len(prefix):]
            for f, item in zip(group, items):
                f.figure["label"] = f"{prefix}{item} {verb.group(0)} {text[f.start:f.end].strip()}"
