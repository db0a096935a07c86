"""Answer code as a string of normalised tokens, each character mapped back to the original text.

Python's own tokenizer splits the code; comments, blank lines, indentation and spaces disappear, every string
literal becomes ``S``, and every name the student chose (variables, parameters, their functions) becomes ``V``.
Keywords, operators, numbers, builtins (``len``, ``range``), the usual module aliases (``np``) and attribute names
(``np.exp``, ``.T``, ``.sum``) stay as written: they are the same whoever writes the code, and they tell
``np.exp(-a)`` from ``np.tanh(-a)``.  So renaming variables, re-commenting and re-spacing change nothing, while
the structure of the code is kept.

A cell that does not tokenize (a syntax error) is normalised up to the error.  Everything is linear in the length
of the code.
"""
from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from dataclasses import dataclass

import numpy as np

KEPT_NAMES = frozenset(dir(builtins)) | {"np", "numpy", "math", "scipy", "nnlib", "self"}
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER,
           tokenize.ENCODING}
STRING_PARTS = {getattr(tokenize, name) for name in ("FSTRING_MIDDLE", "FSTRING_END", "TSTRING_MIDDLE",
                                                     "TSTRING_END") if hasattr(tokenize, name)}
STRING_STARTS = {tokenize.STRING} | {getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START")
                                     if hasattr(tokenize, name)}


@dataclass
class Normalized:
    text: str               # the normalised tokens, concatenated
    starts: np.ndarray      # for each character of text: where its token starts in the original code
    ends: np.ndarray        # ... and where it ends

    def __len__(self):
        return len(self.text)


def _line_offsets(code):
    offsets, total = [0, 0], 0         # tokenize counts rows from 1
    for line in code.splitlines(keepends=True):
        total += len(line)
        offsets.append(total)
    return offsets


def _tokens(code):
    """Python's tokens of ``code``, as many as can be read before a syntax error."""
    try:
        yield from tokenize.generate_tokens(io.StringIO(code).readline)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return


def normalize(code, offset=0):
    """The Normalized form of ``code``; positions are shifted by ``offset`` (the cell's place in a document)."""
    lines = _line_offsets(code)
    pieces, starts, ends = [], [], []
    previous = None
    for token in _tokens(code):
        kind, text = token.type, token.string
        if kind in SKIPPED or kind in STRING_PARTS:
            continue
        if kind in STRING_STARTS:
            piece = "S"
        elif kind == tokenize.NAME and not (keyword.iskeyword(text) or text in KEPT_NAMES or previous == "."):
            piece = "V"
        else:
            piece = text
        start = lines[token.start[0]] + token.start[1] + offset
        end = lines[token.end[0]] + token.end[1] + offset if token.end[0] < len(lines) else len(code) + offset
        pieces.append(piece)
        starts += [start] * len(piece)
        ends += [end] * len(piece)
        previous = text
    return Normalized("".join(pieces), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))


def concatenate(parts):
    """One Normalized of several (the cells of a notebook, in order)."""
    if not parts:
        return Normalized("", np.zeros(0, np.int64), np.zeros(0, np.int64))
    return Normalized("".join(p.text for p in parts), np.concatenate([p.starts for p in parts]),
                      np.concatenate([p.ends for p in parts]))


_BASE = np.uint64(0x100000001B3)       # FNV's 64-bit prime as the base of a polynomial hash


def kgram_hashes(text, k):
    """A deterministic hash of every k-character substring of ``text`` (53-bit integers, exact as floats)."""
    if len(text) < k:
        return np.zeros(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    powers = _BASE ** np.arange(k - 1, -1, -1, dtype=np.uint64)          # wraps modulo 2⁶⁴, on purpose
    windows = np.lib.stride_tricks.sliding_window_view(codes, k)
    with np.errstate(over="ignore"):
        hashes = (windows * powers).sum(axis=1, dtype=np.uint64)
    return (hashes >> np.uint64(11)).astype(np.int64)
