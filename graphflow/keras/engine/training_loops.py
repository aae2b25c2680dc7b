"""The loops of `fit`, `evaluate`, `predict` and the `*_on_batch` methods, as tf.keras 1.x runs
them: per epoch a fresh shuffle of the sample indices (np.random), batches of `batch_size` with
a partial last one, callbacks around every batch and epoch, validation at the epoch's end.

Epoch values are Keras's running means: the loss weighted by batch size, a metric as
Σ(value·weight) / Σweight over the epoch (the weight is 1 per sample unless it is a weighted
metric), which is what Keras's stateful Mean metrics report. A `tf.data` Dataset of `(x, y)`
batches is read through an iterator in the Keras session, one batch per step.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.keras.engine import data_utils

__all__ = ["evaluate", "fit", "on_batch", "predict"]


def _unexpected(where: str, kwargs: dict):
    if kwargs:
        raise argument_error(where, f"Invalid keyword arguments: {sorted(kwargs)}", TypeError)


def _is_dataset(x) -> bool:
    from graphflow.data.dataset import Dataset

    return isinstance(x, Dataset)


def _prepare(model, where: str, x, y, sample_weight, class_weight, with_targets: bool):
    """(input arrays, target arrays, weight arrays, number of samples), checked as Keras does."""
    model._build_for(x)
    xs = data_utils.standardize_arrays(where, x, model.input_names, model.inputs, "input")
    if not with_targets:
        return xs, [], [], data_utils.check_lengths(where, xs, [])
    if y is None:
        raise argument_error(where, "no target data `y` was given; the model's outputs "
                             f"{model.output_names} each need targets.", ValueError)
    specs = model._resolve()
    targets = model._loss_graph()[0]
    ys = data_utils.standardize_arrays(where, y, model.output_names, model.outputs, "target",
                                       [s.loss_name for s in specs])
    ys = [np.asarray(a, dtype=t.dtype.as_numpy_dtype) for a, t in zip(ys, targets)]
    n = data_utils.check_lengths(where, xs, ys)
    ws = data_utils.standardize_sample_weights(where, sample_weight, class_weight,
                                               model.output_names, ys, model._weight_modes())
    return xs, ys, ws, n


def _values(logged, outs) -> tuple:
    """(batch values, [(total, count)] for the epoch means), from the fetched numbers."""
    values, parts, i = [], [], 0
    for item in logged:
        total = float(outs[i])
        if item.count is None:
            i += 1
            values.append(total)
            parts.append((total, None))
        else:
            count = float(outs[i + 1])
            i += 2
            values.append(total / count if count else 0.0)
            parts.append((total, count))
    return values, parts


class _Means:
    """Σ over batches of each logged value, for the epoch's means."""

    def __init__(self, n: int):
        self.totals, self.counts = np.zeros(n), np.zeros(n)

    def add(self, parts, size: int):
        for j, (total, count) in enumerate(parts):
            if count is None:
                self.totals[j] += total * size
                self.counts[j] += size
            else:
                self.totals[j] += total
                self.counts[j] += count

    def means(self) -> list:
        return [float(t / c) if c else 0.0 for t, c in zip(self.totals, self.counts)]


def _batch_feeds(arrays, index):
    return [a[index] for a in arrays]


def _dataset_steps(model, dataset, steps):
    """Feed lists read from a Dataset of (x, y[, sample weight]) batches, `steps` of them (or
    until it ends)."""
    from graphflow.errors import OutOfRangeError
    from graphflow.keras import backend

    cache = model.__dict__.setdefault("_dataset_iterators", {})
    entry = cache.get(id(dataset))
    if entry is None:
        iterator = dataset.make_initializable_iterator()
        entry = cache[id(dataset)] = (dataset, iterator, iterator.get_next(), [False])
    _, iterator, next_element, started = entry
    session = backend.get_session()
    if steps is None or not started[0]:
        session.run(iterator.initializer)
        started[0] = True
    count = 0
    while steps is None or count < steps:
        try:
            element = session.run(next_element)
        except OutOfRangeError:
            if steps is not None:
                raise ValueError(f"The dataset ran out of data after {count} of the "
                                 f"{steps} steps asked for; use `.repeat()` on it.") from None
            return
        count += 1
        yield element if isinstance(element, tuple) else (element,)


def _run_steps(model, mode, fn, batches, callbacks, logged, hook):
    """Run `fn` on each feed list of `batches`; returns the epoch means (and batch count)."""
    means = _Means(len(logged))
    begin, end = getattr(callbacks, f"on_{hook}_batch_begin"), \
        getattr(callbacks, f"on_{hook}_batch_end")
    for b, (feeds, size) in enumerate(batches):
        begin(b, {"batch": b, "size": size})
        outs = fn.call(*feeds, True) if mode == "train" else fn.call(*feeds)
        values, parts = _values(logged, outs[1:] if mode == "train" else outs)
        means.add(parts, size)
        logs = {"batch": b, "size": size}
        logs.update(zip([v.name for v in logged], values))
        end(b, logs)
        if mode == "train" and model.stop_training:
            break
    return means.means()


def _array_batches(arrays, n, batch_size, shuffle):
    for index in data_utils.batches(n, batch_size, shuffle):
        yield _batch_feeds(arrays, index), len(range(n)[index]) if isinstance(index, slice) \
            else len(index)


def _feed_batches_from_dataset(model, where, dataset, steps, with_targets=True):
    for element in _dataset_steps(model, dataset, steps):
        x = element[0]
        y = element[1] if len(element) > 1 else None
        sw = element[2] if len(element) > 2 else None
        xs, ys, ws, n = _prepare(model, where, x, y, sw, None, with_targets)
        yield xs + ys + ws, n


def _callbacks(model, callbacks, add_history, verbose, **params):
    from graphflow.keras.callbacks import CallbackList

    return CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0,
                        model=model, verbose=verbose, **params)


def _announce(count, unit: str, val_count) -> None:
    """Graph-mode Keras's first line of a verbose fit: `Train on 96 samples, validate on 24
    samples` (steps for a Dataset; nothing when the count is unknown)."""
    if count is None:
        return
    line = f"Train on {count} {unit}"
    print(line + (f", validate on {val_count} {unit}" if val_count else ""))


def fit(model, x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data,
        shuffle, class_weight, sample_weight, initial_epoch, steps_per_epoch, validation_steps,
        validation_freq, kwargs):
    from graphflow.keras.callbacks import History

    where = f"{model.name}.fit"
    _unexpected(where, kwargs)
    model._check_compiled("training it")
    batch_size = 32 if batch_size is None else int(batch_size)
    dataset = _is_dataset(x)
    if dataset and y is not None:
        raise argument_error(where, "`y` argument is not supported when using a dataset as "
                             "input; the dataset gives (x, y) pairs.", ValueError)
    if dataset and validation_split:
        raise argument_error(where, "`validation_split` is only supported for NumPy arrays; "
                             "give a validation Dataset as `validation_data`.", ValueError)
    if dataset:
        model._build_for(_dataset_shapes(x))
        n = None
    else:
        xs, ys, ws, n = _prepare(model, where, x, y, sample_weight, class_weight, True)
    train_fn = model._function("train")
    logged = model._logged
    names = [v.name for v in logged]
    val = None
    if validation_data is not None and _is_dataset(validation_data):
        val = validation_data
    elif validation_data is not None:
        vx, vy = validation_data[0], validation_data[1] if len(validation_data) > 1 else None
        vsw = validation_data[2] if len(validation_data) > 2 else None
        val = _prepare(model, where, vx, vy, vsw, None, True)
    elif validation_split and not dataset:
        if not 0.0 < validation_split < 1.0:
            raise argument_error(where, f"validation_split must be in (0, 1), got "
                                 f"{validation_split}", ValueError)
        (xs, ys, ws), (vx, vy, vw) = [tuple(part) for part in zip(*[
            data_utils.split_validation(group, validation_split) for group in (xs, ys, ws)])]
        val = (vx, vy, vw, len(vx[0]))
        n = len(xs[0])
    metrics = names + ([f"val_{m}" for m in names] if val is not None else [])
    model.history = History()
    model.stop_training = False
    cbs = _callbacks(model, callbacks, model.history, verbose, epochs=epochs,
                     steps=steps_per_epoch if dataset or n is None else
                     -(-n // batch_size), samples=n, metrics=metrics)
    if verbose:
        _announce(n if not dataset else steps_per_epoch, "steps" if dataset else "samples",
                  val[3] if isinstance(val, tuple) else validation_steps)
    cbs.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        cbs.on_epoch_begin(epoch)
        if dataset:
            batches = _feed_batches_from_dataset(model, where, x, steps_per_epoch)
        elif steps_per_epoch is not None:
            batches = ((xs + ys + ws, n) for _ in range(steps_per_epoch))
        else:
            batches = _array_batches(xs + ys + ws, n, batch_size, shuffle)
        values = _run_steps(model, "train", train_fn, batches, cbs, logged, "train")
        epoch_logs = dict(zip(names, values))
        if val is not None and _validates(validation_freq, epoch):
            val_values = _test(model, val, batch_size, validation_steps, where)
            epoch_logs.update({f"val_{k}": v for k, v in zip(names, val_values)})
        cbs.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    cbs.on_train_end()
    return model.history


def _validates(freq, epoch: int) -> bool:
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return epoch + 1 in freq


def _dataset_shapes(dataset):
    """A zero-row array per input of the dataset's x, to build a model without inputs."""
    x_shapes = dataset.output_shapes[0] if isinstance(dataset.output_shapes, tuple) else \
        dataset.output_shapes
    shapes = x_shapes if isinstance(x_shapes, (list, tuple)) else [x_shapes]
    return [np.zeros([0, *[d or 1 for d in s.as_list()[1:]]], np.float32) for s in shapes]


def _test(model, data, batch_size, steps, where, callbacks=None):
    """The epoch means of the loss and metrics over `data` (prepared arrays or a Dataset)."""
    from graphflow.keras.callbacks import CallbackList

    fn = model._function("test")
    cbs = callbacks if callbacks is not None else CallbackList()
    if isinstance(data, tuple) and len(data) == 4 and isinstance(data[0], list):
        xs, ys, ws, n = data
        batches = _array_batches(xs + ys + ws, n, batch_size, False)
    else:
        source = data[0] if isinstance(data, tuple) else data
        batches = _feed_batches_from_dataset(model, where, source, steps)
    return _run_steps(model, "test", fn, batches, cbs, model._logged, "test")


def evaluate(model, x, y, batch_size, verbose, sample_weight, steps, callbacks, kwargs):
    where = f"{model.name}.evaluate"
    _unexpected(where, kwargs)
    model._check_compiled("evaluating it")
    batch_size = 32 if batch_size is None else int(batch_size)
    if _is_dataset(x):
        model._build_for(_dataset_shapes(x))
        model._loss_graph()
        data, n = x, None
    else:
        data = _prepare(model, where, x, y, sample_weight, None, True)
        n = data[3]
    names = [v.name for v in model._logged]
    cbs = _callbacks(model, callbacks, None, verbose, steps=steps if n is None else
                     -(-n // batch_size), samples=n, metrics=names)
    cbs.on_test_begin()
    values = _test(model, data, batch_size, steps, where, cbs)
    cbs.on_test_end(dict(zip(names, values)))
    return values[0] if len(values) == 1 else values


def predict(model, x, batch_size, verbose, steps, callbacks, kwargs):
    where = f"{model.name}.predict"
    _unexpected(where, kwargs)
    batch_size = 32 if batch_size is None else int(batch_size)
    if _is_dataset(x):
        model._build_for(_dataset_shapes(x))
        batches = ((xs, n) for xs, n in _feed_batches_from_dataset(model, where, x, steps,
                                                                   with_targets=False))
        n = None
    else:
        xs, _, _, n = _prepare(model, where, x, None, None, None, False)
        batches = _array_batches(xs, n, batch_size, False)
    fn = model._function("predict")
    cbs = _callbacks(model, callbacks, None, verbose, steps=steps if n is None else
                     -(-n // batch_size), samples=n)
    cbs.on_predict_begin()
    parts = [[] for _ in model.outputs]
    for b, (feeds, size) in enumerate(batches):
        cbs.on_predict_batch_begin(b, {"batch": b, "size": size})
        outs = fn.call(*feeds)
        for part, out in zip(parts, outs):
            part.append(out)
        cbs.on_predict_batch_end(b, {"batch": b, "size": size, "outputs": outs})
    cbs.on_predict_end()
    results = [np.concatenate(p) if p else np.zeros((0, *o.shape.as_list()[1:]), np.float32)
               for p, o in zip(parts, model.outputs)]
    return results[0] if len(results) == 1 else results


def on_batch(model, mode, x, y, sample_weight, class_weight):
    """train_on_batch / test_on_batch / predict_on_batch: one run of the mode's function."""
    where = f"{model.name}.{mode}_on_batch"
    if mode != "predict":
        model._check_compiled(f"calling {mode}_on_batch")
    xs, ys, ws, _ = _prepare(model, where, x, y, sample_weight, class_weight, mode != "predict")
    fn = model._function(mode)
    if mode == "predict":
        outs = fn.call(*xs)
        return outs[0] if len(outs) == 1 else list(outs)
    outs = fn.call(*xs, *ys, *ws, True) if mode == "train" else fn.call(*xs, *ys, *ws)
    values, _ = _values(model._logged, outs[1:] if mode == "train" else outs)
    return values[0] if len(values) == 1 else values
