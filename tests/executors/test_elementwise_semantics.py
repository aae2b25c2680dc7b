"""One source for elementwise semantics: the ops' scalar declarations, compiled into the fused
evaluator at build time, are exactly what the op registry declares."""

import importlib.util
import pathlib

import numpy as np

import graphflow as gf
from graphflow._ext import fused
from graphflow.executors.cpu.kernels_fused import _OPCODES
from graphflow.ops.registry import registered_ops

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_elementwise",
                                                  ROOT / "ext" / "gen_elementwise.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared() -> dict:
    return {name: cls for name, cls in registered_ops().items() if cls.scalar is not None}


def test_the_compiled_opcodes_are_the_registry_declarations():
    table = fused.opcode_table()
    assert {name: expr for name, _, expr in table} == {n: c.scalar for n, c in declared().items()}
    for name, arity, _ in table:
        assert arity == len(registered_ops()[name].input_names), name
    assert list(_OPCODES) == [name for name, _, _ in table]


def test_only_elementwise_ops_declare_a_scalar_expression():
    for name, cls in declared().items():
        assert cls.elementwise, f"{name} declares a scalar expression but is not elementwise"


def test_the_generator_reads_what_the_registry_sees():
    decls = _generator().declarations(str(ROOT / "graphflow" / "ops"))
    assert {d.name: (d.expr, d.cost) for d in decls} == {
        n: (c.scalar, c.scalar_cost) for n, c in declared().items()}


def test_the_header_is_deterministic_and_names_every_case():
    gen = _generator()
    decls = gen.declarations(str(ROOT / "graphflow" / "ops"))
    text = gen.render_header(decls)
    assert text == gen.render_header(decls)
    for d in decls:
        assert f"case {gen.enum_name(d.name)}:" in text


def test_every_declared_op_fuses_and_agrees_with_its_reference():
    """Each declared op, fused with a neighbour on the cpu, matches the reference executor."""
    rng = np.random.default_rng(1)
    for name, cls in sorted(declared().items()):
        graph = gf.Graph()
        with graph.as_default():
            floats = getattr(cls, "allowed", None) != "bool"
            dtype = gf.float32 if floats else gf.bool
            x = gf.placeholder(dtype, [64])
            y = gf.placeholder(dtype, [64])
            a = gf.abs(x) + 0.5 if floats else x  # keeps log/sqrt/div in their domains
            out = gf.ops.registry.apply_op(cls(), [a, y][:len(cls.input_names)])
            if out.dtype.is_bool:
                out = gf.cast(out, gf.float32)
            result = out * 2.0
        feed = {x: rng.normal(size=64).astype(np.float32) if floats else rng.random(64) > .5,
                y: rng.normal(size=64).astype(np.float32) + 3.0 if floats
                else rng.random(64) > .5}
        values = {}
        for executor in ("reference", "cpu"):
            with gf.Session(graph=graph, executor=executor) as sess:
                values[executor] = sess.run(result, feed)
                if executor == "cpu":
                    plan = sess.compiled_plan(result, feed)
                    assert [s.type for s in plan.steps] == ["FusedElementwise"], name
        np.testing.assert_allclose(values["cpu"], values["reference"], rtol=2e-6, atol=1e-6,
                                   err_msg=name)
