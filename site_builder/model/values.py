"""Single values of ``site.yaml`` and front matter checked on their own: a language tag, the
base URL, the credit line (config.py reads the file; pages.py checks a page's language)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import SiteError
from ..paths import printable


# RFC 5646 (BCP 47): language[-extlang][-script][-region]*[-variant]*[-extension][-x-private], or
# x-private alone. The language is the usual 2-3 letter code (4-8 letter ones are reserved or
# unused, and would let 'english' through).
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+)", re.I | re.A)
# Pagefind 1.5 puts the tag into its file names and panics ("byte index 39 is out of bounds")
# from about 30 characters on; the longest tags in real use are about 20 (sr-Latn-RS-u-nu-latn)
MAX_LANGUAGE = 20
_LANGUAGE_HELP = ("write the 2- or 3-letter language code, with a script or region if needed, e.g. "
                  "language: en, zh-CN, pt-BR or sr-Latn")


def check_language(value: str, where: str, line: int | None) -> str:
    """A BCP 47 language tag: it goes into <html lang>, the feed, and Pagefind's file names."""
    if _LANGUAGE_TAG.fullmatch(value):
        if len(value) > MAX_LANGUAGE:
            raise SiteError(where, line, f"language '{value}' is longer than {MAX_LANGUAGE} characters, more "
                                         f"than the search index can hold; {_LANGUAGE_HELP}")
        return value
    fixed = value.strip().replace("_", "-")
    hint = f" (did you mean '{fixed}'?)" if fixed != value and _LANGUAGE_TAG.fullmatch(fixed) else ""
    raise SiteError(where, line, f"language '{printable(value)}' is not a BCP 47 language tag{hint}; "
                                 + _LANGUAGE_HELP)


def check_base_url(url: str, where: str, line: int | None) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(where, line, f"base_url '{printable(url)}' needs a scheme and a host, "
                                     "e.g. https://user.github.io/repo/")
    if parts.query or parts.fragment:
        raise SiteError(where, line, f"base_url '{printable(url)}' must not have a query or #fragment")
    if ".." in parts.path.split("/"):
        raise SiteError(where, line, f"base_url '{printable(url)}' must not contain '..'")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


MAX_CREDIT = 500


def check_credit(value: str, where: str, line: int | None) -> str:
    """The credit line: one paragraph of plain text (it is shown as written, never as markup)."""
    text = " ".join(value.split())
    if any(ch < " " or "\x7f" <= ch < "\xa0" for ch in value.replace("\n", " ").replace("\t", " ")):
        raise SiteError(where, line, "credit contains a control character; write it as plain text, e.g. "
                                     "credit: Articles are republished with permission of their publishers.")
    if len(text) > MAX_CREDIT:
        raise SiteError(where, line, f"credit is {len(text)} characters long; a credit line is at most "
                                     f"{MAX_CREDIT} (put a longer statement on an about page)")
    return text
