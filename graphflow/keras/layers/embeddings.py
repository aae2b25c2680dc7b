"""Keras's Embedding: integer ids [batch, ...] -> rows of a trainable table
[input_dim, output_dim] (uniform in ±0.05 by default), through `embedding_lookup`, whose gradient
reaches only the rows looked up. With `mask_zero=True` id 0 is padding: the output's mask is
`ids != 0`, which the layers after it (RNNs, the loss) read to skip those steps."""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.layers.args import activity_config, weight_args, weight_config
from graphflow.keras.regularizers import get as get_regularizer

__all__ = ["Embedding"]


class Embedding(Layer):
    """Ids in [0, input_dim) to vectors of output_dim; `input_length` fixes the sequence
    length for shapes (Flatten after it needs one); `mask_zero` makes id 0 padding (masked),
    so the vocabulary holds input_dim - 1 real ids."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs and \
                "batch_input_shape" not in kwargs:
            lengths = input_length if isinstance(input_length, (list, tuple)) else [input_length]
            kwargs["input_shape"] = tuple(lengths)
        kwargs.setdefault("dtype", "float32")
        super().__init__(activity_regularizer=get_regularizer(activity_regularizer), **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        if self.input_dim <= 0 or self.output_dim <= 0:
            raise ValueError(f"Embedding {self.name!r}: input_dim and output_dim must be "
                             f"positive, got {input_dim} and {output_dim}")
        self.input_length = input_length
        self.mask_zero = bool(mask_zero)
        weight_args(self, embeddings_initializer=embeddings_initializer,
                    embeddings_regularizer=embeddings_regularizer,
                    embeddings_constraint=embeddings_constraint)
        self.embeddings = None

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", [self.input_dim, self.output_dim],
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        from graphflow.nn import embedding_lookup
        from graphflow.ops.cast import cast

        if not inputs.dtype.is_integer:
            inputs = cast(inputs, "int32")
        return embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        """`inputs != 0` with mask_zero, else None."""
        if not self.mask_zero:
            return None
        from graphflow.ops.constant import convert_to_tensor
        from graphflow.ops.elementwise import not_equal

        inputs = convert_to_tensor(inputs)
        return not_equal(inputs, convert_to_tensor(0, dtype=inputs.dtype))

    def compute_output_shape(self, input_shape):
        return TensorShape(as_shape(input_shape).as_list() + [self.output_dim])

    def get_config(self):
        config = {**super().get_config(), "input_dim": self.input_dim,
                  "output_dim": self.output_dim,
                  **weight_config(self, "embeddings_initializer", "embeddings_regularizer"),
                  **activity_config(self),
                  **weight_config(self, "embeddings_constraint"),
                  "mask_zero": self.mask_zero, "input_length": self.input_length}
        return config
