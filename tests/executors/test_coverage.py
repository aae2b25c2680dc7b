"""Every registered op has a CPU kernel, or an explicit statement that the reference is right."""

from graphflow.executors.cpu import KERNELS, REFERENCE_REASONS
from graphflow.ops.registry import registered_ops


def _package_ops() -> set:
    """The ops graphflow defines (tests may register throwaway ops of their own)."""
    return {name for name, cls in registered_ops().items()
            if cls.__module__.startswith("graphflow.")}


def test_every_registered_op_has_a_cpu_kernel():
    missing = sorted(_package_ops() - set(KERNELS))
    assert not missing, f"no CPU kernel (nor reference_kernel entry) for: {', '.join(missing)}"


def test_reference_kernels_say_why():
    for op_type, reason in REFERENCE_REASONS.items():
        assert op_type in KERNELS
        assert len(reason) > 20, f"{op_type}: say why NumPy's reference is right ({reason!r})"


def test_no_kernel_for_an_unknown_op():
    unknown = sorted(set(KERNELS) - set(registered_ops()))
    assert not unknown, f"kernels registered for op types that do not exist: {unknown}"
