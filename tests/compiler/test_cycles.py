"""The cycle checks fusion relies on (graphflow.compiler.cycles), against small known graphs."""

from graphflow.compiler.cycles import cyclic_components, is_acyclic


def test_a_dag_is_acyclic_and_has_no_cyclic_components():
    succ = {"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}
    assert is_acyclic(succ)
    assert cyclic_components(succ) == []


def test_each_cycle_is_one_component_and_nodes_between_cycles_are_not_in_any():
    # a <-> b, then c (on no cycle), then d -> e -> f -> d
    succ = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["e"], "e": ["f"], "f": ["d"]}
    assert not is_acyclic(succ)
    found = sorted(sorted(c) for c in cyclic_components(succ))
    assert found == [["a", "b"], ["d", "e", "f"]]


def test_keys_that_are_equal_but_not_identical_close_a_component():
    # fusion names its groups by fresh tuples ("g", i): equal, never the same object
    succ = {("g", 0): [("g", 1)], ("g", 1): [tuple(["g", 0])]}
    assert [sorted(c) for c in cyclic_components(succ)] == [[("g", 0), ("g", 1)]]


def test_a_long_chain_needs_no_recursion():
    n = 20_000
    succ = {i: [i + 1] for i in range(n)} | {n: [0]}
    assert not is_acyclic(succ)
    (component,) = cyclic_components(succ)
    assert len(component) == n + 1
    del succ[n][0]
    assert is_acyclic(succ) and cyclic_components(succ) == []
