"""gc_paused: no cyclic collection inside, the process's own setting restored after."""

import gc

import pytest

from graphflow.core.gc_pause import gc_paused, without_gc


@pytest.fixture(autouse=True)
def _restore_gc():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_back_on_after_the_outermost_block():
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not resume it early
    assert gc.isenabled()


def test_a_process_that_disabled_the_collector_keeps_it_disabled():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_resumes_when_the_block_raises():
    gc.enable()

    @without_gc
    def fails():
        assert not gc.isenabled()
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fails()
    assert gc.isenabled()
    assert fails.__name__ == "fails"
