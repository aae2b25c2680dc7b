"""Static shapes whose rank or dimensions may be unknown, and NumPy broadcasting over them."""

from __future__ import annotations

from collections.abc import Iterable

from graphflow.core.site import argument_error


class TensorShape:
    """A possibly partial shape: `dims` is None (unknown rank) or a tuple of int-or-None.

    Shapes print as TF1's do: `(?, 784)`, `()`, `<unknown>`; they index, iterate and compare
    like tuples.

    Args:
        dims: None (unknown rank), an int, or a list or tuple of ints and Nones.

    Examples:
        >>> s = tf.TensorShape([None, 784])
        >>> print(s, s.rank, s[1], s.is_fully_defined())
        (?, 784) 2 784 False
    """

    __slots__ = ("dims",)

    def __init__(self, dims=None):
        if isinstance(dims, TensorShape):
            dims = dims.dims
        elif dims is not None:
            if isinstance(dims, int):
                dims = (dims,)
            dims = tuple(_as_dim(d) for d in dims)
        self.dims = dims

    # --- queries --------------------------------------------------------------------------
    @property
    def rank(self):
        """The number of dimensions, or None when the rank is unknown (`ndims` is the same)."""
        return None if self.dims is None else len(self.dims)

    ndims = rank

    def is_fully_defined(self) -> bool:
        """Whether the rank and every dimension are known.

        Returns:
            A bool.

        Examples:
            >>> print(tf.TensorShape([2, 3]).is_fully_defined())
            True
            >>> print(tf.TensorShape([None, 3]).is_fully_defined())
            False
        """
        return self.dims is not None and all(d is not None for d in self.dims)

    def num_elements(self):
        """The number of elements, or None unless the shape is fully defined.

        Returns:
            An int or None.

        Examples:
            >>> print(tf.TensorShape([2, 3]).num_elements(), tf.TensorShape([None]).num_elements())
            6 None
        """
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self.dims:
            n *= d
        return n

    def as_list(self) -> list:
        """The dims as a list (None for an unknown dim); a ValueError for an unknown rank.

        Returns:
            A list of ints and Nones.

        Examples:
            >>> print(tf.placeholder(tf.float32, [None, 3]).shape.as_list())
            [None, 3]
        """
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")  # TF1's words
        return list(self.dims)

    def as_tuple(self):
        """The dims as a tuple, or None for an unknown rank.

        Returns:
            A tuple of ints and Nones, or None.

        Examples:
            >>> print(tf.TensorShape([None, 3]).as_tuple())
            (None, 3)
        """
        return self.dims

    def is_compatible_with(self, other) -> bool:
        """Whether some shape fits both: the ranks agree (or one is unknown) and the dims do where
        both are known.

        Args:
            other: A TensorShape or a list.

        Returns:
            A bool.

        Examples:
            >>> s = tf.TensorShape([None, 3])
            >>> print(s.is_compatible_with([8, 3]), s.is_compatible_with([8, 4]))
            True False
        """
        other = as_shape(other)
        if self.dims is None or other.dims is None:
            return True
        if len(self.dims) != len(other.dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self.dims, other.dims))

    def merge_with(self, other) -> TensorShape:
        """The most specific shape compatible with both; ValueError when they conflict.

        Args:
            other: A TensorShape or a list.

        Returns:
            A TensorShape with each dim known where either knows it.

        Examples:
            >>> print(tf.TensorShape([None, 3]).merge_with([8, None]))
            (8, 3)
        """
        other = as_shape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self.dims is None:
            return other
        if other.dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self.dims, other.dims)])

    def with_rank(self, rank: int) -> TensorShape:
        """This shape, checked to have `rank` dims (an unknown rank becomes `rank` unknown dims).

        Args:
            rank: The rank required.

        Returns:
            A TensorShape; a ValueError when the rank differs.

        Examples:
            >>> print(tf.TensorShape(None).with_rank(2))
            (?, ?)
        """
        if self.dims is None:
            return TensorShape([None] * rank)
        if len(self.dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def concatenate(self, other) -> TensorShape:
        """The dims of this shape followed by those of `other` (unknown if either rank is).

        Args:
            other: A TensorShape or a list.

        Returns:
            A TensorShape.

        Examples:
            >>> print(tf.TensorShape([None]).concatenate([3, 4]))
            (?, 3, 4)
        """
        other = as_shape(other)
        if self.dims is None or other.dims is None:
            return TensorShape(None)
        return TensorShape(self.dims + other.dims)

    # --- container protocol --------------------------------------------------------------
    def __len__(self):
        if self.dims is None:
            raise ValueError("Cannot take the length of a shape of unknown rank.")
        return len(self.dims)

    def __iter__(self):
        if self.dims is None:
            raise ValueError("Cannot iterate over a shape of unknown rank.")
        return iter(self.dims)

    def __getitem__(self, key):
        if self.dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None
        if isinstance(key, slice):
            return TensorShape(self.dims[key])
        return self.dims[key]

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self.dims == other.dims

    def __hash__(self):
        return hash(self.dims)

    def __repr__(self):
        if self.dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self.dims)})"

    def __str__(self):
        """TF1's rendering: `(?, 784)`, `()`, `<unknown>`."""
        if self.dims is None:
            return "<unknown>"
        inner = ", ".join("?" if d is None else str(d) for d in self.dims)
        return f"({inner},)" if len(self.dims) == 1 else f"({inner})"

    def bracketed(self) -> str:
        """`[?,784]`, the form used after a dtype (`float32[?,784]`), as errors print shapes.

        Returns:
            The shape as a string.

        Examples:
            >>> print(tf.TensorShape([None, 784]).bracketed())
            [?,784]
        """
        if self.dims is None:
            return "[<unknown rank>]"
        return "[" + ",".join("?" if d is None else str(d) for d in self.dims) + "]"


def _as_dim(d):
    if d is None:
        return None
    if hasattr(d, "value") and not isinstance(d, int):  # TF1 Dimension-like objects
        d = d.value
        if d is None:
            return None
    try:
        i = int(d)
    except (TypeError, ValueError):
        raise TypeError(f"A shape dimension must be an int or None, got {d!r}") from None
    if i != d or i < -1:
        raise ValueError(f"Invalid shape dimension {d!r}")
    if i == -1:
        return None
    return i


def as_shape(value) -> TensorShape:
    if isinstance(value, TensorShape):
        return value
    if value is None:
        return TensorShape(None)
    if isinstance(value, int):
        return TensorShape([value])
    if isinstance(value, Iterable):
        return TensorShape(list(value))
    raise TypeError(f"Cannot interpret {value!r} as a shape")


def shape_argument(value, function: str) -> TensorShape:
    """`as_shape(value)` for a public function's `shape` argument: a bad one names the function
    and the user's line."""
    try:
        return as_shape(value)
    except (TypeError, ValueError) as err:
        raise argument_error(function, f"{err} in shape {value!r}") from None


def unknown_shape(rank=None) -> TensorShape:
    return TensorShape(None if rank is None else [None] * rank)


def broadcast_shapes(a: TensorShape, b: TensorShape) -> TensorShape:
    """NumPy broadcasting of static shapes; ValueError naming the clashing dimensions."""
    if a.dims is None or b.dims is None:
        return TensorShape(None)
    n = max(len(a.dims), len(b.dims))
    da = (1,) * (n - len(a.dims)) + a.dims
    db = (1,) * (n - len(b.dims)) + b.dims
    out = []
    for i, (x, y) in enumerate(zip(da, db)):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None and y is None:
            out.append(None)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(
                f"dimension {i - n} is {x} in one operand and {y} in the other; "
                "broadcasting needs them equal or one of them 1"
            )
    return TensorShape(out)
