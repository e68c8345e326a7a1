"""Every article of the corpus (tests/articles/NAME.txt) against its hand-written expectations
(NAME.expect.yaml): title, dates, byline, dateline, origin, source note, kicker, language, what
became of each furniture line, and the body blocks in order. bench/ingest_quality.py prints the
same comparison as a table."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import ingest_quality as q  # noqa: E402

NAMES = q.names()


def test_the_corpus_has_every_shape():
    assert len(NAMES) >= 17 and all((q.ARTICLES / f"{n}.txt").exists() for n in NAMES)


@pytest.fixture(scope="module")
def config():
    return q._config()


@pytest.mark.parametrize("name", NAMES)
def test_article_against_its_expectations(name, config):
    r = q.evaluate(name, config)
    assert r.title[1] == r.title[0]
    assert r.date[1] == r.date[0]
    assert {k: g for k, (e, g) in r.meta.items()} == {k: e for k, (e, g) in r.meta.items()}
    assert [(line, got) for line, _, got in r.furniture] == [(line, exp) for line, exp, _ in r.furniture]
    assert r.left_in_body == []
    assert (r.lost, r.duplicated, r.extra) == ([], [], [])
    assert r.blocks_right == r.blocks_expected


def test_the_quality_table_meets_the_targets(config):
    lines = q.table([q.evaluate(n, config) for n in NAMES])
    text = "\n".join(lines)
    assert f"titles right          {len(NAMES)}/{len(NAMES)} (100%)" in text
    assert f"dates right           {len(NAMES)}/{len(NAMES)} (100%)" in text
    assert "furniture left in page bodies: 0" in text
    assert "lost 0, duplicated 0, extra 0" in text
