"""`tf.random`: TF1's `tf.random.*` names for the random ops (seeded as in graphflow.ops.random)."""

from graphflow.ops.random import (
    categorical,
    multinomial,
    random_normal,
    random_shuffle,
    random_uniform,
    set_random_seed,
    truncated_normal,
)

normal = random_normal
uniform = random_uniform
shuffle = random_shuffle
set_seed = set_random_seed

__all__ = ["categorical", "multinomial", "normal", "set_random_seed", "set_seed", "shuffle",
           "truncated_normal", "uniform"]
