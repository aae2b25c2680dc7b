"""The CUDA code generator's output read as text (no compiler needed): one module per plan,
deterministic names, the ops' scalar text used as declared, layouts, and clear refusals."""

import pytest

from graphflow.core import dtypes
from graphflow.executors.cuda import CodegenError, render_plan, render_steps
from graphflow.executors.cuda.elementwise import coalesce, fusable_op_types, scalar_ops
from graphflow.ops.fused import FusedElementwise
from graphflow.ops.registry import registered_ops


def test_every_scalar_declaration_is_rendered_verbatim(h, scalar_steps):
    module = render_steps(enumerate(scalar_steps))
    declared = {t for t, cls in registered_ops().items() if isinstance(cls.scalar, str)}
    assert declared == set(scalar_ops()) and declared <= fusable_op_types()
    for op_type in declared:
        assert f"{{ return (T)({registered_ops()[op_type].scalar}); }}" in module.source, op_type
    assert set(module.steps) == set(range(len(scalar_steps)))


def test_module_is_deterministic_and_shares_identical_kernels(h, fused_steps):
    a = render_steps(enumerate(fused_steps))
    b = render_steps(enumerate([*fused_steps, *fused_steps]))
    assert a.source == b.source and a.key == b.key
    assert len(b.kernels) == len(fused_steps)
    assert b.steps[0] == b.steps[len(fused_steps)]
    assert a.dtypes == ("double", "float", "unsigned char")
    for name, (first, last) in a.lines.items():
        lines = a.source.splitlines()
        assert lines[first - 1].startswith(f'extern "C" __global__ void {name}(')
        assert lines[last - 1] == "}"


def test_plan_renders_into_one_module(h, conv_case, pool_case):
    for case in (conv_case, pool_case):
        module = render_plan(case.plan)
        kinds = {k.kind for k in module.kernels.values()}
        assert module.source.count("#define M_EXP(v)") == 1
        assert kinds >= ({"im2col", "col2im"} if case is conv_case else
                         {"maxpool", "avgpool", "maxpoolgrad", "maxpoolgradgrad", "avgpoolgrad"})


@pytest.mark.parametrize("shapes, out, dims, strides", [
    ([(3, 5), (5,), ()], (3, 5), [3, 5], [[5, 1], [0, 1], [0, 0]]),
    ([(2, 1, 4), (3, 1), (2, 3, 4)], (2, 3, 4), [2, 3, 4], [[4, 0, 1], [0, 1, 0], [12, 4, 1]]),
    ([(6, 1, 1), (6, 4, 5)], (6, 4, 5), [6, 20], [[1, 0], [20, 1]]),  # coalesced
    ([(1, 7), (1, 7)], (1, 7), [7], [[1], [1]]),
])
def test_coalesced_layouts(shapes, out, dims, strides):
    assert coalesce(shapes, out) == (dims, strides)


def test_broadcast_reads_use_index_arithmetic(h):
    step = h.make_step(registered_ops()["Add"](), [h.spec(dtypes.float32, (2, 1, 4)),
                                                    h.spec(dtypes.float32, (3, 1))])
    text = next(iter(render_steps([(0, step)]).kernels.values())).text
    assert "in0[c0 * 4 + c2]" in text and "in1[c1]" in text and "out0[i]" in text
    assert "i += (int)(blockDim.x * gridDim.x)" in text  # a grid-stride loop


def test_unsupported_programs_are_refused_naming_the_step(h):
    mixed = FusedElementwise(program=(("Add", {}, (0, 1)), ("Cast", {"dtype": dtypes.float64},
                                                            (-1,))), results=(1,), members=())
    step = h.make_step(mixed, [h.spec(dtypes.float32, (3,))] * 2, "mixed")
    with pytest.raises(CodegenError, match=r"FusedElementwise 'mixed' \(built at .*float32"):
        render_steps([(0, step)])
    pow_step = h.make_step(registered_ops()["Pow"](), [h.spec(dtypes.float32, (3,))] * 2, "p")
    pow_step.op = FusedElementwise(program=(("Pow", {}, (0, 1)),), results=(0,), members=())
    with pytest.raises(CodegenError, match="Pow, which declares no `scalar`"):
        render_steps([(0, pow_step)])
    ints = h.make_step(registered_ops()["Add"](), [h.spec(dtypes.int32, (3,))] * 2, "ints")
    with pytest.raises(CodegenError, match="int32"):
        render_steps([(0, ints)])


def test_index_type_widens_for_large_tensors(h):
    step = h.make_step(registered_ops()["Neg"](), [h.spec(dtypes.float32, (1 << 31,))])
    text = next(iter(render_steps([(0, step)]).kernels.values())).text
    assert "for (long long i" in text
