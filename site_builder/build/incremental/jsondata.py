"""Data in JSON, exactly: front-matter values with their YAML types and key lines, and checks
that a decoded file has the shape it was written with.

JSON holds str, int, float, bool, None and lists as they are; every other value becomes an
object with one key naming its type (a mapping is one too, so no object is ever ambiguous):
``{"date": "2024-03-01"}``, ``{"yaml": [line, [[key, value, key line], ...]]}``. Decoding
builds only these data types and raises ``Unreadable`` for anything else: a file is input
like any other, and reading one never runs code.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
from itertools import chain
from typing import Any

from ...model.yamlfile import LineDict

_BIG = 1 << 62  # larger integers as hex: JSON readers (and Python's str()) cap decimal digits
_HEX = re.compile(r"-?0x[0-9a-f]+")
_SCALARS = {str, int, float, bool, type(None)}


class Unreadable(ValueError):
    """A file that is not exactly what this code writes."""


def encode_value(v: Any) -> Any:
    """A value from YAML (or built from one) as JSON data; TypeError for anything else."""
    t = type(v)
    if t is str or t is bool or t is float or v is None:
        return v
    if t is int:
        return v if -_BIG < v < _BIG else {"int": hex(v)}
    if t is list:
        return [encode_value(x) for x in v]
    if t is LineDict:
        return {"yaml": [v.line, [[encode_value(k), encode_value(x), v.key_lines.get(k)] for k, x in v.items()]]}
    if t is dict:
        return {"map": [[encode_value(k), encode_value(x)] for k, x in v.items()]}
    if t is dt.datetime:
        return {"datetime": v.isoformat()}
    if t is dt.date:
        return {"date": v.isoformat()}
    if t is tuple:
        return {"tuple": [encode_value(x) for x in v]}
    if t is set:
        return {"set": [encode_value(x) for x in v]}
    if t is bytes:
        return {"bytes": base64.b64encode(v).decode("ascii")}
    raise TypeError(f"a {t.__name__} value cannot be stored")


def decode_value(v: Any) -> Any:
    t = type(v)
    if t is str or t is int or t is float or t is bool or v is None:
        return v
    if t is list:
        return v if set(map(type, v)) <= _SCALARS else [decode_value(x) for x in v]
    if t is not dict or len(v) != 1:
        raise Unreadable("not a stored value")
    (tag, x), = v.items()
    try:
        if tag == "date" and type(x) is str and len(x) == 10:
            return dt.date.fromisoformat(x)
        if tag == "yaml":
            line, items = x
            out = LineDict(line=integer(line))
            for k, value, key_line in items:
                k = _key(k)
                out[k] = decode_value(value)
                if key_line is not None:
                    out.key_lines[k] = integer(key_line)
            return out
        if tag == "map":
            return {_key(k): decode_value(value) for k, value in x}
        if tag == "datetime" and type(x) is str:
            return dt.datetime.fromisoformat(x)
        if tag == "int" and type(x) is str and _HEX.fullmatch(x):
            return int(x, 16)
        if tag == "tuple" and type(x) is list:
            return tuple(decode_value(i) for i in x)
        if tag == "set" and type(x) is list:
            return {_key(i) for i in x}
        if tag == "bytes" and type(x) is str:
            return base64.b64decode(x, validate=True)
    except (TypeError, ValueError):
        raise Unreadable(f"a bad '{tag}' value") from None
    raise Unreadable(f"unknown stored type '{tag}'")


def _key(v: Any) -> Any:
    k = decode_value(v)
    try:
        hash(k)
    except TypeError:
        raise Unreadable("a mapping key that cannot be one") from None
    return k


def dump(obj: Any) -> bytes:
    """JSON data as compact ASCII bytes."""
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), check_circular=False).encode("ascii")


# --- checked shapes: each returns its argument (or its tuple form) or raises Unreadable -----------

def integer(v: Any) -> int:
    if type(v) is not int:
        raise Unreadable("not an integer")
    return v


def text(v: Any) -> str:
    if type(v) is not str:
        raise Unreadable("not a string")
    return v


def flag(v: Any) -> bool:
    if type(v) is not bool:
        raise Unreadable("not true or false")
    return v


def only(items: Any, *types: type) -> list:
    """A list whose items are all of ``types`` (checked at C speed: this runs over every page)."""
    if type(items) is not list or not set(map(type, items)) <= set(types):
        raise Unreadable(f"not a list of {' or '.join(t.__name__ for t in types)}")
    return items


def lists_of(items: Any, *types: type) -> list[list]:
    """A list of lists whose items are all of ``types``."""
    only(items, list)
    only(list(chain.from_iterable(items)), *types)
    return items


def mapping(v: Any, *types: type) -> dict:
    """A JSON object whose values are all of ``types``."""
    if type(v) is not dict or not set(map(type, v.values())) <= set(types):
        raise Unreadable(f"not a mapping to {' or '.join(t.__name__ for t in types)}")
    return v


def signature(v: Any) -> tuple[int, int, int] | None:
    if v is None:
        return None
    if type(v) is not list or len(v) != 3 or not set(map(type, v)) <= {int}:
        raise Unreadable("not a file signature")
    return (v[0], v[1], v[2])


def signatures(v: Any) -> dict[str, tuple[int, int, int] | None]:
    """Stored by ``encode_signatures``: paths and their signatures in columns, absent files apart."""
    if type(v) is not dict or type(v.get("stat")) is not list or len(v["stat"]) != 4:
        raise Unreadable("not a table of file signatures")
    paths, mtimes, sizes, inodes = v["stat"]
    if not len(only(paths, str)) == len(only(mtimes, int)) == len(only(sizes, int)) == len(only(inodes, int)):
        raise Unreadable("columns of different lengths")
    out: dict[str, tuple[int, int, int] | None] = dict(zip(paths, zip(mtimes, sizes, inodes)))
    out.update(dict.fromkeys(only(v.get("absent"), str)))
    return out


def encode_signatures(sigs: dict[str, tuple[int, int, int] | None]) -> dict:
    present = [(p, s) for p, s in sigs.items() if s is not None]
    return {"stat": [[p for p, _ in present], *([s[i] for _, s in present] for i in range(3))],
            "absent": [p for p, s in sigs.items() if s is None]}


def pairs(texts: Any, lines: Any) -> list[tuple[str, int]]:
    """(text, line) pairs stored as two columns."""
    if len(only(texts, str)) != len(only(lines, int)):
        raise Unreadable("columns of different lengths")
    return list(zip(texts, lines))


def warnings(v: Any) -> list[tuple[str, int | None, str]]:
    """(path, line, message) triples."""
    out = []
    for w in only(v, list):
        if len(w) != 3 or type(w[0]) is not str or type(w[2]) is not str or not (w[1] is None or type(w[1]) is int):
            raise Unreadable("not a warning")
        out.append((w[0], w[1], w[2]))
    return out
