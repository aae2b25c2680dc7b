"""Run the benchmark suite from a checkout: `python bench/run.py [W1 W2 ...] [--json out.json]`.

The same as the installed `graphflow bench` command.
"""

import sys

from graphflow.bench import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
