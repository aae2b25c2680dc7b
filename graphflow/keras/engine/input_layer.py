"""`Input` and `InputLayer`: where a functional model starts.

An InputLayer owns one placeholder `[batch, *shape]` (or wraps a tensor the user gives) and records
it as its only output, so `Model(inputs, outputs)` can walk back to it. Keras names these layers
`input_1`, `input_2`, ... (counting from 1, unlike other layers).
"""

from __future__ import annotations

from graphflow.core.dtypes import as_dtype
from graphflow.core.site import argument_error
from graphflow.keras.engine.base_layer import Layer, record_node, unique_layer_name

__all__ = ["Input", "InputLayer"]


class InputLayer(Layer):
    """The layer that feeds a model: a placeholder of `batch_input_shape`, or `input_tensor`."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 sparse=False, name=None, ragged=False, batch_input_shape=None, **kwargs):
        from graphflow.ops.state import placeholder

        if sparse or ragged:
            raise argument_error("InputLayer", "sparse and ragged inputs are not supported "
                                 "(graphflow has no SparseTensor or RaggedTensor)", TypeError)
        if input_shape is not None and batch_input_shape is not None:
            raise argument_error("InputLayer", "give input_shape or batch_input_shape, not "
                                 "both", ValueError)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size, *tuple(input_shape))
        if input_tensor is not None:
            dtype = dtype or input_tensor.dtype.name
            if batch_input_shape is None and input_tensor.shape.rank is not None:
                batch_input_shape = tuple(input_tensor.shape.as_list())
        dtype = as_dtype(dtype or "float32")
        super().__init__(name=name or unique_layer_name("input", zero_based=False), dtype=dtype,
                         **kwargs)
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape is not None \
            else None
        self.is_placeholder = input_tensor is None
        if input_tensor is None:
            input_tensor = placeholder(dtype, list(self._batch_input_shape)
                                       if self._batch_input_shape is not None else None,
                                       name=self.name)
        self.built = True
        record_node(self, [], input_tensor, {})

    def get_config(self) -> dict:
        return {"batch_input_shape": list(self._batch_input_shape)
                if self._batch_input_shape is not None else None,
                "dtype": self.dtype.name, "sparse": False, "ragged": False, "name": self.name}

    def count_params(self) -> int:
        return 0


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=False, tensor=None,
          ragged=False, batch_shape=None, **kwargs):
    """A symbolic input of shape `[batch_size, *shape]` (a placeholder) for a functional model.

    Returns the tensor; `keras_history(tensor)` leads back to its InputLayer.
    """
    if "batch_input_shape" in kwargs:
        batch_shape = kwargs.pop("batch_input_shape")
    if kwargs:
        raise argument_error("Input", f"unexpected keyword arguments: {', '.join(sorted(kwargs))}",
                             TypeError)
    if shape is None and batch_shape is None and tensor is None:
        raise argument_error("Input", "Please provide to Input either a `shape` or a "
                             "`tensor` argument. Note that `shape` does not include the batch "
                             "dimension.", ValueError)
    if batch_shape is None and shape is not None:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        batch_shape = (batch_size, *shape)
    layer = InputLayer(batch_input_shape=batch_shape, dtype=dtype, input_tensor=tensor,
                       name=name, sparse=sparse, ragged=ragged)
    return layer.output
