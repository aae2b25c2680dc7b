"""`tf.random`: TF1's `tf.random.*` names for the random ops (seeded as in graphflow.ops.random)."""

from graphflow.compat.missing import module_getattr
from graphflow.ops.candidate_sampling import (
    all_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
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

__all__ = ["all_candidate_sampler", "categorical", "learned_unigram_candidate_sampler",
           "log_uniform_candidate_sampler", "multinomial", "normal", "set_random_seed", "set_seed",
           "shuffle", "truncated_normal", "uniform", "uniform_candidate_sampler"]


__getattr__ = module_getattr(__name__, "tf.random")  # a TF1 name graphflow lacks, or a typo
