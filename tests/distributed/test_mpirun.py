"""Two real MPI ranks on this machine, started by graphflow-run (and once by plain mpirun):
collective values, the digits MLP on two half-shards against one process on all of it, rank-0
checkpoints and summaries, and a raising rank that ends the job instead of hanging it. Each job
is time-boxed; the whole file takes some 30 s on a loaded 2-core machine."""

import importlib.util
import json
import os
import pathlib
import signal
import subprocess
import sys

import numpy as np
import pytest

import graphflow as tf
import graphflow.distributed as hvd
from graphflow.distributed.launcher import find_mpirun

pytest.importorskip("mpi4py", reason="graphflow.distributed needs mpi4py: "
                                     "pip install 'graphflow[mpi]'")
if find_mpirun() is None:
    pytest.skip("no mpirun beside the interpreter or on PATH: pip install 'graphflow[mpi]'",
                allow_module_level=True)

# One pass is enough: the ranks run on the cpu executor in every GRAPHFLOW_EXECUTOR pass.
pytestmark = pytest.mark.executor_matrix
WORKER = pathlib.Path(__file__).with_name("mpi_worker.py")
TIMEOUT = 120  # seconds for one job; a hang fails the test instead of the CI run


def _env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OMPI_", "PMIX_", "PRTE_", "OPAL_"))}
    env["GRAPHFLOW_EXECUTOR"] = "cpu"
    env["PYTHONPATH"] = os.pathsep.join([str(pathlib.Path(tf.__file__).parents[1]),
                                         env.get("PYTHONPATH", "")])
    return env


def _run(argv: list, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Run a job in its own process group; kill the group and fail if it outlives `timeout`."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=_env(), start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        pytest.fail(f"{' '.join(map(str, argv))} ran past {timeout} s:\n{out[-3000:]}")
    return subprocess.CompletedProcess(argv, proc.returncode, out, None)


def _launch(modes: str, out: pathlib.Path, timeout: int = TIMEOUT):
    return _run([sys.executable, "-m", "graphflow.distributed.launcher", "-np", "2",
                 "python", str(WORKER), modes, str(out)], timeout)


def _load(out, mode, rank):
    with np.load(out / f"{mode}-rank{rank}.npz") as f:
        return {k: f[k] for k in f.files}


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    out = tmp_path_factory.mktemp("two-ranks")
    done = _launch("collectives,train", out)
    assert done.returncode == 0, done.stdout[-5000:]
    return out


def test_each_rank_knows_its_place(job):
    for r in (0, 1):
        info = json.loads((job / f"train-rank{r}.json").read_text())
        assert info == {"rank": r, "size": 2, "local_rank": r, "local_size": 2}


def test_collective_values(job):
    got = [_load(job, "collectives", r) for r in (0, 1)]
    x = [g["x"] for g in got]  # 1 row on rank 0, 2 rows on rank 1
    same = [g["same"] for g in got]
    for r, g in enumerate(got):
        np.testing.assert_array_equal(g["gathered"], np.concatenate(x))
        np.testing.assert_allclose(g["mean"], (same[0] + same[1]) / 2)
        np.testing.assert_array_equal(g["total"], same[0] + same[1])
        np.testing.assert_array_equal(g["root1"], same[1])
        assert g["isum"].tolist() == [1, 10 ** 12]  # int64 sums stay exact
        # Horovod's gradients: each rank's loss is sum(gathered**2) (all equal), so the summed
        # gradient of the gathered rows is 2 * 2 * gathered, and each rank takes its own rows;
        # mean*3 gives 3 everywhere; broadcast(x)*2 gives 2+2 on the root and 0 elsewhere.
        np.testing.assert_allclose(g["d_gather"], 4 * x[r])
        np.testing.assert_allclose(g["d_mean"], np.full_like(same[r], 3))
        np.testing.assert_allclose(g["d_bcast"], np.full_like(same[r], 4 if r == 1 else 0))
        assert "the ranks' tensors differ in shape: [(1, 3), (2, 3)]" in str(g["mismatch"])


def _worker():
    spec = importlib.util.spec_from_file_location("mpi_worker", WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_ranks_on_half_the_data_match_one_process_on_all_of_it(job, tmp_path):
    hvd.init()
    assert hvd.size() == 1
    with tf.Graph().as_default():
        one = _worker().train(str(tmp_path))  # the same script, in this job of one
    two = [_load(job, "train", r) for r in (0, 1)]
    for k in range(4):
        # every rank starts from rank 0's values (RandomState(100), as this process draws)
        np.testing.assert_array_equal(two[1][f"initial{k}"], two[0][f"initial{k}"])
        np.testing.assert_array_equal(two[0][f"initial{k}"], one[f"initial{k}"])
        # and the ranks stay equal to each other exactly, and to one process to round-off
        np.testing.assert_array_equal(two[1][f"final{k}"], two[0][f"final{k}"])
        np.testing.assert_allclose(two[0][f"final{k}"], one[f"final{k}"], rtol=2e-5, atol=5e-6)
        assert not np.allclose(one[f"final{k}"], one[f"initial{k}"])  # it did train
    # each rank's loss is its half's; their mean is the whole data's loss
    np.testing.assert_allclose((two[0]["losses"] + two[1]["losses"]) / 2, one["losses"],
                               rtol=2e-5)


def test_only_rank_0_writes_the_checkpoint(job):
    assert (job / "ckpt-rank0" / "model.npz").exists()
    assert not (job / "ckpt-rank1").exists()
    assert str(_load(job, "train", 1)["path"]) == str(job / "ckpt-rank1" / "model")


def test_only_rank_0_writes_summaries(job):
    """Both ranks open a FileWriter on the same logdir, each with its rank as file suffix."""
    pytest.importorskip("tensorboard", reason="FileWriter needs tensorboard")
    files = sorted(os.listdir(job / "logs"))
    assert len(files) == 1 and files[0].startswith("events.out.tfevents.")
    assert files[0].endswith(".rank0")


def _assert_ended_by_rank_1(done):
    assert done.returncode != 0
    assert "ValueError: rank 1 fails on purpose" in done.stdout


def test_a_raising_rank_ends_the_job_under_the_launcher(tmp_path):
    _assert_ended_by_rank_1(_launch("raise", tmp_path, timeout=60))


def test_a_raising_rank_ends_a_plain_mpirun_job(tmp_path):
    """Plain `python script.py` under mpirun: init()'s excepthook aborts the communicator."""
    argv = [find_mpirun(), "-np", "2", "--oversubscribe", "--bind-to", "none"]
    if os.getuid() == 0:
        argv.append("--allow-run-as-root")
    done = _run([*argv, "-x", "OMPI_MCA_btl=self,vader", sys.executable, str(WORKER), "raise",
                 str(tmp_path)], timeout=60)
    _assert_ended_by_rank_1(done)
    assert "graphflow.distributed: rank 1 of 2 raised; aborting the job" in done.stdout
