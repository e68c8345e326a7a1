"""Which theme a paragraph belongs to, and why: keywords of ``site.yaml`` matched at word
boundaries in every script. Latin keywords match at the start of a word; CJK keywords match
whole words of a Chinese word segmentation (jieba, loaded only for CJK text, its dictionary
once), so 能源 does not match inside 新能源汽车. A keyword found in a large share of all the
paragraphs of a run says little about any one of them: its weight is damped."""
from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from ..model.config import Theme

MIN_PARAGRAPHS = 12      # document frequencies from fewer paragraphs are too noisy to damp by
COMMON_SHARE = 0.25      # a keyword in more than this share of paragraphs is damped


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@lru_cache(maxsize=1)
def _tokenizer():  # noqa: ANN202 - jieba.Tokenizer; imported on first CJK text only
    with warnings.catch_warnings():  # jieba imports pkg_resources, which newer setuptools warns about
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()  # the dictionary, once per process
    return tokenizer


def word_bounds(text: str) -> set[int]:
    """Offsets where the words of a CJK text begin and end (jieba, dictionary words only)."""
    bounds, pos = {0}, 0
    for token in _tokenizer().cut(text, HMM=False):
        pos += len(token)
        bounds.add(pos)
    return bounds


@dataclass
class Sorted:
    """Where a paragraph went and why."""
    theme: str
    why: list[tuple[str, float]]        # the winning theme's keywords and what each added
    scores: dict[str, float]
    reason: str = ""                    # for the default theme: why no keyword decided

    def explain(self) -> str:
        if not self.reason:
            return ", ".join(f"{k} {_num(w)}" for k, w in self.why)
        return self.reason


def _num(x: float) -> str:
    return f"{x:g}" if x == round(x, 2) else f"{x:.2f}"


class Classifier:
    def __init__(self, themes: tuple[Theme, ...], default: str):
        self.default = default
        self.rules = [(t.id, [(k, None if has_cjk(k) else self._pattern(k), w) for k, w in t.keywords])
                      for t in themes]
        self.cjk = any(p is None for _, rules in self.rules for _, p, _ in rules)
        self.threshold = min([w for _, rules in self.rules for _, _, w in rules if w > 0] + [1.0])
        self.damping: dict[str, float] = {}
        self._fitted: dict[str, dict[str, int]] = {}   # counts found while fitting, for sort()

    @staticmethod
    def _pattern(phrase: str) -> re.Pattern[str]:
        return re.compile(r"(?<![\w])" + re.escape(phrase))  # at the start of a word

    def _counts(self, text: str) -> dict[str, int]:
        """How often each keyword occurs in ``text`` (CJK keywords: as whole words only)."""
        low = text.lower()
        bounds = word_bounds(text) if self.cjk and has_cjk(text) else None
        out: dict[str, int] = {}
        for _, rules in self.rules:
            for k, pat, _ in rules:
                if k in out or (pat is None and bounds is None) or k not in low:  # cheap tests first
                    continue
                if pat is not None:
                    out[k] = len(pat.findall(low))
                elif bounds is not None:
                    out[k] = sum(1 for m in re.finditer(re.escape(k), low)
                                 if m.start() in bounds and m.end() in bounds)
        return {k: n for k, n in out.items() if n}

    def fit(self, texts: list[str]) -> None:
        """Damp keywords that occur in a large share of the paragraphs of the run (counted
        among paragraphs of the keyword's own script): 'data' in every statistics sentence."""
        for cjk in (False, True):
            group = [t for t in texts if has_cjk(t) == cjk]
            if len(group) < MIN_PARAGRAPHS:
                continue
            df: dict[str, int] = {}
            for t in group:
                if t not in self._fitted:
                    self._fitted[t] = self._counts(t)
                for k in self._fitted[t]:
                    if has_cjk(k) == cjk:
                        df[k] = df.get(k, 0) + 1
            for k, n in df.items():
                if n / len(group) > COMMON_SHARE:
                    self.damping[k] = COMMON_SHARE / (n / len(group))

    def sort(self, text: str) -> Sorted:
        counts = self._fitted.get(text)  # the same paragraph in two articles: counted once
        counts = self._counts(text) if counts is None else counts
        scores: dict[str, float] = {}
        why: dict[str, list[tuple[str, float]]] = {}
        for tid, rules in self.rules:
            hits = [(k, w * counts[k] * self.damping.get(k, 1.0)) for k, _, w in rules if k in counts]
            scores[tid] = sum(x for _, x in hits)
            why[tid] = hits
        best = max(scores.values(), default=0)
        winners = [t for t, s in scores.items() if s == best]
        if best <= 0:
            return Sorted(self.default, [], scores, "default theme: no keyword")
        if len(winners) > 1:
            return Sorted(self.default, [], scores, "default theme: a tie, " + " = ".join(
                f"{t} {_num(best)}" for t in winners))
        if best < self.threshold:
            return Sorted(self.default, [], scores, "default theme: only common keywords (" + ", ".join(
                f"{k} {_num(x)}" for k, x in why[winners[0]]) + ")")
        return Sorted(winners[0], why[winners[0]], scores)

    def theme_of(self, text: str) -> str:
        return self.sort(text).theme
