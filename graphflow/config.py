"""TF1's session configuration messages, accepted as plain attribute holders.

`tf.ConfigProto(...)`, `tf.GPUOptions(...)` and `tf.GraphOptions(...)` take TF1's field names as
keywords so scripts that build them run unchanged; graphflow's Session accepts the result as
`config=` and does not act on it yet (thread counts are set with GRAPHFLOW_THREADS).
"""

from __future__ import annotations


class _Message:
    """Keyword fields with TF1's defaults; unknown fields are an error, as in protobuf."""

    fields: dict = {}

    def __init__(self, **kwargs):
        for key, default in self.fields.items():
            setattr(self, key, default() if callable(default) else default)
        for key, value in kwargs.items():
            if key not in self.fields:
                raise ValueError(f"Protocol message {type(self).__name__} has no \"{key}\" field.")
            setattr(self, key, value)

    def __repr__(self):
        set_fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.fields
                               if getattr(self, k) != (self.fields[k]() if callable(
                                   self.fields[k]) else self.fields[k]))
        return f"{type(self).__name__}({set_fields})"


class GPUOptions(_Message):
    """TF1's `tf.GPUOptions` fields (`allow_growth`, `per_process_gpu_memory_fraction`, ...), kept
    and not acted on.

    Args:
        **kwargs: TF1's field names and values; an unknown field raises a ValueError, as
            protobuf does.

    Examples:
        >>> options = tf.GPUOptions(allow_growth=True)
        >>> print(options.allow_growth, options.per_process_gpu_memory_fraction)
        True 0.0
    """
    fields = {"per_process_gpu_memory_fraction": 0.0, "allow_growth": False,
              "allocator_type": "", "visible_device_list": "", "force_gpu_compatible": False,
              "deferred_deletion_bytes": 0, "polling_active_delay_usecs": 0}


class OptimizerOptions(_Message):
    """TF1's `tf.OptimizerOptions` fields (`opt_level`, `do_constant_folding`, ...), kept and not
    acted on: graphflow's compiler always folds, deduplicates and fuses.

    Args:
        **kwargs: TF1's field names and values; an unknown field raises a ValueError.

    Examples:
        >>> print(tf.OptimizerOptions(opt_level=1).opt_level)
        1
    """
    fields = {"do_common_subexpression_elimination": False, "do_constant_folding": False,
              "do_function_inlining": False, "opt_level": 0, "global_jit_level": 0}


class GraphOptions(_Message):
    """TF1's `tf.GraphOptions` fields (`optimizer_options`, `infer_shapes`, ...), kept and not
    acted on.

    Args:
        **kwargs: TF1's field names and values; an unknown field raises a ValueError.

    Examples:
        >>> options = tf.GraphOptions(optimizer_options=tf.OptimizerOptions(opt_level=1))
        >>> print(options.optimizer_options.opt_level)
        1
    """
    fields = {"optimizer_options": OptimizerOptions, "build_cost_model": 0,
              "infer_shapes": False, "place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
              "timeline_step": 0}


class ConfigProto(_Message):
    """TF1's `tf.ConfigProto` for `Session(config=...)`: its fields are kept and not acted on
    (set graphflow's threads with GRAPHFLOW_THREADS).

    Args:
        **kwargs: TF1's field names and values (`allow_soft_placement`, `gpu_options`,
            `intra_op_parallelism_threads`, ...); an unknown field raises a ValueError, as
            protobuf does.

    Examples:
        >>> config = tf.ConfigProto(allow_soft_placement=True,
        ...                         gpu_options=tf.GPUOptions(allow_growth=True))
        >>> with tf.Session(config=config) as sess:
        ...     print(sess.run(tf.constant(1.0)), config.gpu_options.allow_growth)
        1.0 True
    """
    fields = {"device_count": dict, "intra_op_parallelism_threads": 0,
              "inter_op_parallelism_threads": 0, "use_per_session_threads": False,
              "allow_soft_placement": False, "log_device_placement": False,
              "gpu_options": GPUOptions, "graph_options": GraphOptions,
              "operation_timeout_in_ms": 0, "isolate_session_state": False}
