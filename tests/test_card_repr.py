"""A card's repr (part of every list route's key) is the dataclass's, made once."""
from __future__ import annotations

import datetime as dt
import pickle

from site_builder.render.view import Card


def test_a_cards_repr_is_the_dataclass_repr_made_once():
    card = Card("A title", "/notes/a/", dt.date(2024, 1, 2), "It's short.", "page", "notes", publisher="P")
    expected = ("Card(title='A title', href='/notes/a/', date=datetime.date(2024, 1, 2), summary=\"It's short.\", "
                "kind='page', section='notes', language='', publisher='P', original='')")
    assert repr(card) == expected
    assert repr(card) is repr(card)  # kept, not made again
    assert repr([card, card]) == f"[{expected}, {expected}]"
    again = pickle.loads(pickle.dumps(card))
    assert again == card and hash(again) == hash(card) and repr(again) == expected
    other = Card("Another", "/notes/b/", None, "", "page", "notes")
    assert repr(other) == ("Card(title='Another', href='/notes/b/', date=None, summary='', kind='page', "
                           "section='notes', language='', publisher='', original='')")
    assert other != card
