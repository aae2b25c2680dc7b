"""tf.flags reads a command line as TF1's absl does: recorded from absl 2.x (tf.compat.v1.flags,
TF 2.21) on 2026-12-02, `FlagValues()(argv, known_only=True)`."""

import pytest

import graphflow.compat.v1 as tf
from graphflow.flags import _FlagValues


def _flags():
    fv = _FlagValues()
    tf.flags.DEFINE_boolean("fast", False, "x", flag_values=fv)
    tf.flags.DEFINE_integer("n", 3, "x", lower_bound=0, upper_bound=10, flag_values=fv)
    tf.flags.DEFINE_float("lr", 0.5, "x", lower_bound=0.0, flag_values=fv)
    tf.flags.DEFINE_integer("m", 3, "x", upper_bound=10, flag_values=fv)
    tf.flags.DEFINE_string("s", "a", "x", flag_values=fv)
    return fv


# argv -> (fast, n, s, what FLAGS(argv) returns), as absl gave them.
PARSED = [
    (["p", "--fast", "train.txt"], (True, 3, "a", ["p", "train.txt"])),
    (["p", "--fast", "true"], (True, 3, "a", ["p", "true"])),
    (["p", "--fast=false", "x"], (False, 3, "a", ["p", "x"])),
    (["p", "--nofast", "x"], (False, 3, "a", ["p", "x"])),
    (["p", "-fast", "x"], (True, 3, "a", ["p", "x"])),
    (["p", "--fast=1"], (True, 3, "a", ["p"])),
    (["p", "--fast=T"], (True, 3, "a", ["p"])),
    (["p", "x", "--fast", "--", "--fast"], (True, 3, "a", ["p", "x", "--", "--fast"])),
    (["p", "--n", "4", "y"], (False, 4, "a", ["p", "y"])),
    (["p", "--n=0x0a"], (False, 10, "a", ["p"])),
    (["p", "--s", "--fast"], (False, 3, "--fast", ["p"])),
    (["p", "--fast", "--n=2"], (True, 2, "a", ["p"])),
]


@pytest.mark.parametrize("argv, expected", PARSED)
def test_command_lines_parse_as_absl_does(argv, expected):
    fv = _flags()
    rest = fv(argv)
    assert (fv.fast, fv.n, fv.s, rest) == expected


# argv -> absl's error message (IllegalFlagValueError, or flags.Error for the last two).
REJECTED = [
    (["p", "--fast=yes"], "flag --fast=yes: ('Non-boolean argument to boolean flag', 'yes')"),
    (["p", "--n=11"], "flag --n=11: 11 is not an integer in the range [0, 10]"),
    (["p", "--n=-1"], "flag --n=-1: -1 is not an integer in the range [0, 10]"),
    (["p", "--lr=-0.1"], "flag --lr=-0.1: -0.1 is not a non-negative number"),
    (["p", "--m=11"], "flag --m=11: 11 is not integer <= 10"),
    (["p", "--n=abc"], "flag --n=abc: invalid literal for int() with base 10: 'abc'"),
    (["p", "--nofast=true"], "--nofast=true does not take an argument"),
    (["p", "--n"], "Missing value for flag --n"),
]


@pytest.mark.parametrize("argv, message", REJECTED)
def test_bad_values_raise_absls_errors(argv, message):
    fv = _flags()
    with pytest.raises(tf.flags.Error) as info:
        fv(argv)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)  # what graphflow's flags raised before
    fv.mark_as_parsed()  # reading a flag of unparsed values would parse pytest's own sys.argv
    assert fv.n == 3 and fv.fast is False  # a failed parse changes nothing


# (define, keyword arguments) -> absl's error when the default is out of bounds.
DEFAULTS = [
    ("integer", dict(default=11, lower_bound=0, upper_bound=10),
     "flag --k=11: 11 is not an integer in the range [0, 10]"),
    ("integer", dict(default=-1, lower_bound=0), "flag --k=-1: -1 is not a non-negative integer"),
    ("integer", dict(default=0, lower_bound=1), "flag --k=0: 0 is not a positive integer"),
    ("integer", dict(default=0, upper_bound=-1), "flag --k=0: 0 is not a negative integer"),
    ("integer", dict(default=1, upper_bound=0), "flag --k=1: 1 is not a non-positive integer"),
    ("integer", dict(default=5, upper_bound=4), "flag --k=5: 5 is not integer <= 4"),
    ("integer", dict(default=1, lower_bound=2), "flag --k=1: 1 is not integer >= 2"),
    ("float", dict(default=1.5, lower_bound=0.0, upper_bound=1.0),
     "flag --k=1.5: 1.5 is not a number in the range [0.0, 1.0]"),
    ("float", dict(default=-0.5, lower_bound=0),
     "flag --k=-0.5: -0.5 is not a non-negative number"),
    ("float", dict(default=0.5, lower_bound=1), "flag --k=0.5: 0.5 is not number >= 1"),
]


@pytest.mark.parametrize("kind, kwargs, message", DEFAULTS)
def test_defaults_outside_the_bounds_raise(kind, kwargs, message):
    define = getattr(tf.flags, f"DEFINE_{kind}")
    with pytest.raises(tf.flags.IllegalFlagValueError) as info:
        define("k", help="x", flag_values=_FlagValues(), **kwargs)
    assert str(info.value) == message


def test_assigning_checks_the_bounds_and_bounds_allow_their_ends():
    fv = _FlagValues()
    tf.flags.DEFINE_integer("k", 1, "x", lower_bound=0, upper_bound=4, flag_values=fv)
    fv(["p", "--k=4"])
    assert fv.k == 4
    fv.k = 0
    assert fv.k == 0
    with pytest.raises(tf.flags.IllegalFlagValueError,
                       match=r"^flag --k=-3: -3 is not an integer in the range \[0, 4\]$"):
        fv.k = -3
    assert fv.k == 0
