"""Fuzzed graph files: attributes, dtypes, shapes, structure, truncations, bit flips, nesting.

The only safe outcomes (checked by `SavedGraph.check_import`): DataLossError or
InvalidArgumentError naming the file with the target graph unchanged, or an imported graph that
can be exported again. Any other exception fails the test. Importing is pure Python, so the
cases run in-process. Examples per fuzzer: the hypothesis profile's (15 under CI), or
GRAPHFLOW_FUZZ_EXAMPLES (scripts/fuzz.sh sets it).
"""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphflow.io.attr_codec import ARRAY_DTYPES

EXAMPLES = int(os.environ.get("GRAPHFLOW_FUZZ_EXAMPLES", 0)) or settings.default.max_examples
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

DTYPE_NAMES = sorted(ARRAY_DTYPES) + ["string", "float128", "complex64", "object", "", "Float32"]
dims = st.integers(-3, 12) | st.none() | st.sampled_from([0, 2 ** 31, 2 ** 63, 10 ** 30])
shapes = st.none() | st.lists(dims, max_size=5)
scalars = (st.none() | st.booleans() | st.integers(-10, 10) | st.floats()
           | st.sampled_from([2 ** 63, -2 ** 63 - 1, 10 ** 400, "VALID", "SAME", "NHWC", "x:0"])
           | st.text(max_size=6))
encodings = st.one_of(
    st.builds(lambda d: {"dtype": d}, st.sampled_from(DTYPE_NAMES) | scalars),
    st.builds(lambda s: {"shape": s}, shapes | scalars),
    st.builds(lambda t: {"tensor": t}, st.sampled_from(["x:0", "labels:0", "y:0", "x:1", "x",
                                                        "conv/kernel:0"]) | scalars),
    st.builds(lambda d, s, b: {"array": b, "dtype": d, "shape": s}, st.sampled_from(DTYPE_NAMES),
              shapes, st.sampled_from(["", "AAAA", "AAAAAAAAAAA=", "!!!!", "AA=="])),
    st.builds(lambda p: {"slice": p}, st.lists(dims, max_size=4)),
    st.builds(lambda s, n: {"strings": s, "shape": n}, st.lists(st.text(max_size=4), max_size=3),
              shapes),
)
attr_values = st.recursive(
    scalars | encodings,
    lambda inner: st.lists(inner, max_size=5) | st.builds(lambda v: {"tuple": v},
                                                           st.lists(inner, max_size=5))
    | st.dictionaries(st.sampled_from(["dict", "tuple", "x", "ellipsis"]), inner, max_size=2),
    max_leaves=10)


def _attr_slots(data: dict, wanted=None) -> list:
    """(node index, attribute name) pairs, optionally only those whose value is a `wanted` form."""
    return [(i, k) for i, n in enumerate(data["nodes"]) for k, v in n["attrs"].items()
            if wanted is None or (isinstance(v, dict) and wanted in v)]


def test_one_attribute_replaced(saved_graph):
    slots = _attr_slots(saved_graph.data)

    @FUZZ
    @given(st.sampled_from(slots), attr_values)
    def check(slot, value):
        data = saved_graph.fresh()
        data["nodes"][slot[0]]["attrs"][slot[1]] = value
        saved_graph.check_import(data)

    check()


def test_dtypes_and_shapes_replaced(saved_graph):
    dtype_slots = _attr_slots(saved_graph.data, "dtype")
    shape_slots = _attr_slots(saved_graph.data, "shape")

    @FUZZ
    @given(st.lists(st.tuples(st.sampled_from(dtype_slots), st.sampled_from(DTYPE_NAMES)),
                    max_size=3),
           st.lists(st.tuples(st.sampled_from(shape_slots), shapes), max_size=3))
    def check(new_dtypes, new_shapes):
        data = saved_graph.fresh()
        for (i, key), name in new_dtypes:
            data["nodes"][i]["attrs"][key]["dtype"] = name
        for (i, key), dims_ in new_shapes:
            data["nodes"][i]["attrs"][key]["shape"] = dims_
        saved_graph.check_import(data)

    check()


def test_structure_changed(saved_graph):
    """Op types, names, inputs, control inputs and node order changed, nodes dropped."""
    n = len(saved_graph.data["nodes"])
    names = [node["name"] for node in saved_graph.data["nodes"]]
    ops = sorted({node["op"] for node in saved_graph.data["nodes"]})
    tensor_names = [f"{name}:{k}" for name in names for k in (0, 1)]
    edit = st.one_of(
        st.tuples(st.just("op"), st.integers(0, n - 1), st.sampled_from(ops) | st.text(max_size=5)),
        st.tuples(st.just("name"), st.integers(0, n - 1), st.sampled_from(names) | st.text()),
        st.tuples(st.just("inputs"), st.integers(0, n - 1),
                  st.lists(st.sampled_from(tensor_names) | st.text(max_size=5), max_size=3)),
        st.tuples(st.just("control_inputs"), st.integers(0, n - 1),
                  st.lists(st.sampled_from(names), max_size=2)),
        st.tuples(st.just("drop"), st.integers(0, n - 1), st.none()),
        st.tuples(st.just("swap"), st.integers(0, n - 1), st.integers(0, n - 1)),
    )

    @FUZZ
    @given(st.lists(edit, min_size=1, max_size=3))
    def check(edits):
        data = saved_graph.fresh()
        nodes = data["nodes"]
        for kind, i, value in edits:
            i %= len(nodes)
            if kind == "drop":
                del nodes[i]
            elif kind == "swap":
                j = value % len(nodes)
                nodes[i], nodes[j] = nodes[j], nodes[i]
            else:
                nodes[i][kind] = value
        saved_graph.check_import(data)

    check()


def test_truncations_and_bit_flips(saved_graph):
    text = saved_graph.text.encode()

    @FUZZ
    @given(st.integers(0, len(text)), st.lists(st.tuples(st.integers(0, len(text) - 1),
                                                         st.integers(0, 7)), max_size=6))
    def check(cut, flips):
        damaged = bytearray(text[:cut] if not flips else text)
        for position, bit in flips:
            damaged[position % len(damaged)] ^= 1 << bit
        saved_graph.check_import(bytes(damaged))

    check()


def test_deep_nesting_and_huge_numbers(saved_graph):
    slots = _attr_slots(saved_graph.data)
    marker = '"@@VALUE@@"'

    @FUZZ
    @given(st.sampled_from(slots), st.integers(1, 20000), st.sampled_from("[{"),
           st.sampled_from(["1", "1e400", "-1e400", "NaN", "9" * 5000, "1" * 40, '"\\ud800"']))
    def check(slot, depth, bracket, leaf):
        data = saved_graph.fresh()
        data["nodes"][slot[0]]["attrs"][slot[1]] = "@@VALUE@@"
        nested = ('{"tuple": [' * depth + leaf + "]}" * depth) if bracket == "{" else \
            ("[" * depth + leaf + "]" * depth)
        saved_graph.check_import(json.dumps(data).replace(marker, nested))

    check()


def test_whole_files_replaced_by_random_json_or_bytes(saved_graph):
    documents = st.one_of(
        st.binary(max_size=300),
        st.builds(lambda nodes: {"format": "graphflow-graph", "version": 1, "nodes": nodes},
                  st.lists(st.dictionaries(st.sampled_from(["name", "op", "attrs", "inputs",
                                                            "site"]), attr_values), max_size=4)),
    )

    @FUZZ
    @given(documents)
    def check(document):
        saved_graph.check_import(document)

    check()
