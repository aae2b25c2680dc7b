"""`tf.app.flags` / `tf.flags`: absl-style command-line flags, implemented with argparse.

    flags.DEFINE_string("data_dir", "/tmp/data", "where the data is")
    FLAGS = flags.FLAGS
    print(FLAGS.data_dir)   # parsed from sys.argv on first access, as TF1 does

Flags accept `--name=value` and `--name value`; booleans also `--name`, `--noname`. Arguments it
does not know are left for the program (`FLAGS(argv)` returns them after the program name).
"""

from __future__ import annotations

import argparse
import sys

from graphflow.compat.missing import module_getattr


def _parse_bool(text: str) -> bool:
    low = str(text).strip().lower()
    if low in ("1", "true", "t", "yes", "y"):
        return True
    if low in ("0", "false", "f", "no", "n"):
        return False
    raise argparse.ArgumentTypeError(f"expected a boolean (true/false), got {text!r}")


class _FlagValues:
    """The FLAGS object: attributes are flag values, parsed from sys.argv when first read."""

    def __init__(self):
        object.__setattr__(self, "_defs", {})  # name -> (type, default, help)
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, name: str, default, help_text: str, kind) -> None:
        if name in self._defs:
            raise ValueError(f"flag --{name} is defined twice")
        self._defs[name] = (kind, default, help_text)
        self._values[name] = default

    def _parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(allow_abbrev=False, add_help=False)
        for name, (kind, default, help_text) in self._defs.items():
            if kind is bool:
                parser.add_argument(f"--{name}", nargs="?", const=True, default=default,
                                    type=_parse_bool, help=help_text)
                parser.add_argument(f"--no{name}", dest=name, action="store_false")
            elif kind is list:
                parser.add_argument(f"--{name}", default=default, help=help_text,
                                    type=lambda s: [p for p in s.split(",") if p])
            else:
                parser.add_argument(f"--{name}", default=default, type=kind, help=help_text)
        return parser

    def __call__(self, argv) -> list:
        """Parse `argv` (program name first); returns the program name and the unknown rest."""
        argv = list(argv)
        try:
            known, rest = self._parser().parse_known_args(argv[1:])
        except SystemExit:
            raise ValueError(f"could not parse the flags in {argv[1:]}") from None
        self._values.update(vars(known))
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
        self._values[name] = value

    def __contains__(self, name) -> bool:
        return name in self._defs

    def flag_values_dict(self) -> dict:
        if not self._parsed:
            self(sys.argv)
        return dict(self._values)


FLAGS = _FlagValues()


def DEFINE_string(name, default, help, flag_values=FLAGS):  # noqa: A002, N802 - TF1's names
    flag_values._define(name, default, help, str)


def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None,  # noqa: A002, N802
                   flag_values=FLAGS):
    flag_values._define(name, default, help, int)


def DEFINE_float(name, default, help, lower_bound=None, upper_bound=None,  # noqa: A002, N802
                 flag_values=FLAGS):
    flag_values._define(name, default, help, float)


def DEFINE_boolean(name, default, help, flag_values=FLAGS):  # noqa: A002, N802
    flag_values._define(name, default, help, bool)


def DEFINE_list(name, default, help, flag_values=FLAGS):  # noqa: A002, N802
    flag_values._define(name, default, help, list)


DEFINE_bool = DEFINE_boolean


__getattr__ = module_getattr(__name__, "tf.flags")  # a TF1 name graphflow lacks, or a typo
