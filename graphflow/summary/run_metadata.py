"""A traced run's `graphflow.RunMetadata` as TensorFlow's `RunMetadata` proto (its step_stats),
so that `FileWriter.add_run_metadata` gives TensorBoard per-node compute times."""

from __future__ import annotations

from graphflow.summary.protos import protos

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def run_metadata_proto(metadata):
    """`metadata` as a `config_pb2.RunMetadata`; a RunMetadata proto is returned as it is."""
    pb = protos()
    if isinstance(metadata, pb.config.RunMetadata):
        return metadata
    timings = getattr(metadata, "step_stats", None)
    if not isinstance(timings, list):
        raise TypeError(f"add_run_metadata takes a graphflow.RunMetadata (filled by "
                        f"sess.run(..., options=RunOptions(trace=True), run_metadata=md)) or a "
                        f"RunMetadata proto, got {type(metadata).__name__}")
    proto = pb.config.RunMetadata()
    device = proto.step_stats.dev_stats.add(device=DEVICE)
    for t in timings:
        start_us = t.start_ns // 1000
        took_us = max(0, (t.end_ns - t.start_ns) // 1000)
        node = device.node_stats.add(node_name=t.name, all_start_micros=start_us,
                                     op_start_rel_micros=0, op_end_rel_micros=took_us,
                                     all_end_rel_micros=took_us,
                                     timeline_label=f"{t.name} = {t.type}()")
        for slot, shape in enumerate(t.shapes):
            out = node.output.add(slot=slot)
            for d in shape:
                out.tensor_description.shape.dim.add(size=int(d))
    return proto
