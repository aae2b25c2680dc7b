"""How TF prints tensor values: `tf.Print`'s summary (v1) and `tf.print`'s layout (v2).

Both print elements the same way: floats in the shortest of 6 (float32, float16) or 15
(float64) significant digits that reads back to the same value, else 9 or 17; booleans as 1/0;
strings as they are in v1 and quoted in v2.

v1 (`Print`, summarize=n): the first n elements in row-major order, each row in brackets; a row
cut short ends in `...`, and so does the whole when elements are left out:
`[[1 2][3...]...]`. v2 (`print`, summarize=n): the first and last n entries of every dimension,
`...` between them, rows on new lines indented as NumPy does:
`[[0 1 2 ... 4 5 6]\\n [7 8 9 ... 11 12 13]\\n ...]`.
"""

from __future__ import annotations

import numpy as np


def _float(value, digits: tuple[int, int], kind) -> str:
    short = f"{float(value):.{digits[0]}g}"
    if kind(short) == kind(value) or np.isnan(value):
        return short
    return f"{float(value):.{digits[1]}g}"


def element(value, quote_strings: bool = False) -> str:
    """One element as TF's kernels print it."""
    if isinstance(value, (bytes, np.bytes_, str, np.str_)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if not quote_strings:
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, np.floating):
        if value.dtype == np.float64:
            return _float(value, (15, 17), np.float64)
        return _float(np.float32(value), (6, 9), np.float32)
    if isinstance(value, float):
        return _float(value, (15, 17), float)
    if isinstance(value, np.complexfloating):
        return f"({element(value.real)},{element(value.imag)})"
    return str(value.item() if isinstance(value, np.generic) else value)


def _limit(n, size: int) -> int:
    return size if n is None or n < 0 else min(int(n), size)


def summarize_v1(value, n) -> str:
    """One tensor as `tf.Print` writes it, brackets included: its first `n` elements (all when
    n < 0)."""
    value = np.asarray(value)
    flat = value.reshape(-1)
    limit = _limit(n, flat.size)
    if value.ndim == 0:
        body = element(flat[0]) if limit else ""
    else:
        out: list[str] = []
        index = [0]
        _rows_v1(value.shape, 0, limit, flat, index, out)
        body = "".join(out)
    return "[" + body + ("..." if flat.size > limit else "") + "]"


def _rows_v1(shape, dim: int, limit: int, flat, index: list, out: list) -> None:
    """Dimension `dim` from element index[0] on, stopping at `limit` elements."""
    if index[0] >= limit:
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if index[0] >= limit:
                if dim != 0:
                    out.append("...")
                return
            out.append((" " if i else "") + element(flat[index[0]]))
            index[0] += 1
        return
    for _ in range(shape[dim]):
        opened = index[0] < limit
        if opened:
            out.append("[")
        _rows_v1(shape, dim + 1, limit, flat, index, out)
        if opened or index[0] < limit:
            out.append("]")


def format_v2(value, n) -> str:
    """One tensor as `tf.print` writes it: a scalar bare, others NumPy-like, `n` entries kept at
    each end of every dimension (all when n < 0)."""
    value = np.asarray(value)
    if value.ndim == 0:
        return element(value[()], quote_strings=True)
    ends = _limit(n, value.size)
    out: list[str] = []
    _rows_v2(value, (), ends, out)
    return "".join(out)


def _spacing(dim: int, ndim: int) -> str:
    return " " if dim == ndim - 1 else "\n" + " " * (dim + 1)


def _rows_v2(value, at: tuple, ends: int, out: list) -> None:
    """The entries of `value` under index prefix `at` (a whole row, or one element)."""
    dim, ndim = len(at), value.ndim
    if dim == ndim:
        out.append(element(value[at], quote_strings=True))
        return
    out.append("[")
    count = value.shape[dim]
    for i in range(min(ends, count)):
        if i:
            out.append(_spacing(dim, ndim))
        _rows_v2(value, at + (i,), ends, out)
    if count > 2 * ends:
        out.append(_spacing(dim, ndim) + "...")
    for i in range(max(ends, count - ends), count):
        out.append(_spacing(dim, ndim))
        _rows_v2(value, at + (i,), ends, out)
    out.append("]")
