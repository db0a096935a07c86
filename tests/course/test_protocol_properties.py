"""Property-based tests of what crosses the sandbox boundary: whatever line the student's process sends (within
the size limit), ``protocol.loads`` + ``protocol.decode`` either give plain data or raise ProtocolError, within a
bound on time and memory.  Random nested values, sets and dicts whose keys all hash alike, deep nesting, long
numbers and large sizes; seeded (derandomized) so that CI runs the same examples every time."""
from __future__ import annotations

import json
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grading import protocol

MAX_MESSAGE = 32 * 1024 * 1024          # Limits().max_message_mb: the grader never reads a longer line
SECONDS = 10.0      # decoding any message may take at most this (traced, on a busy 2-core machine; it is linear
                    # in the message's length now: before, 400,000 keys that hash alike took hours)
MODULUS = 2 ** 61 - 1                   # hash(k * MODULUS) == 0 for every int k
SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LARGE = settings(SETTINGS, max_examples=8)     # each example builds messages of up to a few tens of MB


def decode_line(line):
    """(value or the ProtocolError, seconds, peak bytes allocated) of decoding one line."""
    assert len(line) <= MAX_MESSAGE
    tracemalloc.start()
    started = time.perf_counter()
    try:
        value = protocol.decode(protocol.loads(line)["value"])
    except protocol.ProtocolError as error:
        value = error
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, seconds, peak


def assert_bounded(line):
    value, seconds, peak = decode_line(line)
    assert seconds < SECONDS, f"decoding {len(line)} bytes took {seconds:.1f} s"
    # Python objects may take more room than their JSON text, but never without bound
    assert peak < 40 * len(line) + 64 * 1024 * 1024, f"decoding {len(line)} bytes allocated {peak / 2**20:.0f} MB"
    return value


def line_of(value_json):
    return b'{"value":' + value_json + b"}"


# -- random JSON, tags included: only ProtocolError, never anything else ------------------------------------------

TAGS = ["$tuple", "$set", "$frozenset", "$dict", "$complex", "$range", "$iter", "$array", "$scalar", "$dtype",
        "$type", "$rng", "$remote", "$ref", "$callback", "$other"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
                    st.sampled_from(["<f8", "|b1", "<i8", "float64", "PCG64", "AAAA", "AAAAAAAAAAA="]))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(st.sampled_from(TAGS + ["dtype", "shape", "type", "callable", "x"]), inner, max_size=3),
        st.builds(lambda tag, body: {tag: body}, st.sampled_from(TAGS), inner)),
    max_leaves=40)


@SETTINGS
@given(json_values)
def test_any_json_decodes_to_data_or_a_protocol_error(value):
    decoded = assert_bounded(line_of(json.dumps(value).encode()))
    assert not isinstance(decoded, Exception) or isinstance(decoded, protocol.ProtocolError)


# -- hostile shapes: colliding hashes, deep nesting, long numbers, many values --------------------------------------

def colliding(kind, n):
    if kind == "ints":
        keys = [k * MODULUS for k in range(1, n)]
    elif kind == "negative ints":
        keys = [-k * MODULUS for k in range(1, n)]
    elif kind == "tuples":
        keys = [{"$tuple": [k * MODULUS, 0]} for k in range(1, n)]
    else:                                           # frozensets of two colliding ints
        keys = [{"$frozenset": [k * MODULUS, (k + 1) * MODULUS]} for k in range(1, n)]
    return keys


@pytest.mark.slow
@LARGE
@given(st.sampled_from(["ints", "negative ints", "tuples", "frozensets"]), st.sampled_from(["$set", "$dict"]),
       st.integers(min_value=1_000, max_value=300_000))
def test_keys_that_hash_alike_are_refused_quickly(kind, container, n):
    keys = colliding(kind, n)
    body = keys if container == "$set" else [[key, 0] for key in keys]
    value = assert_bounded(protocol.dumps({"value": {container: body}}))
    assert isinstance(value, protocol.ProtocolError) and "same hash" in str(value)


@LARGE
@given(st.integers(min_value=protocol.MAX_DEPTH + 2, max_value=200_000), st.sampled_from(["[", '{"$tuple":[']))
def test_deep_nesting_is_refused(depth, opening):
    closing = "]" if opening == "[" else "]}"
    line = line_of((opening * depth + closing * depth).encode())
    assert isinstance(assert_bounded(line), protocol.ProtocolError)


@LARGE
@given(st.integers(min_value=protocol.MAX_DIGITS + 1, max_value=3_000_000), st.sampled_from(["", "-", "0.", "1e"]))
def test_long_numbers_are_refused(digits, prefix):
    line = line_of(prefix.encode() + b"7" * digits)
    assert isinstance(assert_bounded(line), protocol.ProtocolError)


@LARGE
@given(st.integers(min_value=1, max_value=5_000_000), st.sampled_from([b"[]", b"0", b"{}", b"[[]]", b'""']))
def test_many_small_values_are_bounded(n, item):
    n = min(n, MAX_MESSAGE // (len(item) + 1) - 8)
    line = line_of(b"[" + b",".join([item] * n) + b"]")
    value = assert_bounded(line)
    assert isinstance(value, protocol.ProtocolError) or (type(value) is list and len(value) == n)


@SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=2 ** 62), min_size=0, max_size=40),
       st.sampled_from(["<f8", "|u1", "<c16"]))
def test_array_shapes_never_crash(shape, dtype):
    line = protocol.dumps({"value": {"$array": "", "dtype": dtype, "shape": shape}})
    value = assert_bounded(line)
    assert isinstance(value, protocol.ProtocolError) or (type(value) is np.ndarray and value.size == 0)


@SETTINGS
@given(st.recursive(st.one_of(st.integers(-10 ** 30, 10 ** 30), st.floats(allow_nan=False), st.text(max_size=5),
                              st.booleans(), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                                            st.dictionaries(st.text(max_size=3), inner, max_size=4),
                                            st.frozensets(st.integers(), max_size=4)),
                    max_leaves=30))
def test_plain_values_round_trip(value):
    decoded = assert_bounded(protocol.dumps({"value": protocol.encode(value)}))
    assert decoded == value and type(decoded) is type(value)
