"""The code of docs/guide/keras.md runs, in order, and prints what its comments say."""

import pathlib
import re

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[3]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PROMISE = re.compile(r"^\s*print\((?P<expr>.*)\)\s*#\s*(?P<value>\S.*)$")


def test_keras_guide_examples_run_and_print_what_they_say(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the saving example writes a file
    blocks = BLOCK.findall((ROOT / "docs" / "guide" / "keras.md").read_text())
    assert len(blocks) >= 5
    namespace: dict = {"__name__": "__guide__"}
    checked = 0
    for index, code in enumerate(blocks):
        lines = code.splitlines()
        for number, line in enumerate(lines):
            match = PROMISE.match(line)
            if match:  # check the promised value right after the print runs
                lines[number] = (f"__value = ({match['expr']}); print(__value); "
                                 f"__check(__value, {match['value']!r})")
        namespace["__check"] = _check
        exec(compile("\n".join(lines), f"<keras.md example {index + 1}>", "exec"), namespace)
        checked += sum(1 for line in code.splitlines() if PROMISE.match(line))
    assert checked >= 6
    assert "Total params: 67 (268.00 Byte)" in capsys.readouterr().out


def _check(value, promised: str) -> None:
    if promised in ("True", "False"):
        assert value is (promised == "True") or bool(value) == (promised == "True"), promised
    elif promised.startswith("["):
        assert repr(value) == promised, (value, promised)
    else:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d*)?", promised)]
        np.testing.assert_allclose(np.ravel(value), numbers)
