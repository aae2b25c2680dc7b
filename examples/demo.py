"""The README's demo: train the digits MLP, save it, restore it, and report accuracy."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from digits_mlp import train  # noqa: E402

if __name__ == "__main__":
    accuracy, restored = train()
    print(f"\ngraphflow demo: test accuracy {accuracy:.2%}, after restore {restored:.2%}")
