"""`tf.app.flags` / `tf.flags`: absl-style command-line flags.

    flags.DEFINE_string("data_dir", "/tmp/data", "where the data is")
    FLAGS = flags.FLAGS
    print(FLAGS.data_dir)   # parsed from sys.argv on first access, as TF1 does

The command line is read as absl reads it: `--name=value` and `--name value` (one dash works too);
a boolean takes no following word (`--fast`, `--nofast`, `--fast=true|false|t|f|1|0`), so in
`--fast train.txt` the file is a positional argument; `--` ends the flags. Positional arguments
and flags graphflow does not know are left for the program (`FLAGS(argv)` returns them after the
program name). A value outside a DEFINE_integer/DEFINE_float's bounds raises
IllegalFlagValueError with absl's wording.
"""

from __future__ import annotations

import sys

from graphflow.compat.missing import module_getattr


class Error(ValueError):
    """A flag was used wrongly (absl's flags.Error; a ValueError, as graphflow raised before).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_integer("steps", 10, "Steps.", flag_values=flag_values)
        >>> try:
        ...     flag_values(["prog", "--steps"])
        ... except tf.flags.Error as err:
        ...     print(err)
        Missing value for flag --steps
    """


class IllegalFlagValueError(Error):
    """A flag's value does not parse or is outside its bounds (absl's name and wording).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_boolean("fast", False, "Skip the checks.", flag_values=flag_values)
        >>> try:
        ...     flag_values(["prog", "--fast=yes"])
        ... except tf.flags.IllegalFlagValueError as err:
        ...     print(err)
        flag --fast=yes: ('Non-boolean argument to boolean flag', 'yes')
    """


def _parse_bool(text) -> bool:
    if isinstance(text, bool):
        return text
    low = str(text).strip().lower()
    if low in ("true", "t", "1"):
        return True
    if low in ("false", "f", "0"):
        return False
    raise ValueError(f"('Non-boolean argument to boolean flag', {text!r})")


def _parse_int(text) -> int:
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    text = str(text)
    base = 10  # absl reads 0x.. as hex and 0o.. as octal
    if len(text) > 2 and text[0] == "0" and text[1] in "xo":
        base = 16 if text[1] == "x" else 8
    return int(text, base)


def _parse_list(text) -> list:
    if isinstance(text, (list, tuple)):
        return list(text)
    return [part.strip() for part in str(text).split(",") if part.strip()]


_PARSERS = {bool: _parse_bool, int: _parse_int, float: float, str: str, list: _parse_list}
_NOUNS = {int: ("an", "integer"), float: ("a", "number")}


def _bounds_phrase(kind, lower, upper) -> str:
    """What a bounded number must be, in absl's words ('a non-negative integer', ...)."""
    article, noun = _NOUNS[kind]
    if lower is not None and upper is not None:
        return f"{article} {noun} in the range [{lower}, {upper}]"
    special = {("lower", 0): "non-negative", ("upper", 0): "non-positive"}
    if kind is int:
        special.update({("lower", 1): "positive", ("upper", -1): "negative"})
    if lower is not None:
        word = special.get(("lower", lower))
        return f"a {word} {noun}" if word else f"{noun} >= {lower}"
    word = special.get(("upper", upper))
    return f"a {word} {noun}" if word else f"{noun} <= {upper}"


class _Flag:
    """One defined flag: its kind, default, help and (for numbers) bounds."""

    def __init__(self, name, default, help_text, kind, lower=None, upper=None):
        self.name, self.kind, self.help = name, kind, help_text
        self.lower, self.upper = lower, upper
        self.default = self.parse(default)

    def parse(self, value):
        """The value converted to the flag's kind and checked against its bounds (None stays
        None, as in absl); errors say `flag --name=value: why`, as absl's do."""
        if value is None:
            return None
        try:
            result = _PARSERS[self.kind](value)
        except (TypeError, ValueError) as err:
            raise IllegalFlagValueError(f"flag --{self.name}={value}: {err}") from None
        if self.kind in _NOUNS and (
                (self.lower is not None and result < self.lower)
                or (self.upper is not None and result > self.upper)):
            raise IllegalFlagValueError(
                f"flag --{self.name}={value}: {result} is not "
                f"{_bounds_phrase(self.kind, self.lower, self.upper)}")
        return result


class _FlagValues:
    """The FLAGS object: attributes are flag values, parsed from sys.argv when first read."""

    def __init__(self):
        object.__setattr__(self, "_defs", {})  # name -> _Flag
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, name: str, default, help_text: str, kind, lower=None, upper=None) -> None:
        if name in self._defs:
            raise ValueError(f"flag --{name} is defined twice")
        flag = _Flag(name, default, help_text, kind, lower, upper)
        self._defs[name] = flag
        self._values[name] = flag.default

    def _read(self, args: list) -> tuple[dict, list]:
        """({name: value}, the words that are not graphflow's flags) of a command line."""
        found, rest, i = {}, [], 0
        while i < len(args):
            word = args[i]
            i += 1
            if word == "--":
                rest.extend(args[i - 1:])  # absl leaves the `--` for the program too
                break
            if not word.startswith("-") or word == "-":
                rest.append(word)
                continue
            name, has_value, value = word.lstrip("-").partition("=")
            flag = self._defs.get(name)
            if flag is None and name.startswith("no") and \
                    getattr(self._defs.get(name[2:]), "kind", None) is bool:
                if has_value:
                    raise Error(f"{word} does not take an argument")
                found[name[2:]] = False
                continue
            if flag is None:
                rest.append(word)  # not ours: the program's
                continue
            if flag.kind is bool:
                found[name] = flag.parse(value) if has_value else True
                continue
            if not has_value:
                if i >= len(args):
                    raise Error(f"Missing value for flag --{name}")
                value = args[i]  # absl takes the next word, whatever it looks like
                i += 1
            found[name] = flag.parse(value)
        return found, rest

    def __call__(self, argv) -> list:
        """Parse `argv` (program name first); returns the program name and the unknown rest."""
        argv = list(argv)
        found, rest = self._read(argv[1:])
        self._values.update(found)
        object.__setattr__(self, "_parsed", True)
        return argv[:1] + rest

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        object.__setattr__(self, "_parsed", True)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._defs:
            raise AttributeError(f"no flag --{name} is defined (define it with "
                                 f"flags.DEFINE_string/integer/float/boolean first)")
        if not self._parsed:
            self(sys.argv)
        return self._values[name]

    def __setattr__(self, name, value):
        if name not in self._defs:
            raise AttributeError(f"no flag --{name} is defined")
        self._values[name] = self._defs[name].parse(value)

    def __contains__(self, name) -> bool:
        return name in self._defs

    def flag_values_dict(self) -> dict:
        if not self._parsed:
            self(sys.argv)
        return dict(self._values)


FLAGS = _FlagValues()


def DEFINE_string(name, default, help, flag_values=FLAGS):  # noqa: A002, N802 - TF1's names
    """Define a string flag.

    Args:
        name: The flag's name (`--name` on the command line, `FLAGS.name` in code).
        default: Its value when the command line does not give it.
        help: Its description, for `--help`.
        flag_values: The FlagValues to define it in (default `tf.flags.FLAGS`).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_string("data_dir", "/tmp/data", "Where the data is.",
        ...                        flag_values=flag_values)
        >>> rest = flag_values(["prog", "--data_dir=./mnist"])
        >>> print(flag_values.data_dir)
        ./mnist
    """
    flag_values._define(name, default, help, str)


def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None,  # noqa: A002, N802
                   flag_values=FLAGS):
    """Define an integer flag.

    Args:
        name: The flag's name (`--name` on the command line, `FLAGS.name` in code).
        default: Its value when the command line does not give it.
        help: Its description, for `--help`.
        lower_bound: The smallest value allowed, or None; a default or a command-line value
            below it raises IllegalFlagValueError, as absl does.
        upper_bound: The largest value allowed, or None (checked likewise).
        flag_values: The FlagValues to define it in (default `tf.flags.FLAGS`).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_integer("batch_size", 32, "Examples per step.",
        ...                         flag_values=flag_values)
        >>> rest = flag_values(["prog", "--batch_size", "64"])
        >>> print(flag_values.batch_size)
        64
        >>> tf.flags.DEFINE_integer("workers", 2, "Threads.", lower_bound=1,
        ...                         flag_values=flag_values)
        >>> try:
        ...     flag_values(["prog", "--workers=0"])
        ... except tf.flags.IllegalFlagValueError as err:
        ...     print(err)
        flag --workers=0: 0 is not a positive integer
    """
    flag_values._define(name, default, help, int, lower_bound, upper_bound)


def DEFINE_float(name, default, help, lower_bound=None, upper_bound=None,  # noqa: A002, N802
                 flag_values=FLAGS):
    """Define a float flag.

    Args:
        name: The flag's name (`--name` on the command line, `FLAGS.name` in code).
        default: Its value when the command line does not give it.
        help: Its description, for `--help`.
        lower_bound: The smallest value allowed, or None; a default or a command-line value
            below it raises IllegalFlagValueError, as absl does.
        upper_bound: The largest value allowed, or None (checked likewise).
        flag_values: The FlagValues to define it in (default `tf.flags.FLAGS`).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_float("learning_rate", 0.1, "The step size.",
        ...                       flag_values=flag_values)
        >>> rest = flag_values(["prog"])
        >>> print(flag_values.learning_rate)
        0.1
    """
    flag_values._define(name, default, help, float, lower_bound, upper_bound)


def DEFINE_boolean(name, default, help, flag_values=FLAGS):  # noqa: A002, N802
    """Define a boolean flag (`--name`, `--noname` or `--name=false`; `DEFINE_bool` is the same).

    `--name` never takes the next word as its value: `--fast train.txt` sets fast and leaves
    train.txt for the program, as absl does; `--fast=false` (or f, 0) sets it off.

    Args:
        name: The flag's name (`--name` on the command line, `FLAGS.name` in code).
        default: Its value when the command line does not give it.
        help: Its description, for `--help`.
        flag_values: The FlagValues to define it in (default `tf.flags.FLAGS`).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_boolean("fast", False, "Skip the checks.",
        ...                         flag_values=flag_values)
        >>> rest = flag_values(["prog", "--fast", "train.txt"])
        >>> print(flag_values.fast, rest)
        True ['prog', 'train.txt']
    """
    flag_values._define(name, default, help, bool)


def DEFINE_list(name, default, help, flag_values=FLAGS):  # noqa: A002, N802
    """Define a comma-separated list flag (a list of strings).

    Args:
        name: The flag's name (`--name` on the command line, `FLAGS.name` in code).
        default: Its value when the command line does not give it.
        help: Its description, for `--help`.
        flag_values: The FlagValues to define it in (default `tf.flags.FLAGS`).

    Examples:
        >>> flag_values = type(tf.flags.FLAGS)()  # a fresh set; scripts use tf.flags.FLAGS
        >>> tf.flags.DEFINE_list("layers", ["64"], "Layer widths.",
        ...                      flag_values=flag_values)
        >>> rest = flag_values(["prog", "--layers=128,64"])
        >>> print(flag_values.layers)
        ['128', '64']
    """
    flag_values._define(name, default, help, list)


DEFINE_bool = DEFINE_boolean


__getattr__ = module_getattr(__name__, "tf.flags")  # a TF1 name graphflow lacks, or a typo
