"""Load the scripts in examples/ as modules, so tests call their functions directly."""

import importlib.util
import os
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


@pytest.fixture
def example():
    def load(name):
        path = os.path.abspath(os.path.join(EXAMPLES, f"{name}.py"))
        spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, os.path.dirname(path))
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(os.path.dirname(path))
        return module

    return load
