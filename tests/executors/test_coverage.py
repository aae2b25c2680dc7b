"""Every executor's kernel table covers every registered op: a kernel, or a declared fallback to
the NumPy reference with its reason. Parametrised over every registered executor."""

import pytest

from graphflow.executors import executor_names
from graphflow.executors.base import _EXECUTORS
from graphflow.ops.registry import registered_ops

TEST_OPS = {"TestOpWithoutGradient"}  # registered by tests/autodiff for one error message


def _package_ops() -> set:
    return set(registered_ops()) - TEST_OPS


@pytest.mark.parametrize("name", executor_names())
def test_every_registered_op_has_a_kernel_or_a_declared_fallback(name):
    table = _EXECUTORS[name].table
    report = table.coverage(_package_ops())
    assert not report["missing"], (
        f"the {name} executor has no kernel (nor declared fallback) for: "
        f"{', '.join(report['missing'])}")


@pytest.mark.parametrize("name", executor_names())
def test_fallbacks_say_why(name):
    for op_type, reason in _EXECUTORS[name].table.fallbacks().items():
        assert len(reason) > 20, f"{name}/{op_type}: say why the reference is right ({reason!r})"


@pytest.mark.parametrize("name", executor_names())
def test_no_kernel_for_an_unknown_op(name):
    unknown = sorted(set(_EXECUTORS[name].table.entries) - set(registered_ops()))
    assert not unknown, f"{name}: kernels registered for op types that do not exist: {unknown}"


def test_the_registry_sees_every_op_defined_in_graphflow():
    """Ops made with type() once reported module 'abc' and escaped a module filter: all of
    graphflow's ops say where they are defined."""
    for op_type, cls in registered_ops().items():
        if op_type not in TEST_OPS:
            assert cls.__module__.startswith("graphflow."), (op_type, cls.__module__)


def test_a_missing_kernel_is_reported():
    from graphflow.executors.kernels import KernelTable

    table = KernelTable("partial")
    table.register("Add")(lambda step: None)
    report = table.coverage({"Add", "Sub"})
    assert report == {"native": ["Add"], "fallback": [], "missing": ["Sub"]}
