"""What `compile` turns into: per output a loss, its weight and its metrics, and the graph that
computes them against target and sample-weight placeholders.

Keras's rules: a loss or metric list/dict is matched to the outputs by position or output name;
'accuracy' / 'acc' becomes binary accuracy for a 1-unit output or binary cross-entropy, sparse
categorical accuracy for sparse categorical cross-entropy, else categorical accuracy, logged under
the name the user wrote; with several outputs every name gets the output's name as a prefix and
each output's loss is logged as `<output>_loss`. A loss is reduced as Keras's
SUM_OVER_BATCH_SIZE: sum(loss * weight) / number of loss values.

An output that carries a Keras mask (`keras_mask`, e.g. a return_sequences RNN after
Embedding(mask_zero=True)) is scored per step: the mask joins the sample weights, the loss is
sum(loss * weight * mask) / sum(mask) (tf-keras 2.x counts only the unmasked steps; an all-masked
batch gives 0), and each metric is a mean over the unmasked steps (weighted metrics also by the
sample weights).
"""

from __future__ import annotations

from graphflow.core.site import argument_error

__all__ = ["LoggedValue", "OutputSpec", "build_losses_and_metrics", "resolve_outputs"]

_ACCURACY = ("accuracy", "acc")


class OutputSpec:
    """One output's loss function (None: not trained), loss weight and metrics."""

    def __init__(self, name, loss, loss_name, weight, metrics):
        self.name, self.loss, self.loss_name, self.weight = name, loss, loss_name, weight
        self.metrics = metrics  # [(logged name, fn, weighted)]


class LoggedValue:
    """A logged number: `total / count` for a batch, Σtotal / Σcount over an epoch."""

    def __init__(self, name, total, count):
        self.name, self.total, self.count = name, total, count


def _per_output(value, names, what: str, default=None):
    """`value` (one thing, a list by position or a dict by output name) as a list per output."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise argument_error("Model.compile", f"Unknown entries in {what} dictionary: "
                                 f"{unknown}. Only expected following keys: {names}",
                                 ValueError)
        return [value.get(n, default) for n in names]
    if isinstance(value, (list, tuple)) and what != "metrics":
        if len(value) != len(names):
            raise argument_error("Model.compile", f"When passing a list as {what}, it should "
                                 f"have one entry per model output. The model has "
                                 f"{len(names)} outputs, but you passed {what}={value!r}",
                                 ValueError)
        return list(value)
    return [value] * len(names)


def _loss_name(identifier, fn) -> str:
    return getattr(fn, "__name__", None) or str(identifier)


def _accuracy_for(loss_name: str, output):
    from graphflow.keras import metrics

    units = output.shape[-1] if output.shape.rank else None
    if loss_name == "binary_crossentropy" or units == 1:
        return metrics.binary_accuracy
    if loss_name == "sparse_categorical_crossentropy":
        return metrics.sparse_categorical_accuracy
    return metrics.categorical_accuracy


def _metric_entries(items, loss_name, output, prefix, weighted):
    from graphflow.keras import metrics

    entries = []
    for item in items or []:
        if isinstance(item, str) and item in _ACCURACY:
            name, fn = item, _accuracy_for(loss_name, output)
        elif isinstance(item, str):
            name, fn = item, metrics.get(item)
        else:
            fn = metrics.get(item)
            name = getattr(item, "name", None) or getattr(fn, "__name__", None) or repr(item)
        entries.append((prefix + name, fn, weighted))
    return entries


def resolve_outputs(model, loss, metrics, loss_weights, weighted_metrics) -> list:
    """The OutputSpec of each of the model's outputs (the model must be built)."""
    from graphflow.keras import losses as keras_losses

    names = model.output_names
    prefix = (lambda n: f"{n}_") if len(names) > 1 else (lambda n: "")
    loss_list = _per_output(loss, names, "loss")
    weights = _per_output(1.0 if loss_weights is None else loss_weights, names,
                          "loss_weights", 1.0)
    if isinstance(metrics, dict):
        metric_lists = _per_output(metrics, names, "metrics", [])
    elif metrics and isinstance(metrics[0], (list, tuple)):
        metric_lists = _per_output(list(metrics), names, "loss")
    else:
        metric_lists = [metrics] * len(names)
    weighted_lists = _per_output(weighted_metrics or [], names, "metrics", []) \
        if isinstance(weighted_metrics, dict) else [weighted_metrics] * len(names)
    specs = []
    for i, name in enumerate(names):
        fn = keras_losses.get(loss_list[i]) if loss_list[i] is not None else None
        loss_name = _loss_name(loss_list[i], fn) if fn is not None else ""
        output = model.outputs[i]
        entries = _metric_entries(_as_list(metric_lists[i]), loss_name, output, prefix(name),
                                  False)
        entries += _metric_entries(_as_list(weighted_lists[i]), loss_name, output,
                                   prefix(name), True)
        specs.append(OutputSpec(name, fn, loss_name, float(weights[i]), entries))
    _unique_metric_names(specs)
    if all(s.loss is None for s in specs):
        raise argument_error("Model.compile", "The model cannot be compiled because it has no "
                             "loss to optimize.", ValueError)
    return specs


def _unique_metric_names(specs) -> None:
    """A repeated name gets `_1`, `_2`, ... (Keras logs `accuracy` and a weighted `accuracy`
    as `accuracy`, `accuracy_1`)."""
    seen: dict = {}
    for spec in specs:
        renamed = []
        for name, fn, weighted in spec.metrics:
            n = seen.get(name, 0)
            seen[name] = n + 1
            renamed.append((name if n == 0 else f"{name}_{n}", fn, weighted))
        spec.metrics = renamed


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _reduce_time(values, rank_wanted: int):
    from graphflow.ops.reduce import reduce_mean

    while values.shape.rank is not None and values.shape.rank > rank_wanted:
        values = reduce_mean(values, -1)
    return values


def _masked(values, weight, mask):
    """(values brought to the mask's rank, weight × mask, Σ mask), or None when the values
    have fewer axes than the mask (a loss that reduced over time: the mask cannot apply)."""
    from graphflow.ops import elementwise as el
    from graphflow.ops.array import expand_dims
    from graphflow.ops.cast import cast
    from graphflow.ops.reduce import reduce_sum

    rank = mask.shape.rank if mask.shape.rank is not None else 2
    values = _reduce_time(values, rank)
    if values.shape.rank is not None and values.shape.rank < rank:
        return None
    m = cast(mask, values.dtype)
    w = cast(weight, values.dtype)
    for _ in range((w.shape.rank or 1), rank):
        w = expand_dims(w, -1)
    return values, el.multiply(w, m), reduce_sum(m)


def build_losses_and_metrics(model, specs, targets, sample_weights):
    """(total loss tensor, [LoggedValue: loss, output losses when several, metrics])."""
    from graphflow.core.graph import get_default_graph
    from graphflow.keras.engine.base_layer import keras_mask
    from graphflow.ops import elementwise as el
    from graphflow.ops.cast import cast
    from graphflow.ops.matmul import add_n
    from graphflow.ops.reduce import reduce_sum
    from graphflow.ops.shape_ops import ones_like, size

    graph = get_default_graph()
    parts, output_values, metric_values = [], [], []
    for spec, output, target, weight in zip(specs, model.outputs, targets, sample_weights):
        if spec.loss is None:
            continue
        mask = keras_mask(output)
        with graph.name_scope(f"{spec.name}_loss"):
            per_sample = spec.loss(target, output)
            masked = _masked(per_sample, weight, mask) if mask is not None else None
            if masked is not None:
                per_sample, w, valid = masked
                value = el.divide(reduce_sum(el.multiply(per_sample, w)),
                                  el.maximum(valid, cast(1.0, valid.dtype)))
            else:
                per_sample = _reduce_time(per_sample, weight.shape.rank or 1)
                weighted = el.multiply(per_sample, cast(weight, per_sample.dtype))
                value = el.divide(reduce_sum(weighted),
                                  cast(size(per_sample), per_sample.dtype))
        parts.append(el.multiply(value, spec.weight) if spec.weight != 1.0 else value)
        output_values.append((spec.name, value))
    for spec, output, target, weight in zip(specs, model.outputs, targets, sample_weights):
        mask = keras_mask(output)
        for name, fn, weighted in spec.metrics:
            with graph.name_scope(name):
                values = cast(fn(target, output), "float32")
                masked = _masked(values, weight if weighted else ones_like(weight), mask) \
                    if mask is not None else None
                if masked is not None:
                    values, w, _ = masked
                else:
                    values = _reduce_time(values, weight.shape.rank or 1)
                    w = cast(weight, "float32") if weighted else ones_like(values)
                metric_values.append(LoggedValue(name, reduce_sum(el.multiply(values, w)),
                                                 reduce_sum(w)))
    total = parts[0] if len(parts) == 1 else add_n(parts)
    regularisers = list(model.losses)
    if regularisers:
        total = el.add(total, add_n([cast(r, total.dtype) for r in regularisers]))
    logged = [LoggedValue("loss", total, None)]
    if len(specs) > 1:
        logged += [LoggedValue(f"{name}_loss", value, None) for name, value in output_values]
    return total, logged + metric_values
