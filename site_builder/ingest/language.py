"""An article's language: what its page declares, else what its text is written in.

The script tells Chinese, Japanese and Korean at once. Other text of a web page goes to a language identifier
(py3langid, loaded once, at the first article that needs it: never for CJK text or a page that
declares its language), which must be sure of itself on enough text; when it is not, the article
takes the site's language (``""``), so a short or mixed text never gets a guessed tag.
"""
from __future__ import annotations

import re
from functools import lru_cache

SAMPLE = 1500        # characters of text looked at: a page of text tells its language
MIN_LETTERS = 120    # below this, an identifier's answer is a guess
MIN_CONFIDENCE = 0.95

_LETTER, _KANA = re.compile(r"[^\W\d_]"), re.compile("[\u3040-\u30ff]")
_HANGUL, _HAN = re.compile("[\uac00-\ud7af]"), re.compile("[\u4e00-\u9fff]")
_CJK = {"zh", "ja", "ko"}


def by_script(text: str) -> str:
    """Chinese, Japanese or Korean when the script says so; "" for any other script."""
    letters = len(_LETTER.findall(text)) or 1
    if len(_KANA.findall(text)) * 20 > letters:
        return "ja"
    if len(_HANGUL.findall(text)) * 5 > letters:
        return "ko"
    return "zh" if len(_HAN.findall(text)) * 3 > letters else ""


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    # py3langid 0.4's API (tests/test_ingest_web.py fails when it changes): a model with
    # probabilities normalised to 0..1, so that "sure of itself" is a threshold
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """The language of text in a non-CJK script, or "" when the identifier is not sure."""
    sample = text[:SAMPLE]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return ""
    lang, confidence = _identifier().classify(sample)
    return lang if confidence >= MIN_CONFIDENCE else ""


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def choose(declared: str, text: str) -> tuple[str, str]:
    """(language, how it was found). The page's declared language wins unless the script of its
    text contradicts it (a CMS template that says lang="en" around Chinese text, or the reverse)."""
    script = by_script(text[:3000])
    if declared:
        if script and primary(declared) != script:
            return script, f"its script (the page declares '{declared}')"
        if not script and primary(declared) in _CJK:
            found = identify(text)
            return found, f"the text (the page declares '{declared}')" if found else "the site's language"
        return declared, "the page's declared language"
    if script:
        return script, "its script"
    found = identify(text)
    return found, ("the text" if found else "the site's language")
