"""Testing helpers: hypothesis strategies for op examples and numerical gradient checks."""
