"""Symbolic differentiation: gradients built as more graph ops."""

from graphflow.autodiff.gradients import GradientError, gradients

__all__ = ["GradientError", "gradients"]
