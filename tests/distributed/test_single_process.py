"""graphflow.distributed in a job of one (no mpirun): the collectives are identities, the graph
they build (static shapes, dtype errors, gradients, fusion), the optimizer and broadcast
wrappers, sharding, the rank-0-only Saver and the launcher's command line."""

import os
import sys

import numpy as np
import pytest

import graphflow as tf
import graphflow.distributed as hvd
from graphflow.distributed import comm, launcher
from graphflow.executors import executor_names

pytest.importorskip("mpi4py", reason="graphflow.distributed needs mpi4py: "
                                     "pip install 'graphflow[mpi]'")


@pytest.fixture(autouse=True)
def one_process():
    hvd.init()
    assert hvd.size() == 1, "these tests run without mpirun"


def _types(graph=None):
    graph = graph or tf.get_default_graph()
    return [op.type for op in graph.get_operations()]


def test_a_job_of_one_without_mpirun():
    hvd.init()  # a second call changes nothing
    assert hvd.is_initialized()
    assert (hvd.rank(), hvd.size(), hvd.local_rank(), hvd.local_size()) == (0, 1, 0, 1)
    assert not comm.is_secondary()


def test_before_init_the_error_says_to_call_it(monkeypatch):
    monkeypatch.setattr(comm, "_world", None)
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"distributed.init\(\) first"):
        hvd.rank()


def test_without_mpi4py_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    with pytest.raises(ImportError, match=r"pip install 'graphflow\[mpi\]'"):
        comm.import_mpi()


@pytest.mark.executor_matrix
@pytest.mark.parametrize("executor", executor_names(available_only=True))
def test_collectives_of_one_rank_are_identities(executor):
    x = tf.placeholder(tf.float32, [None, 3])
    i = tf.placeholder(tf.int32, [2])
    h = tf.placeholder(tf.float16, [2])
    fetches = {"mean": hvd.allreduce(x), "sum": hvd.allreduce(x, average=False),
               "isum": hvd.allreduce(i, average=False), "half": hvd.allreduce(h),
               "gathered": hvd.allgather(x), "root": hvd.broadcast(x, 0)}
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session(executor=executor) as sess:
        got = sess.run(fetches, {x: xv, i: [3, -4], h: np.float16([0.5, 2])})
    for name in ("mean", "sum", "gathered", "root"):
        np.testing.assert_array_equal(got[name], xv, err_msg=name)
        assert got[name].dtype == np.float32
    np.testing.assert_array_equal(got["isum"], [3, -4])
    assert got["half"].dtype == np.float16 and got["half"].tolist() == [0.5, 2.0]


def test_static_shapes_and_dtypes():
    x = tf.placeholder(tf.float64, [4, 3])
    assert hvd.allreduce(x).shape.as_list() == [4, 3]
    assert hvd.allreduce(x).dtype is tf.float64
    assert hvd.allgather(x).shape.as_list() == [None, 3]  # other ranks may have other rows
    assert hvd.broadcast(tf.placeholder(tf.bool, [2]), 0).dtype is tf.bool
    unknown = tf.placeholder(tf.float32)
    assert hvd.allgather(unknown).shape.ndims is None


def test_build_errors_name_the_op_and_the_line():
    ints = tf.placeholder(tf.int32, [3])
    with pytest.raises(TypeError, match=r"(?s)average=False.*test_single_process.py"):
        hvd.allreduce(ints)
    with pytest.raises(TypeError, match="numeric"):
        hvd.allreduce(tf.placeholder(tf.bool, [2]), average=False)
    with pytest.raises(TypeError, match="string"):
        hvd.allgather(tf.constant(["a", "b"]))
    with pytest.raises(ValueError, match="rank 1 or more"):
        hvd.allgather(tf.constant(1.0))


def test_broadcast_from_a_rank_that_does_not_exist_fails_when_run():
    y = hvd.broadcast(tf.constant([1.0]), root_rank=1)
    with tf.Session() as sess, pytest.raises(tf.errors.OpError, match="root_rank 1"):
        sess.run(y)


def test_gradients_of_one_rank_pass_the_gradient_through():
    x = tf.placeholder(tf.float32, [None, 2])
    xv = np.float32([[1, 2], [3, 4], [5, 6]])
    losses = {"allreduce": tf.reduce_sum(hvd.allreduce(x) * 3.0),
              "allgather": tf.reduce_sum(tf.square(hvd.allgather(x))),
              "broadcast": tf.reduce_sum(hvd.broadcast(x, 0) * 2.0)}
    expected = {"allreduce": np.full_like(xv, 3), "allgather": 2 * xv,
                "broadcast": np.full_like(xv, 2)}
    grads = {k: tf.gradients(v, [x])[0] for k, v in losses.items()}
    with tf.Session() as sess:
        got = sess.run(grads, {x: xv})
    for name in grads:
        np.testing.assert_allclose(got[name], expected[name], err_msg=name)


def test_collectives_are_never_merged_or_folded():
    c = tf.constant([1.0, 2.0])
    a, b = hvd.allreduce(c), hvd.allreduce(c)
    with tf.Session() as sess:
        assert [v.tolist() for v in sess.run([a, b])] == [[1.0, 2.0], [1.0, 2.0]]
        report = sess.explain([a, b])
    assert str(report).count("MPIAllreduce") >= 2


def test_grouped_allreduce_is_one_allreduce_per_dtype():
    tensors = [tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3)),
               tf.constant(np.float32([7])), tf.constant(np.float64([[1, 2]])),
               tf.constant(np.float32(5))]
    unknown = tf.placeholder(tf.float32)
    out = hvd.grouped_allreduce([*tensors, unknown])
    assert _types().count("MPIAllreduce") == 3  # float32, float64, the unknown shape alone
    assert [t.shape.as_list() for t in out[:4]] == [[2, 3], [1], [1, 2], []]
    assert [t.dtype for t in out] == [t.dtype for t in [*tensors, unknown]]
    with tf.Session() as sess:
        got, inputs = sess.run([out, tensors], {unknown: [[1.5]]})
    for g, t in zip(got[:4], inputs):
        np.testing.assert_array_equal(g, t)
    assert got[4].tolist() == [[1.5]]


def _mlp(seed=0):
    rng = np.random.RandomState(seed)
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(rng.randn(4, 3).astype(np.float32), name="w")
    b = tf.Variable(np.zeros(3, np.float32), name="b")
    loss = tf.reduce_mean(tf.square(tf.nn.tanh(tf.matmul(x, w) + b)))
    return x, w, b, loss


def test_distributed_optimizer_of_one_rank_is_the_wrapped_optimizer():
    data = np.random.RandomState(1).randn(8, 4).astype(np.float32)
    results = []
    for wrap in (False, True):
        with tf.Graph().as_default() as g:
            x, w, b, loss = _mlp()
            opt = tf.train.AdamOptimizer(0.1)
            if wrap:
                opt = hvd.DistributedOptimizer(opt)
                assert opt.get_slot_names() == []
            step = opt.minimize(loss)
            assert "MPIAllreduce" not in _types(g)  # no collective in a job of one
            with tf.Session(graph=g) as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(5):
                    sess.run(step, {x: data})
                results.append(sess.run([w, b]))
            if wrap:
                assert {"m", "v"} <= set(opt.get_slot_names()) and opt.get_slot(w, "m") is not None
    for plain, wrapped in zip(*results):
        np.testing.assert_array_equal(plain, wrapped)


def test_distributed_optimizer_fuses_every_gradient_into_one_allreduce(monkeypatch):
    """Built as for two ranks (the graph only; nothing runs)."""
    from graphflow.distributed import optimizer

    monkeypatch.setattr(optimizer, "size", lambda: 2)
    x, w, b, loss = _mlp()
    opt = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(0.1))
    pairs = opt.compute_gradients(loss)
    assert [v for _, v in pairs] == [w, b]
    assert _types().count("MPIAllreduce") == 1
    reduce = next(op for op in tf.get_default_graph().get_operations()
                  if op.type == "MPIAllreduce")
    assert reduce.outputs[0].shape.as_list() == [4 * 3 + 3]
    assert [g.shape.as_list() for g, _ in pairs] == [[4, 3], [3]]
    assert opt.apply_gradients(pairs) is not None
    assert opt._name == "DistributedGradientDescentOptimizer"


def test_distributed_optimizer_wraps_optimizers_only():
    with pytest.raises(TypeError, match="wraps a graphflow.train Optimizer"):
        hvd.DistributedOptimizer(object())


def test_broadcast_global_variables_of_one_rank_keeps_the_values():
    w = tf.Variable(np.float32([[1, 2], [3, 4]]), name="w")
    v = tf.Variable(np.float32([5]), name="v")
    step = tf.train.get_or_create_global_step()
    sync = hvd.broadcast_global_variables(0)
    assert _types().count("MPIBroadcast") == 2  # one per dtype: float32, int64
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step.assign(7))
        sess.run(sync)
        got = sess.run([w, v, step])
    assert got[0].tolist() == [[1, 2], [3, 4]] and got[1].tolist() == [5] and got[2] == 7
    with pytest.raises(ValueError, match="no variables"):
        hvd.broadcast_variables([])


def test_shard_takes_every_size_th_example_as_tf_data_does():
    x, y = np.arange(10), np.arange(10) * 10
    # tf.compat.v1 Dataset.range(10).shard(3, 1) gives [1, 4, 7]
    assert hvd.shard(x, rank=1, size=3).tolist() == [1, 4, 7]
    xs, ys = hvd.shard(x, y, rank=2, size=3)
    assert xs.tolist() == [2, 5, 8] and ys.tolist() == [20, 50, 80]
    assert hvd.shard(x, rank=0, size=3).tolist() == [0, 3, 6, 9]
    assert hvd.shard(x, rank=0, size=3, drop_remainder=True).tolist() == [0, 3, 6]
    assert hvd.shard(x).tolist() == list(range(10))  # this job of one


def test_shards_of_a_global_batch_partition_it():
    data = np.arange(24)
    shards = [hvd.shard(data, rank=r, size=3) for r in range(3)]
    for t in range(2):  # per-rank batches of 4 are the global batches of 12, split
        batch = np.concatenate([s[4 * t:4 * t + 4] for s in shards])
        assert sorted(batch.tolist()) == list(range(12 * t, 12 * t + 12))


def test_shard_errors():
    with pytest.raises(ValueError, match="differ in length"):
        hvd.shard(np.arange(3), np.arange(4))
    with pytest.raises(ValueError, match="rank 3 is not in a job of size 3"):
        hvd.shard(np.arange(3), rank=3, size=3)
    with pytest.raises(TypeError, match="shard_dataset needs a dataset with a shard"):
        hvd.shard_dataset([1, 2, 3])


def test_shard_dataset_calls_the_datasets_shard_with_size_and_rank():
    class Recording:
        def shard(self, num_shards, index):
            return ("sharded", num_shards, index)

    assert hvd.shard_dataset(Recording()) == ("sharded", 1, 0)
    assert hvd.shard_dataset(Recording(), rank=1, size=4) == ("sharded", 4, 1)


def test_shard_dataset_of_a_graphflow_dataset():
    data = pytest.importorskip("graphflow.data", reason="graphflow.data (tf.data) not here")
    ds = hvd.shard_dataset(data.Dataset.range(10), rank=1, size=3)
    element = ds.make_one_shot_iterator().get_next()
    got = []
    with tf.Session() as sess:
        while True:
            try:
                got.append(int(sess.run(element)))
            except tf.errors.OutOfRangeError:
                break
    assert got == [1, 4, 7]  # tf.compat.v1's Dataset.range(10).shard(3, 1)


def test_only_rank_0_writes_checkpoints(tmp_path, monkeypatch):
    tf.Variable(np.float32([1, 2]), name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        monkeypatch.setattr(comm, "is_secondary", lambda: True)
        assert saver.save(sess, str(tmp_path / "other" / "m"), global_step=3) == \
            str(tmp_path / "other" / "m-3")
        assert not (tmp_path / "other").exists()
        monkeypatch.undo()
        path = saver.save(sess, str(tmp_path / "zero" / "m"), global_step=3)
    assert os.path.exists(path + ".npz") and path.endswith("m-3")


# --- the launcher ---------------------------------------------------------------------------
def test_one_host_command_as_root():
    argv, env = launcher.mpirun_command(2, ["python", "train.py", "--lr", "0.1"], "/v/mpirun",
                                        uid=0, cores=2, environ={})
    assert argv == ["/v/mpirun", "-np", "2", "--bind-to", "none", "--allow-run-as-root",
                    "--oversubscribe", sys.executable, "-m", "mpi4py", "train.py", "--lr",
                    "0.1"]
    assert env == {"OMPI_MCA_btl": "self,vader", "OMPI_MCA_mpi_yield_when_idle": "1",
                   "OMP_NUM_THREADS": "1"}


def test_one_rank_keeps_graphflows_own_thread_policy():
    _, env = launcher.mpirun_command(1, ["python", "t.py"], "mpirun", uid=0, cores=2, environ={})
    assert env == {"OMPI_MCA_btl": "self,vader", "OMPI_MCA_mpi_yield_when_idle": "1"}
    _, env = launcher.mpirun_command(2, ["python", "t.py"], "mpirun", uid=0, cores=2,
                                     environ={"GRAPHFLOW_NUM_THREADS": "2"})
    assert env == {"OMPI_MCA_btl": "self,vader", "OMPI_MCA_mpi_yield_when_idle": "1"}


def test_one_host_command_keeps_the_users_settings():
    argv, env = launcher.mpirun_command(
        4, ["/opt/py/bin/python3", "-u", "-X", "dev", "train.py"], "mpirun", uid=1000,
        cores=16, environ={"OMP_NUM_THREADS": "2", "OMPI_MCA_btl": "self,tcp",
                           "OMPI_MCA_mpi_yield_when_idle": "0"})
    assert "--allow-run-as-root" not in argv and env == {}
    assert argv[argv.index("/opt/py/bin/python3"):] == [
        "/opt/py/bin/python3", "-u", "-X", "dev", "-m", "mpi4py", "train.py"]


def test_several_hosts_command():
    argv, env = launcher.mpirun_command(4, ["python", "-m", "mpi4py", "t.py"], "mpirun",
                                        hostfile="hosts.txt", exports=["PYTHONPATH"],
                                        extra=["--map-by", "node"], uid=1000, cores=8,
                                        environ={})
    assert "--oversubscribe" not in argv and "OMPI_MCA_btl" not in env
    assert argv[:6] == ["mpirun", "-np", "4", "--bind-to", "none", "--hostfile"]
    assert argv[7:] == ["-x", "PYTHONPATH", "--map-by", "node", sys.executable, "-m",
                        "mpi4py", "t.py"]
    assert env == {}


def test_other_commands_run_as_they_are():
    assert launcher.python_command(["./train.sh", "x"]) == ["./train.sh", "x"]
    assert launcher.python_command(["python", "-c", "print(1)"]) == [
        sys.executable, "-m", "mpi4py", "-c", "print(1)"]
    assert launcher.python_command(["python3", "-m", "pkg.train"]) == [
        sys.executable, "-m", "mpi4py", "-m", "pkg.train"]


def test_launcher_main(capsys, monkeypatch):
    assert launcher.main(["-np", "2", "--dry-run", "python", "t.py"]) == 0
    out = capsys.readouterr().out
    assert "--oversubscribe" in out and "-m mpi4py t.py" in out
    assert launcher.main(["-np", "2"]) == 2
    assert "give the command" in capsys.readouterr().err
    monkeypatch.setattr(launcher, "find_mpirun", lambda: None)
    assert launcher.main(["-np", "2", "python", "t.py"]) == 2
    assert "graphflow[mpi]" in capsys.readouterr().err


def test_the_launcher_and_the_extra_are_declared():
    import pathlib

    tomllib = pytest.importorskip("tomllib", reason="Python 3.11's tomllib reads pyproject")
    project = tomllib.loads((pathlib.Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["graphflow-run"] == \
        "graphflow.distributed.launcher:main"
    assert any(d.startswith("mpi4py") for d in project["project"]["optional-dependencies"]["mpi"])
