"""The pictures in the README and the docs are what the current code draws."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_stored_pictures_are_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_pictures.py"), "--check"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
