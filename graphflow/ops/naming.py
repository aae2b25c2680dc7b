"""Public functions made by factories carry their public name, so Python's own errors name them.

`reduce_sum(x, axsi=1)` must say `reduce_sum() got an unexpected keyword argument 'axsi'`, not
`_reducer.<locals>.fn() ...`: Python takes that name from the function's `__qualname__`.
"""

from __future__ import annotations

import types


def name_public_functions(namespace: dict) -> None:
    """Give each factory-made function in `namespace` the first name it is bound to there."""
    for name, value in list(namespace.items()):
        if (isinstance(value, types.FunctionType) and not name.startswith("_")
                and "<locals>" in value.__qualname__):
            value.__name__ = name
            value.__qualname__ = name
