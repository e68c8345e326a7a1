"""The one path policy: which names content may give to files and URLs, which output files may
coexist, and which symbolic links the build may follow.

A name derived from content (a url, slug, section, file name under content/ or static/, a
figure id) becomes a file in the output folder and a URL, on Linux, macOS and Windows alike
(a site is built on one and served or checked out on another). So every segment must be a
name all three can hold and no URL can misread: no control characters, none of ``#?:*"<>|\\``,
no drive letter, no reserved Windows name, no trailing dot or space, no ``.``/``..``. The
functions return the reason (or None); callers turn it into ``SiteError(file, line, ...)``.

Symbolic links are followed only while they stay inside the project: ``link_problem`` says
why a path whose real location is elsewhere must not be read. ``slugify`` makes a safe name
from any text (titles, tags).
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path
from typing import Iterable

from anyascii import anyascii

MAX_SEGMENT = 200    # bytes of UTF-8: leaves room below NAME_MAX (255) for ".name.tmp-PID" siblings
MAX_PATH = 1000      # bytes of UTF-8 for a whole relative path

_RESERVED_CHARS = '#?:*"<>|\\'
_DRIVE = re.compile(r"^[A-Za-z]:")
# Windows refuses these as a file's name, with any extension and in any case ("con.html", "Nul")
_WINDOWS_NAMES = frozenset(["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                            *(f"{p}{n}" for p in ("COM", "LPT") for n in "0123456789¹²³")])
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI


def printable(value: str, limit: int = 60) -> str:
    """A name as a one-line message can show it: control characters escaped, long names cut."""
    out = "".join(ch if not (_control(ch) or "\ud800" <= ch <= "\udfff") else
                  {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\u{ord(ch):04x}") for ch in value)
    return out if len(out) <= limit else out[:limit] + "…"


def _plain(seg: str) -> bool:
    """The common name, seen at once (str methods, no regex: this runs for every page of
    every build): printable, none of the reserved characters, no dot or space at the end."""
    return (seg.isprintable() and seg[-1] not in ". " and "/" not in seg and "#" not in seg and ":" not in seg
            and "?" not in seg and "\\" not in seg and '"' not in seg and "*" not in seg and "<" not in seg
            and ">" not in seg and "|" not in seg and not (seg[0] == "." and seg.casefold() == ".git"))


def segment_problem(seg: str) -> str | None:
    """Why ``seg`` cannot be one segment of an output path (a file or folder name), or None."""
    if seg == "":
        return "is empty"
    if not _plain(seg):
        problem = _odd_segment(seg)
        if problem:
            return problem
    stem = seg.split(".", 1)[0]
    if len(stem) <= 8 and stem.rstrip(" ").upper() in _WINDOWS_NAMES:
        return f"uses '{stem}', a name Windows reserves"
    if len(seg) * 4 > MAX_SEGMENT and len(seg.encode("utf-8", "surrogatepass")) > MAX_SEGMENT:
        return f"is longer than {MAX_SEGMENT} bytes of UTF-8"  # (4 bytes a character at most)
    return None


def _odd_segment(seg: str) -> str | None:
    for ch in seg:
        if "\ud800" <= ch <= "\udfff":
            return "contains bytes that are not UTF-8"
        if _control(ch):
            return f"contains a control character (U+{ord(ch):04X})"
    if "/" in seg:
        return "contains '/'"
    if _DRIVE.match(seg):
        return f"starts with a Windows drive letter ('{seg[:2]}')"
    for ch in _RESERVED_CHARS:
        if ch in seg:
            return f"contains '{ch}', which URLs or Windows file names reserve"
    if seg == "..":
        return "has a '..' segment, which leads out of its folder"
    if seg == ".":
        return "has a '.' segment"
    if seg.casefold() == ".git":
        return "names '.git', git's own folder"
    if seg[-1] in ". ":
        return f"ends with a dot or a space ('{printable(seg, 40)}'), which Windows drops"
    return None  # not printable, yet allowed: a no-break space, a joiner in an emoji...


def path_problem(rel: str) -> str | None:
    """Why the relative path ``rel`` ('a/b', or a folder 'a/b/') cannot name an output file
    or folder, or None. '' (the site's root) is fine."""
    if rel == "":
        return None
    if rel.startswith("/"):
        return "starts with '/'"
    if len(rel) * 4 > MAX_PATH and len(rel.encode("utf-8", "surrogatepass")) > MAX_PATH:
        return f"is longer than {MAX_PATH} bytes of UTF-8"
    segments = rel[:-1].split("/") if rel.endswith("/") else rel.split("/")
    for seg in segments:
        problem = "has an empty segment ('//')" if seg == "" else segment_problem(seg)
        if problem:
            return problem
    return None


def example_name(rel: str, segment: bool = False) -> str:
    """A safe name like ``rel``, for the 'e.g.' of a message: each segment slugified
    (``segment``: joined into one segment, for a slug)."""
    if segment:
        return example_name(rel.replace("/", "-").replace("\\", "-").strip("-") or "example")
    out = []
    for seg in rel.strip("/").split("/"):
        stem, dot, ext = seg.rpartition(".")
        if not (dot and re.fullmatch(r"[A-Za-z0-9]{1,8}", ext) and re.search(r"\w", stem)):
            stem, dot, ext = seg, "", ""  # no file extension to keep
        fixed = slugify(stem) + (dot + slugify(ext) if dot else "")
        if segment_problem(fixed):  # slugify("CON") is "con", still reserved
            fixed = slugify(stem) + "-1" + (dot + slugify(ext) if dot else "")
        if seg not in ("", ".", ".."):
            out.append(fixed)
    return "/".join(out or ["example"]) + ("/" if rel.endswith("/") else "")


def fold(rel: str) -> str:
    """The key under which two names are the same file on macOS and Windows (case and
    Unicode normalisation ignored)."""
    if rel.isascii():
        return rel.lower()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", rel).casefold())


# --- slugs -------------------------------------------------------------------------------------

def _ascii_words(text: str) -> str:
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        t = anyascii(ch)
        # a CJK character transliterates to a syllable: keep syllables apart ("guang-dong")
        out.append(f" {t} " if t.isalpha() and unicodedata.category(ch) == "Lo" else t)
    return "".join(out)


_STOP = frozenset("a an the of in on at to for and or is are was were be been by with from its its as".split())


@functools.lru_cache(maxsize=1 << 16)  # a tag is slugified once per page that has it
def slugify(text: str, max_len: int = 60, short: bool = False) -> str:
    """A stable, readable ASCII slug: never empty, never contains '/', '\\' or '..'.
    ``short`` drops small words ("the", "of"…), for slugs made from long titles."""
    words = re.findall(r"[a-z0-9]+", _ascii_words(text).lower().replace("'", ""))
    if short and any(w not in _STOP for w in words):
        words = [w for w in words if w not in _STOP]
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_len]
    return slug or "untitled"


# --- output files --------------------------------------------------------------------------------

class OutputClaims:
    """Every output file (or whole folder) and who writes it, checked for collisions before
    anything is written: the same file twice, a file where another needs a folder, or two
    names that differ only in case (one file on macOS and Windows)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str, str]] = {}  # folded prefix -> (spelling, kind, owner)
        self._dirs: set[str] = set()  # folders as spelled: most files share a folder checked already

    def claim(self, rel: str, owner: str) -> str | None:
        """Record that ``owner`` writes ``rel`` ('a/b.html'; 'pagefind/' for a whole folder).
        Returns what it collides with, as a message naming the other owner, or None."""
        tree = rel.endswith("/")
        path = rel[:-1] if tree else rel
        new: list[tuple[str, str, str]] = []  # (folded prefix, prefix, kind) not seen before
        end = path.find("/")
        while True:  # each folder on the way, then the file itself
            prefix = path if end == -1 else path[:end]
            kind = ("tree" if tree else "file") if end == -1 else "dir"
            if kind != "dir" or prefix not in self._dirs:
                key = prefix.lower() if prefix.isascii() else fold(prefix)
                known = self._seen.get(key)
                if known is None:
                    new.append((key, prefix, kind))
                else:
                    problem = _collision(rel, prefix, kind, *known)
                    if problem:
                        return problem
            if end == -1:
                break
            end = path.find("/", end + 1)
        for key, prefix, kind in new:
            self._seen[key] = (prefix, kind, owner)
            if kind == "dir":
                self._dirs.add(prefix)
        return None


def _collision(rel: str, prefix: str, kind: str, spelled: str, other_kind: str, other: str) -> str | None:
    """What is wrong with writing ``prefix`` (as a kind: dir, file or tree) where ``other`` has
    written ``spelled`` (a name equal to it once case is ignored), or None."""
    if spelled != prefix:
        what = "folder" if kind != "file" or other_kind != "file" else "file"
        return (f"its output {what} {prefix} and {spelled}, written by {other}, differ only in "
                "case (macOS and Windows hold them as one)")
    if other_kind == "tree":
        return f"its output file {rel} is inside {spelled}/, which {other} writes"
    if kind == "tree":
        return f"it writes the folder {prefix}/, where {other} writes too"
    if kind == "file" and other_kind == "file":
        return f"its output file {rel} is also written by {other}"
    if other_kind == "file":
        return f"its output file {rel} needs a folder {prefix}, which {other} writes as a file"
    if kind == "file":
        return f"its output file {rel} is a folder that {other} writes into"
    return None  # two files in one folder


def case_duplicates(names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, the earlier name it differs from only in case), for names in the given order."""
    seen: dict[str, str] = {}
    out = []
    for name in names:
        first = seen.setdefault(fold(name), name)
        if first != name:
            out.append((name, first))
    return out


# --- symbolic links ----------------------------------------------------------------------------

def inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, all links followed, is ``root`` or inside it (``root`` resolved too)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def link_problem(path: Path | str, roots: Iterable[Path | str]) -> str | None:
    """Why ``path`` must not be read: a symbolic link (or a path through one) whose target is
    outside every root. None when it stays inside one of them."""
    real = os.path.realpath(path)
    for root in roots:
        real_root = os.path.realpath(root)
        if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep):
            return None
    what = "folder" if os.path.isdir(real) else "file"
    return (f"symbolic link to a {what} outside the project ({real}); copy it into the "
            "project or remove the link")
