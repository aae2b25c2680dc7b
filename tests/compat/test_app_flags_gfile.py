"""tf.app.run with flags, tf.gfile on local files, and the tf.errors classes TF1 users catch."""

import pytest

import graphflow.compat.v1 as tf
from graphflow import errors
from graphflow.flags import _FlagValues


def _define(fv):
    tf.flags.DEFINE_string("data_dir", "/tmp/data", "where the data is", flag_values=fv)
    tf.app.flags.DEFINE_integer("epochs", 3, "passes", flag_values=fv)
    tf.flags.DEFINE_float("lr", 0.1, "learning rate", flag_values=fv)
    tf.flags.DEFINE_boolean("fake", False, "use fake data", flag_values=fv)
    tf.flags.DEFINE_boolean("shuffle", True, "shuffle", flag_values=fv)


def test_flags_parse_as_absl_does():
    fv = _FlagValues()
    _define(fv)
    rest = fv(["prog", "--epochs=5", "--lr", "0.5", "--fake", "--noshuffle", "extra", "--x=1"])
    assert (fv.data_dir, fv.epochs, fv.lr, fv.fake, fv.shuffle) == ("/tmp/data", 5, 0.5, True,
                                                                     False)
    assert rest == ["prog", "extra", "--x=1"]
    fv(["prog", "--fake=false"])
    assert fv.fake is False
    with pytest.raises(AttributeError, match="no flag --epoch "):
        fv.epoch  # noqa: B018
    with pytest.raises(ValueError, match="defined twice"):
        tf.flags.DEFINE_integer("epochs", 1, "again", flag_values=fv)


def test_flags_read_sys_argv_on_first_access(monkeypatch):
    fv = _FlagValues()
    _define(fv)
    monkeypatch.setattr("sys.argv", ["prog", "--data_dir=/d"])
    assert fv.data_dir == "/d" and fv.is_parsed()


def test_app_run_calls_main_with_the_rest_and_exits():
    seen = []

    def main(argv):
        seen.append((argv, tf.app.flags.FLAGS.is_parsed()))
        return 0

    with pytest.raises(SystemExit) as exit_info:
        tf.app.run(main=main, argv=["prog", "positional"])
    assert exit_info.value.code == 0 and seen == [(["prog", "positional"], True)]


def test_gfile_on_local_files(tmp_path):
    root = str(tmp_path / "a" / "b")
    tf.gfile.MakeDirs(root)
    tf.gfile.MakeDirs(root)  # fine when it exists
    assert tf.gfile.Exists(root) and tf.gfile.IsDirectory(root)
    path = root + "/x.txt"
    with tf.gfile.GFile(path, "w") as f:
        f.write("one\ntwo\n")
    with tf.gfile.Open(path) as f:
        assert list(f) == ["one\n", "two\n"]
    tf.gfile.Copy(path, root + "/y.txt")
    with pytest.raises(errors.AlreadyExistsError):
        tf.gfile.Copy(path, root + "/y.txt")
    tf.gfile.Rename(root + "/y.txt", root + "/z.txt")
    assert tf.gfile.ListDirectory(root) == ["x.txt", "z.txt"]
    assert tf.gfile.Glob(root + "/*.txt") == [path, root + "/z.txt"]
    tf.gfile.Remove(path)
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        tf.gfile.Remove(path)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.GFile(path)
    tf.gfile.DeleteRecursively(str(tmp_path / "a"))
    assert not tf.gfile.Exists(str(tmp_path / "a"))


def test_errors_tf1_users_catch():
    for name in ["OpError", "OutOfRangeError", "InvalidArgumentError", "NotFoundError",
                 "FailedPreconditionError", "ResourceExhaustedError", "DataLossError"]:
        cls = getattr(tf.errors, name)
        assert issubclass(cls, errors.GraphflowError) and issubclass(cls, tf.errors.OpError)
    assert issubclass(tf.errors.InvalidArgumentError, ValueError)  # still the built-ins
    assert issubclass(tf.errors.OutOfRangeError, IndexError)
    v = tf.Variable(1.0)
    with tf.Session() as sess, pytest.raises(tf.errors.OpError):
        sess.run(v)  # uninitialised: FailedPreconditionError, an OpError as in TF1
