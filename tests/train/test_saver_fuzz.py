"""Fuzzed checkpoints: bit flips, truncations, splices, swapped keys and crafted index JSON.

The only safe outcomes (checked by `SavedModel.check_restore`): a graphflow error naming the
checkpoint with every variable unchanged, or every variable exactly as saved. Any other exception
fails the test. Examples per fuzzer: the hypothesis profile's (15 under CI), or
GRAPHFLOW_FUZZ_EXAMPLES (scripts/fuzz.sh sets it).
"""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("GRAPHFLOW_FUZZ_EXAMPLES", 0)) or settings.default.max_examples
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats()
    | st.text(max_size=8) | st.sampled_from(["v0", "v1", "a", "float32", "bool", "", "0" * 64]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=12)


def _paths(value, path=()):
    yield path
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths(child, path + (key,))


def _edit(index, path, action, value):
    if not path:
        return value
    target = index
    for key in path[:-1]:
        target = target[key]
    if action == "delete":
        del target[path[-1]]
    elif action == "add" and isinstance(target, dict):
        target[str(value)[:8] or "extra"] = value
    else:
        target[path[-1]] = value
    return index


def test_bit_flips_in_either_file(saved_model):
    @FUZZ
    @given(st.data())
    def check(data):
        ext = data.draw(st.sampled_from(sorted(saved_model.files)))
        damaged = bytearray(saved_model.files[ext])
        for position, bit in data.draw(st.lists(st.tuples(
                st.integers(0, len(damaged) - 1), st.integers(0, 7)), min_size=1, max_size=4,
                unique_by=lambda flip: flip[0])):
            damaged[position] ^= 1 << bit
        err = saved_model.check_restore(saved_model.write({ext: bytes(damaged)}))
        assert err is not None, "a bit flip restored without an error"  # checksums catch all

    check()


def test_truncations_and_splices(saved_model):
    @FUZZ
    @given(st.data())
    def check(data):
        ext = data.draw(st.sampled_from(sorted(saved_model.files)))
        original = saved_model.files[ext]
        start = data.draw(st.integers(0, len(original)))
        if data.draw(st.booleans()):
            damaged = original[:start]
        else:
            damaged = original[:start] + data.draw(st.binary(max_size=64)) + \
                original[start + data.draw(st.integers(0, 64)):]
        saved_model.check_restore(saved_model.write({ext: damaged}))

    check()


def test_swapped_keys_checksums_and_entries(saved_model):
    names = sorted(saved_model.vars)

    @FUZZ
    @given(st.permutations(names), st.lists(st.sampled_from(["keys", "checksums", "variables"]),
                                             min_size=1, unique=True))
    def check(order, fields):
        original = json.loads(saved_model.files[".index.json"])
        index = json.loads(saved_model.files[".index.json"])
        for field in fields:
            index[field] = {new: index[field][old] for new, old in zip(names, order)}
        err = saved_model.check_restore(saved_model.write(
            {".index.json": json.dumps(index).encode()}))
        assert err is not None or index == original  # any swap that changes the index is caught

    check()


def test_crafted_index_json(saved_model):
    index = json.loads(saved_model.files[".index.json"])
    paths = list(_paths(index))

    @FUZZ
    @given(st.sampled_from(paths), st.sampled_from(["replace", "delete", "add"]), json_values)
    def check(path, action, value):
        if action == "delete" and not path:
            action = "replace"
        crafted = _edit(json.loads(saved_model.files[".index.json"]), path, action, value)
        saved_model.check_restore(saved_model.write(
            {".index.json": json.dumps(crafted).encode()}))

    check()
