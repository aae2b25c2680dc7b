"""`Dataset.window`: elements grouped into windows, each window a dataset (TF1 semantics).

Window i holds the elements i*shift, i*shift + stride, ... (`size` of them, fewer at the end
unless drop_remainder). A window is carried as one stacked tensor per component (a
structure.DatasetSpec component), so the functions of flat_map and interleave receive it as a
Dataset over those rows: `ds.window(3).flat_map(lambda w: w.batch(3))`. The elements of one
window must therefore share their shape.
"""

from __future__ import annotations

import collections

import numpy as np

from graphflow.data import structure
from graphflow.data.stage import Stage, check_positive, tensor_inputs
from graphflow.errors import InvalidArgumentError

_WINDOW = "Dataset.window"


class Window(Stage):
    def __init__(self, upstream, size, shift, stride, drop_remainder: bool):
        self.upstream = (upstream,)
        if structure.has_datasets(upstream.structure):
            from graphflow.core.site import argument_error

            raise argument_error(_WINDOW, "the elements are already windows (datasets); "
                                 "flat_map them into tensors before windowing again", TypeError)
        self.size, self.shift, self.stride = size, size if shift is None else shift, stride
        self.drop_remainder = bool(drop_remainder)
        for what, value in (("Window size", self.size), ("Window shift", self.shift),
                            ("Window stride", self.stride)):
            check_positive(value, what, _WINDOW, building=True)
        self.structure = structure.map_leaves(structure.DatasetSpec, upstream.structure)

    def own_inputs(self):
        return tensor_inputs(self.size, self.shift, self.stride)

    def check(self, env):
        for what, value in (("Window size", self.size), ("Window shift", self.shift),
                            ("Window stride", self.stride)):
            check_positive(env.count(value), what, _WINDOW)

    def stream(self, env):
        size, shift, stride = (env.count(v) for v in (self.size, self.shift, self.stride))
        span = (size - 1) * stride + 1  # elements from a window's first to its last
        buffer: collections.deque = collections.deque()
        ended = False
        upstream = iter(self.upstream[0].stream(env))
        while True:
            while not ended and len(buffer) < span:
                try:
                    buffer.append(next(upstream))
                except StopIteration:
                    ended = True
            if not buffer or (self.drop_remainder and len(buffer) < span):
                return
            yield _stacked([buffer[j] for j in range(0, min(span, len(buffer)), stride)])
            for _ in range(shift):  # the next window starts `shift` elements on
                if buffer:
                    buffer.popleft()
                elif not ended:
                    try:
                        next(upstream)
                    except StopIteration:
                        ended = True
            if ended and not buffer:
                return


def _stacked(elements: list) -> tuple:
    out = []
    for i in range(len(elements[0])):
        shapes = {np.shape(e[i]) for e in elements}
        if len(shapes) > 1:
            raise InvalidArgumentError(
                f"{_WINDOW}: the elements of one window have different shapes in component {i} "
                f"({sorted(shapes)}); graphflow carries a window as one stacked tensor, so its "
                "elements must share their shape (batch or pad them first)")
        out.append(np.stack([e[i] for e in elements]))
    return tuple(out)
