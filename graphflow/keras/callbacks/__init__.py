"""`graphflow.keras.callbacks`: what a training loop calls each batch and epoch."""

from graphflow.keras.callbacks.base import Callback
from graphflow.keras.callbacks.callback_list import CallbackList
from graphflow.keras.callbacks.checkpoint import ModelCheckpoint
from graphflow.keras.callbacks.csv_logger import CSVLogger
from graphflow.keras.callbacks.early_stopping import EarlyStopping
from graphflow.keras.callbacks.history import History
from graphflow.keras.callbacks.lambda_callback import LambdaCallback
from graphflow.keras.callbacks.lr_scheduler import LearningRateScheduler
from graphflow.keras.callbacks.progbar import ProgbarLogger
from graphflow.keras.callbacks.reduce_lr import ReduceLROnPlateau
from graphflow.keras.callbacks.tensorboard import TensorBoard
from graphflow.keras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = ["CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
           "ReduceLROnPlateau", "TensorBoard", "TerminateOnNaN"]
