"""Training: optimizers with TF1's update rules, learning-rate schedules and checkpoints."""

from graphflow.compat.missing import EXAMPLE_PROTOS, module_getattr
from graphflow.errors import DataLossError, NotFoundError
from graphflow.io.graph_json import export_meta_graph
from graphflow.train.adadelta import AdadeltaOptimizer
from graphflow.train.adagrad_da import AdagradDAOptimizer
from graphflow.train.checkpoint_state import (
    CheckpointState,
    get_checkpoint_state,
    latest_checkpoint,
)
from graphflow.train.ftrl import FtrlOptimizer
from graphflow.train.moving_averages import ExponentialMovingAverage
from graphflow.train.optimizer import Optimizer, get_global_step, get_or_create_global_step
from graphflow.train.optimizers import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    RMSPropOptimizer,
)
from graphflow.train.proximal import (
    ProximalAdagradOptimizer,
    ProximalGradientDescentOptimizer,
)
from graphflow.train.saver import Saver, import_meta_graph
from graphflow.train.schedules import exponential_decay, inverse_time_decay, piecewise_constant

__all__ = [
    "AdadeltaOptimizer", "AdagradDAOptimizer", "AdagradOptimizer", "AdamOptimizer",
    "CheckpointState", "DataLossError", "ExponentialMovingAverage", "FtrlOptimizer",
    "GradientDescentOptimizer", "MomentumOptimizer", "NotFoundError", "Optimizer",
    "ProximalAdagradOptimizer", "ProximalGradientDescentOptimizer",
    "RMSPropOptimizer", "Saver", "export_meta_graph", "exponential_decay", "get_checkpoint_state",
    "get_global_step", "get_or_create_global_step", "import_meta_graph", "inverse_time_decay",
    "latest_checkpoint", "piecewise_constant",
]


__getattr__ = module_getattr(  # a TF1 name graphflow lacks, or a typo
    __name__, "tf.train", {name: EXAMPLE_PROTOS for name in (
        "Example", "SequenceExample", "Features", "Feature", "FeatureList", "FeatureLists",
        "BytesList", "FloatList", "Int64List")})
