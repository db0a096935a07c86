"""Plain data across the sandbox boundary: one JSON object per line, never pickle.

Both sides use this module, but only the grader's side is trusted: ``decode`` accepts nothing but the forms
below and builds values of *exact* built-in or NumPy types, so whatever the student's process sends, the grader
holds plain numbers, strings, arrays and containers of them — never an object of the student's making.

    None, bool, int, float, str, list        native JSON (NaN and ±Infinity allowed for floats)
    {"$tuple": [...]}  {"$set": [...]}  {"$frozenset": [...]}  {"$dict": [[key, value], ...]}
    {"$complex": [re, im]}  {"$range": [start, stop, step]}  {"$iter": [...]}   (an iterator, materialized)
    {"$array": base64, "dtype": "<f8", "shape": [2, 3]}   a NumPy array of bool/int/uint/float/complex
    {"$scalar": base64, "dtype": "<f8"}                   a NumPy scalar (np.float64(0.5), np.int64(3), ...)
    {"$dtype": "<f8"}  {"$type": "float64"}               a NumPy dtype, or a number type (float, np.float64, ...)
    {"$rng": {state}}                                     a numpy.random.Generator, by its bit generator's state
    {"$remote": id, "type": name, "callable": bool}       an object that stays in the sandbox (a handle)
    {"$callback": id}                                     a grader function the sandbox may call back
    {"$ref": id}                                          a handle sent back to the sandbox

Anything ``encode`` cannot express is passed to its ``other`` hook (the sandbox turns it into a handle, the
grader into a callback), or raises ``Unencodable``.
"""
from __future__ import annotations

import base64
import binascii
import json
import re

import numpy as np

MAX_DEPTH = 64
MAX_NDIM = 32
MAX_VALUES = 1_000_000      # JSON values (roughly: commas and brackets) in one message
MAX_DIGITS = 400            # characters of one JSON number
MAX_SAME_HASH = 16          # distinct set members or dict keys that may share one hash value
_DTYPE = re.compile(r"^[<>|=]?[biufc][0-9]{1,2}$")
# Types that may be passed by name (e.g. dtype=np.float64): plain Python types and NumPy's number types.
TYPES = {t.__name__: t for t in (int, float, bool, complex, str, list, tuple, dict)}
TYPES.update({t.__name__: t for t in (np.float16, np.float32, np.float64, np.longdouble, np.int8, np.int16, np.int32,
                                      np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_, np.complex64,
                                      np.complex128)})
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class ProtocolError(Exception):
    """The other side sent something that is not a message of this protocol."""


class Unencodable(TypeError):
    """A value that has no plain-data form."""


# -- encoding ------------------------------------------------------------------------------------------------

def _plain_dtype(dtype):
    return dtype.kind in "biufc" and dtype.fields is None and not dtype.hasobject and dtype.subdtype is None


def encode(value, other=None, _depth=0):
    """``value`` as JSON-able data; ``other(value)`` handles anything else (or ``Unencodable`` is raised)."""
    if _depth > MAX_DEPTH:
        raise Unencodable("the value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [encode(item, other, _depth + 1) for item in value]
    if kind is tuple:
        return {"$tuple": [encode(item, other, _depth + 1) for item in value]}
    if kind is dict:
        return {"$dict": [[encode(k, other, _depth + 1), encode(v, other, _depth + 1)] for k, v in value.items()]}
    if kind in (set, frozenset):
        return {"$" + kind.__name__: [encode(item, other, _depth + 1) for item in value]}
    if kind is complex:
        return {"$complex": [value.real, value.imag]}
    if kind is range:
        return {"$range": [value.start, value.stop, value.step]}
    if kind is np.ndarray and _plain_dtype(value.dtype):
        data = np.ascontiguousarray(value).tobytes()
        return {"$array": base64.b64encode(data).decode("ascii"), "dtype": value.dtype.str,
                "shape": [int(n) for n in value.shape]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy" and _plain_dtype(value.dtype):
        return {"$scalar": base64.b64encode(value.tobytes()).decode("ascii"), "dtype": value.dtype.str}
    if isinstance(value, np.dtype) and _plain_dtype(value):
        return {"$dtype": value.str}
    if kind is type and TYPES.get(value.__name__) is value:
        return {"$type": value.__name__}
    if kind is np.random.Generator and type(value.bit_generator).__name__ in BIT_GENERATORS:
        return {"$rng": encode(value.bit_generator.state, None, _depth + 1)}
    if other is not None:
        return other(value)
    raise Unencodable(f"a {kind.__name__} has no plain-data form")


# -- decoding (strict) ---------------------------------------------------------------------------------------

def _expect(condition, what):
    if not condition:
        raise ProtocolError(what)


def _exact_int(x):
    return type(x) is int


def _dtype(text):
    _expect(type(text) is str and _DTYPE.match(text), "bad dtype")
    dtype = np.dtype(text)
    _expect(_plain_dtype(dtype), "unsupported dtype")
    return dtype


def _bytes(text):
    _expect(type(text) is str, "array data must be base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ProtocolError("array data is not valid base64") from None


def _array(obj):
    _expect(set(obj) == {"$array", "dtype", "shape"}, "bad array fields")
    dtype = _dtype(obj["dtype"])
    shape = obj["shape"]
    _expect(type(shape) is list and len(shape) <= MAX_NDIM and all(_exact_int(n) and n >= 0 for n in shape),
            "bad array shape")
    data = _bytes(obj["$array"])
    count = 1
    for n in shape:
        count *= n
    _expect(len(data) == count * dtype.itemsize, "array data does not match its shape and dtype")
    _expect(all(n < 2**62 for n in shape), "bad array shape")
    try:
        array = np.frombuffer(data, dtype=dtype).reshape(shape)
    except ValueError:                  # e.g. an empty array with a dimension larger than NumPy allows
        raise ProtocolError("bad array shape") from None
    return array.astype(dtype.newbyteorder("="), copy=True)


def _scalar(obj):
    _expect(set(obj) == {"$scalar", "dtype"}, "bad scalar fields")
    dtype = _dtype(obj["dtype"])
    data = _bytes(obj["$scalar"])
    _expect(len(data) == dtype.itemsize, "scalar data does not match its dtype")
    return np.frombuffer(data, dtype=dtype).astype(dtype.newbyteorder("="))[0]


def _number(x):
    _expect(type(x) in (int, float), "expected a number")
    return x


def _generator(state):
    _expect(type(state) is dict and state.get("bit_generator") in BIT_GENERATORS, "bad generator state")
    bit_generator = getattr(np.random, state["bit_generator"])()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError):
        raise ProtocolError("bad generator state") from None
    return np.random.Generator(bit_generator)


def decode(obj, handle=None, _depth=0):
    """The value that ``obj`` (parsed JSON) stands for, with exact types; ``handle(tag)`` resolves handles."""
    _expect(_depth <= MAX_DEPTH, "the value is nested too deeply")
    kind = type(obj)
    if obj is None or kind in (bool, int, float, str):
        return obj
    if kind is list:
        return [decode(item, handle, _depth + 1) for item in obj]
    _expect(kind is dict, f"unexpected JSON type {kind.__name__}")
    tags = [key for key in obj if key.startswith("$")]
    _expect(len(tags) == 1, "a tagged value needs exactly one $tag")
    tag = tags[0]
    body = obj[tag]
    if tag == "$array":
        return _array(obj)
    if tag == "$scalar":
        return _scalar(obj)
    if tag in ("$remote", "$callback", "$ref"):
        _expect(handle is not None, f"{tag} is not allowed here")
        return handle(obj)
    _expect(len(obj) == 1, f"bad {tag} value")
    if tag == "$dtype":
        return _dtype(body)
    if tag == "$type":
        _expect(type(body) is str and body in TYPES, "unknown type")
        return TYPES[body]
    if tag == "$rng":
        return _generator(decode(body, None, _depth + 1))
    _expect(len(obj) == 1 and type(body) is list, f"bad {tag} value")
    if tag == "$complex":
        _expect(len(body) == 2, "bad complex")
        return complex(_number(body[0]), _number(body[1]))
    if tag == "$range":
        _expect(len(body) == 3 and all(_exact_int(x) for x in body) and body[2] != 0, "bad range")
        return range(*body)
    items = [decode(item, handle, _depth + 1) for item in body]
    if tag == "$tuple":
        return tuple(items)
    if tag == "$iter":
        return iter(items)
    if tag == "$set":
        return set(_few_collisions(items, tag))
    if tag == "$frozenset":
        return frozenset(_few_collisions(items, tag))
    if tag == "$dict":
        _expect(all(type(pair) is list and len(pair) == 2 for pair in items), "bad dict item")
        _few_collisions([key for key, _ in items], tag)
        return {key: value for key, value in items}
    raise ProtocolError("unknown tag")


def _few_collisions(keys, tag):
    """``keys``, unless they are unhashable or many distinct ones share a hash value.

    Building a set or dict of n keys that all hash alike takes n² comparisons: a message of a few MB of
    ``k * (2**61 - 1)`` integers would keep the grader busy for hours.  Grouping by hash value first costs one
    dict insertion per key (distinct hash values do not collide for long) and at most MAX_SAME_HASH
    comparisons per key.
    """
    groups = {}
    for key in keys:
        try:
            group = groups.setdefault(hash(key), [])
        except TypeError as error:      # an unhashable key or set member
            raise ProtocolError(f"bad {tag}: an unhashable key") from None
        if not any(key is other or key == other for other in group):
            group.append(key)
            _expect(len(group) <= MAX_SAME_HASH, f"bad {tag}: too many keys with the same hash")
    return keys


# -- framing -------------------------------------------------------------------------------------------------

def dumps(message):
    """One message as one line of UTF-8 JSON (NaN and Infinity as JSON5-style tokens, like Python's json)."""
    return (json.dumps(message, separators=(",", ":"), ensure_ascii=True) + "\n").encode("ascii")


def _number_text(kind):
    def parse(text):
        _expect(len(text) <= MAX_DIGITS, "a number with too many digits")
        return kind(text)
    return parse


_parse_int, _parse_float = _number_text(int), _number_text(float)


def loads(line):
    """The message on one line; anything that is not a JSON object is a ProtocolError.

    Parsing is bounded by the line's length: at most MAX_VALUES values (so a message cannot unpack into
    gigabytes of tiny Python objects) and numbers of at most MAX_DIGITS characters (int() of a long digit
    string takes quadratic time).
    """
    values = line.count(b",") + line.count(b"[") + line.count(b"{") if isinstance(line, (bytes, bytearray)) \
        else line.count(",") + line.count("[") + line.count("{")
    _expect(values <= MAX_VALUES, f"a message of more than {MAX_VALUES} values")
    try:
        message = json.loads(line, parse_int=_parse_int, parse_float=_parse_float)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"not a JSON message ({type(error).__name__})") from None
    _expect(type(message) is dict, "a message must be a JSON object")
    return message
