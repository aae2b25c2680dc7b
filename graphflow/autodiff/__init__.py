"""Symbolic differentiation: gradients built as more graph ops."""
