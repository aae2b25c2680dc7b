"""Symbolic differentiation: gradients built as more graph ops."""

from graphflow.autodiff.gradients import GradientError, gradients
from graphflow.autodiff.unbroadcast import unbroadcast

__all__ = ["GradientError", "gradients", "unbroadcast"]
