"""Page furniture: the lines a web page puts around an article, and what each one is.

Pure: one line in, a ``Verdict`` out (or None: the line is text). A verdict either gives
metadata (``fields``: byline, origin, date, updated, source_note, caption, dateline, title)
or says why the line is dropped (``reason``). Lines whose meaning depends on where they
stand (site menus above the headline, related links in the footer) are decided in
``article.py``, which knows the zones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import dates

_SEP = r"[>»›]|>>|/|\|"


@dataclass
class Verdict:
    reason: str = ""                              # dropped, and why
    fields: dict[str, object] = field(default_factory=dict)
    rest: str = ""                                # text after a moved prefix: it stays body
    yearless: str = ""                            # a date written without its year
    pending: bool = False                         # a label ("Published on") whose date is on the next line
    stamp: bool = False                           # a byline/date/source line: the headline stands near it


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


DROP: list[tuple[re.Pattern[str], str]] = [
    (_p(r"^(?:[•·*-]\s*)?(?:share|分享)(?:\s*(?:this|on|via|this post|this article|to|到))?\s*(?:[-:：]|$).*$"), "share widget"),
    (_p(r"^(?:[•·*-]\s*)?(?:facebook|x|twitter|linkedin|whatsapp|email|e-mail|print|wechat|weibo|reddit|"
        r"telegram|pinterest|instagram|youtube|copy link|微信|微博|qq空间)\s*$"), "share widget"),
    (_p(r"^(?:[•·*-]\s*)?follow (?:us|[\w.]+) on\b.*$"), "share widget"),
    (_p(r"^(?:[lms]\s+){2}[lms]$|^a[+-]?\s+a[+-]?(?:\s+a[+-]?)?$|^(?:adjust )?(?:font|text) size\s*[:：]?.*$"
        r"|^[【\[]?(?:字体|字号)\s*[:：]?\s*(?:[大中小]\s*){0,3}[】\]]?$|^[大小]字号$"), "font-size widget"),
    (_p(r"^\d+\s*comment\(s\)\s*$|^(?:print|e-?mail)(?:\s+(?:print|e-?mail))+\s*$"), "comment widget"),
    (_p(r"^[(（【\[]?\s*(?:web\s+)?(?:editor|editors|edited by|责任编辑|责编|编辑)\s*[:：丨|]?\s*[^)）】\]]{1,40}[)）】\]]?$"
        r"|^(?:【纠错】\s*)?【\s*(?:责任)?编辑\s*[:：].*】$"), "editor credit"),
    (_p(r"^(?:copyright|©|\(c\)|all rights reserved|版权所有).*$"), "copyright notice"),
    (_p(r"^(?:advertisement|subscribe|sign up|click here|download our app)\b.*$|^.{0,30}\bapp download\s*$"), "advertising"),
    (_p(r"^(?:【\d{1,3}】\s*){2,}$|^(?:\d{1,3}\s+){2,}(?:next|下一页)?$"), "page numbers"),
    (_p(r"^(?:e-?mail|tel|phone|电话|邮箱)\b.*(?:@|\d{3,})"), "contact line"),
    (_p(r"^\d{1,3}\s*min(?:ute)?s?\s+read$|^阅读\s*\d+\s*分钟$"), "reading time"),
    (_p(r"^(?:tags|keywords|标签|关键词)\s*[:：].*$"), "tags line"),
    (_p(r"^(?:related|read more|see also|相关阅读|相关新闻|延伸阅读)\s*[:：].+$"), "related links"),
    (_p(r"^(?:\(完\)|（完）|enditem|\(end\)|-end-)$"), "end mark"),
    (_p(rf"^(?:position|location|you are here|当前位置|您的位置|您现在的位置)\s*[:：].*$|^(?:home|首页)\s*(?:{_SEP}).*$"), "breadcrumb"),
    (re.compile(r"^\s*[\w'’ &.-]{1,30}(\s*(?:>>|[>»›])\s*[\w'’ &.-]{1,30}){2,}\s*$"
                r"|^\s*[\w'’ &.-]{1,30}(\s+[/|]\s+[\w'’ &.-]{1,30}){2,}\s*$"), "breadcrumb"),
    (re.compile(r"^\S.{0,30}?\s*>>$"), "site navigation"),
    (_p(r"^[^\s/]{1,60}\.(?:jpe?g|png|gif|webp|svg)$"), "image file name"),
]
RELATED_HEAD = _p(r"^(?:related(?: news| stories| articles| links| reading)?|read more|see also|more news|"
                  r"相关阅读|相关新闻|延伸阅读|推荐阅读)\s*[:：]?$")
END_MARK = _p(r"\s*(?:\(完\)|（完）|\benditem|\(end\))\s*$")
CAPTION = _p(r"^(?:photo|file photo|photo taken|picture|image|caption|图为|图片)\b.*|.*[\[(（](?:photo|图|摄)[^\])）]*[\])）]\s*$"
             r"|.*\((?:xinhua|afp|reuters|ap|getty images|vcg)[^)]*\)\s*$|.*[（(]\d{1,2}月\d{1,2}日摄[）)][。.]?$"
             r"|.*资料图片?[。.]?$|.*(?:记者|通讯员)\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*\s*摄$")
_NAME_CJK = r"[\u4e00-\u9fff·]{1,4}"
REPORTER = re.compile(rf"^[●■◎]?\s*(?P<outlet>[\u4e00-\u9fffA-Za-z+]{{0,10}}?)\s*(?:全媒体|特派|实习)?记者\s*"
                      rf"(?P<names>{_NAME_CJK}(?:[\s、，,]+{_NAME_CJK})*)$")
CN_DATELINE = re.compile(r"^(?P<dl>(?:中新网|中新社|新华社|新华网|人民网|央视网|光明网|本报|南方\+|南方网)"
                         r"[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日电)\s*"
                         r"(?:[（(]\s*(?:记者\s*)?(?P<by>[^）)]{1,30}?)\s*[）)])?\s*"
                         r"(?:题\s*[:：]\s*(?P<title>.+))?")
BYLINE = _p(r"^(?:by|written by|author|authors|writer|writers|reporter|作者|记者)\s*(?:[:：丨|]\s*|\s+)(?P<names>[^|｜]{2,80})$")
LEADING_DATE = _p(rf"^(?:date|published|posted|updated|发布时间|日期)\s*[:：]?\s*(?P<d>{dates.WITH_YEAR})"
                  rf"(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s+(?=\S)")
_NAMES = re.compile(r"^(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})(?:\s*(?:,|and)\s*(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}))+$")

# --- stamps: "By A | China Daily | Updated: 2024-09-18 09:32", "Pub Date:… Source:…" ----------------

_SPLIT = re.compile(r"\s*[|｜]\s*|(?<=\S)\s*(?=(?<!Data )(?:Source|Editor|Updated?|Pub\.? Date|Published|Posted)\s*[:：])"
                    r"|(?<=\S)\s*(?=(?<!数据)(?<!责任)(?<!发布)(?<!更新)(?:来源|责任编辑|编辑|发布时间|更新时间|时间|作者|记者|媒体)\s*[:：])", re.I)
_LABEL = _p(r"^(?P<label>updated?|published(?: on| at)?|pub\.? date|posted(?: on| at)?|date|release date|发布时间|"
            r"更新时间|发布日期|时间|日期)\s*[:：]?\s*")
_SOURCE = _p(r"^(?P<data>data source|数据来源)?(?(data)|(?:source|来源))\s*[:：]\s*")
_EDITOR = _p(r"^(?:web\s+)?(?:editor|责任编辑|编辑)\s*[:：]")
_WIDGET = _p(r"^\d+\s*comment\(s\)\s*(?:print\s*)?(?:e-?mail\s*)?")
_AGENCY = re.compile(r"^[(（]?(?P<a>[A-Z][\w .]{1,30}|[\u4e00-\u9fff]{2,10})[)）]\s*")
_DOMAIN = re.compile(r"(?:^|\s)(?P<d>(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|cn|gov|edu)(?:\.[a-z]{2})?)$", re.I)
_SHORT_NAME = re.compile(r"^(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}|[\u4e00-\u9fff+]{2,12}|[a-z][\w.]{1,20})$")


def _date_part(text: str, out: Verdict, updated: bool) -> bool:
    """A segment made of a date, a time and perhaps a site name; fills ``out``."""
    found = False
    for m in dates.DATE.finditer(text):
        expr = m.group(0)
        day = dates.read(expr)
        if day:
            out.fields.setdefault("date", day)
            if updated:
                out.fields.setdefault("updated", day)
        elif not dates.has_year(expr):
            out.yearless = out.yearless or expr
        else:
            return False
        found = True
        text = text.replace(expr, " ", 1)
    rest = " ".join(text.split())
    while True:
        t = dates.TIME.sub("", rest).strip(" ,")
        if t == rest:
            break
        rest = t
    m = _DOMAIN.search(rest)
    if m and found:
        out.fields.setdefault("origin", m.group("d"))
        rest = rest[:m.start()].strip()
    rest = rest.strip(" ,")
    if rest and found and _SHORT_NAME.match(rest):
        out.fields.setdefault("origin", rest)
        rest = ""
    return found and not rest


_CJK_LABEL = re.compile(r"^(?P<label>作者|记者|媒体|专业号|[\u4e00-\u9fff]{2,4}号)\s*[:：]\s*(?P<v>.*)$")


def _cjk_label(seg: str, out: Verdict) -> bool:
    """'作者:X', '媒体:X', '专业号:X 2023/5/29' in a credits line; '内详' and '网络' name nobody."""
    m = _CJK_LABEL.match(seg)
    assert m is not None
    v = m.group("v").strip()
    out.stamp = True
    if m.group("label") in ("作者", "记者") and v and v not in ("内详", "佚名", "版权声明") and names_ok(v):
        out.fields.setdefault("byline", v)
    elif m.group("label") == "媒体" and v and v not in ("网络",):
        out.fields.setdefault("origin", v)
    elif m.group("label").endswith("号") and dates.DATE.search(v):
        return _date_part(v, out, False)
    return True


def _segment(seg: str, out: Verdict) -> bool:
    seg = seg.strip(" ·")
    if not seg:
        return True
    m = _WIDGET.match(seg)
    if m:
        seg = seg[m.end():]
        out.stamp = True
    m = _AGENCY.match(seg)
    if m and m.end() < len(seg):
        out.fields.setdefault("origin", m.group("a").strip())
        seg = seg[m.end():]
    m = _LABEL.match(seg)
    if m and (m.end() == len(seg) or dates.DATE.search(seg)):
        out.stamp = True
        value = seg[m.end():]
        if not value.strip():
            out.pending = True
            return True
        return _date_part(value, out, m.group("label").lower().startswith(("update", "更新")))
    m = _SOURCE.match(seg)
    if m:
        out.stamp = True
        value = seg[m.end():].strip()
        if m.group("data"):
            out.fields.setdefault("source_note", value)
            return bool(value)
        if dates.DATE.search(value):
            head = dates.DATE.split(value, maxsplit=1)[0].strip()
            if head:
                out.fields.setdefault("origin", head)
            return _date_part(value[len(head):], out, False)
        if value:
            out.fields.setdefault("origin", value)
        return True
    if _EDITOR.match(seg):
        return True
    if _CJK_LABEL.match(seg):
        return _cjk_label(seg, out)
    if seg in ("版权声明", "Copyright notice"):
        return True
    m = re.match(r"(?i)^by\s+(?P<n>.+?)(?:\s*\((?P<o>[^)]{2,40})\))?$", seg)
    if m and names_ok(m.group("n")):
        out.fields.setdefault("byline", m.group("n").strip())
        if m.group("o"):
            out.fields.setdefault("origin", m.group("o").strip())
        out.stamp = True
        return True
    if dates.DATE.search(seg):
        return _date_part(seg, out, False)
    if _SHORT_NAME.match(seg) and len(seg) <= 40:
        out.fields.setdefault("origin", seg)
        return True
    return False


def stamp(line: str) -> Verdict | None:
    """A line of byline, date and source parts, and nothing else."""
    out = Verdict()
    segments = [s for s in _SPLIT.split(line) if s is not None]
    if not all(_segment(s, out) for s in segments):
        return None
    strong = out.stamp or "date" in out.fields or out.yearless
    if not strong:
        return None
    if not out.fields and not out.pending and not out.yearless:
        return Verdict(reason="credits without a name", stamp=True) if re.search(r"[:：]\s*\S", line) else None
    out.stamp = True
    return out


def classify(line: str) -> Verdict | None:
    """What a (stripped) line is when it is not article text; None when it is text."""
    if len(line) > 400:  # running text: only a prefix (a date header, a dateline) can be furniture
        m = LEADING_DATE.match(line)
        day = dates.read(m.group("d")) if m else None
        return Verdict(fields={"date": day}, rest=line[m.end():], stamp=True) if m and day else \
            (_cn_dateline(line) if CN_DATELINE.match(line) else None)
    for pat, why in DROP:
        if pat.match(line):
            return Verdict(reason=why)
    if CN_DATELINE.match(line):
        return _cn_dateline(line)
    if CAPTION.match(line) and len(line) <= 400:
        return Verdict(fields={"caption": line})
    m = REPORTER.match(line)
    if m:
        fields = {"byline": " ".join(m.group("names").split())}
        outlet = m.group("outlet").strip()
        if outlet and outlet not in ("本报", "本网"):
            fields["origin"] = outlet
        return Verdict(fields=fields, stamp=True)
    m = BYLINE.match(line)
    if m and names_ok(m.group("names")):
        names, _, outlet = m.group("names").partition(" (")
        fields = {"byline": names.strip()}
        if outlet.endswith(")") and 2 <= len(outlet) <= 41:   # 'By Zhang Haizhou (China Daily)'
            fields["origin"] = outlet[:-1].strip()
        return Verdict(fields=fields, stamp=True)
    found = stamp(line) if len(line) <= 160 else None
    m = None if found else LEADING_DATE.match(line)
    if m:
        day = dates.read(m.group("d"))
        if day:
            return Verdict(fields={"date": day}, rest=line[m.end():], stamp=True)
    return found


def _cn_dateline(line: str) -> Verdict:
    """'新华社北京3月18日电（记者X）…' (the rest is text) or '中新网广州1月13日电 题：…' (the rest is the title)."""
    m = CN_DATELINE.match(line)
    assert m is not None
    fields: dict[str, object] = {"dateline": m.group("dl")}
    if m.group("by"):
        fields["byline"] = " ".join(m.group("by").split())
    if m.group("title"):
        fields["title"] = m.group("title").strip()
        return Verdict(fields=fields, stamp=True)
    return Verdict(fields=fields, rest=line[m.end():].strip(), stamp=True)


def names_ok(names: str) -> bool:
    """Names after 'By': a few words, no digits, not a sentence."""
    return len(names.split()) <= 12 and not re.search(r"\d|[.!?。:：]\s|[.!?。:：]$", names)


def names_line(line: str) -> bool:
    """A bare list of writers' names: 'Lu Hao, Xu Ruiqing, Zhou Huiying'."""
    return bool(_NAMES.match(line))

