"""The installed package carries a compiled extension, linked with OpenMP."""

import numpy as np

from graphflow._ext import runloop


def test_runloop_is_a_compiled_extension():
    assert runloop.__file__.endswith(".so"), runloop.__file__


def test_openmp_reports_threads():
    assert runloop.openmp_max_threads() >= 1


def test_openmp_parallel_sum_is_right():
    values = np.arange(100_000, dtype=np.float64)
    assert runloop.openmp_parallel_sum(values) == values.sum()
    assert runloop.openmp_parallel_sum(np.zeros(0)) == 0.0
    assert runloop.openmp_parallel_sum(np.array([1.5])) == 1.5


def test_importing_graphflow_loads_the_extension():
    import graphflow as tf

    assert tf._ext.runloop is runloop
