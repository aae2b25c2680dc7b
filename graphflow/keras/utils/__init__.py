"""`graphflow.keras.utils`: one-hot labels, normalisation, model drawings, history plots."""

from graphflow.keras.utils.history_plot import plot_history
from graphflow.keras.utils.np_utils import normalize, to_categorical
from graphflow.keras.utils.vis_utils import model_to_dot, plot_model

__all__ = ["model_to_dot", "normalize", "plot_history", "plot_model", "to_categorical"]
