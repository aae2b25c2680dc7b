"""Data for the examples, all offline: bundled files, exact generators, and batching helpers."""

from graphflow.datasets.batching import batches, random_mini_batches
from graphflow.datasets.generators import circles, moons, planar
from graphflow.datasets.images import load_digits_images, load_mnist, load_mnist_idx
from graphflow.datasets.loaders import load_boston, load_digits

__all__ = ["batches", "circles", "load_boston", "load_digits", "load_digits_images",
           "load_mnist", "load_mnist_idx", "moons", "planar", "random_mini_batches"]
