"""Timing that survives a noisy shared machine: warm up, then the median of many repetitions."""

from __future__ import annotations

import statistics
import time


def measure(fn, min_time: float = 0.05, repeats: int = 9) -> float:
    """Median seconds per call of `fn` over `repeats` batches of at least `min_time` each."""
    fn()  # warm-up: compile, allocate, fill caches
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or number >= 1 << 20:
            break
        number *= 2 if elapsed == 0 else max(2, int(min_time / elapsed) + 1)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def measure_together(fns: dict, min_time: float = 0.02, repeats: int = 15) -> dict:
    """Median seconds per call of each of `fns` (name -> callable), their batches interleaved.

    Round-robin batches mean a change of load on a shared machine hits every variant alike, so
    the ratios between them hold even when the absolute times drift by 2x during the run.
    """
    numbers = {}
    for name, fn in fns.items():
        fn()  # warm-up
        number = 1
        while True:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            elapsed = time.perf_counter() - start
            if elapsed >= min_time or number >= 1 << 20:
                break
            number *= 2 if elapsed == 0 else max(2, int(min_time / elapsed) + 1)
        numbers[name] = number
    samples: dict = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            number = numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(times) for name, times in samples.items()}


def measure_once(fn, repeats: int = 5) -> float:
    """Median of single calls, for workloads that are themselves whole experiments (W5)."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def synced(executor: str, fn):
    """`fn` followed by a wait for the device, for executors whose launches are asynchronous
    (cuda: a run that fetches nothing returns before its kernels finish)."""
    if executor != "cuda":
        return fn
    import cupy

    device = cupy.cuda.Device()

    def call():
        result = fn()
        device.synchronize()
        return result

    return call
