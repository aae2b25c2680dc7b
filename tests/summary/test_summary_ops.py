"""Summary ops as TF1 builds and computes them: node names, tags, values, errors.

Expected values were recorded from TensorFlow 2.21's tf.compat.v1.summary in graph mode.
"""

import io
import sys

import numpy as np
import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402
from graphflow.executors import executor_names  # noqa: E402

EXECUTORS = executor_names(available_only=True)


def test_names_and_tags_follow_tf1_scopes_families_and_duplicates(parsed):
    x = tf.constant(1.5)
    made = [tf.summary.scalar("loss", x), tf.summary.scalar("loss", x)]
    with tf.name_scope("train"):
        made += [tf.summary.scalar("loss", x), tf.summary.scalar("loss", x, family="fam")]
    made.append(tf.summary.scalar("acc", x, family="fam"))
    made.append(tf.summary.scalar("a b/c:d", x))
    with tf.name_scope("outer"), tf.name_scope("inner"):
        made.append(tf.summary.scalar("v", x, family="f"))
    # TF1: node names, their tag constants, and the tags in the Summary.
    assert [s.name for s in made] == ["loss:0", "loss_1:0", "train/loss:0", "train/fam/loss:0",
                                      "fam/acc:0", "a_b/c_d:0", "outer/inner/f/v:0"]
    assert made[2].op.inputs[0].name == "train/loss/tags:0"
    assert [parsed(s).value[0].tag for s in made] == [
        "loss", "loss_1", "train/loss", "fam/train/fam/loss", "fam/fam/acc", "a_b/c_d",
        "f/outer/inner/f/v"]
    assert all(s.dtype == tf.string and s.shape.rank == 0 for s in made)
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == made


@pytest.mark.executor_matrix
@pytest.mark.parametrize("executor", EXECUTORS)
def test_scalar_value_on_every_executor(parsed, executor):
    x = tf.placeholder(tf.float32, [], name="x")
    s = tf.summary.scalar("x", x * 2.0)  # the name `x` is taken: the node and tag are x_1
    value = parsed(s, executor, {x: 1.25}).value[0]
    assert (value.tag, value.simple_value) == ("x_1", 2.5)
    assert parsed(tf.summary.scalar("i", tf.constant(3)), executor).value[0].simple_value == 3.0


def test_scalar_takes_python_numbers_and_custom_collections(parsed):
    s = tf.summary.scalar("py", 0.5, collections=["mine"])
    assert parsed(s).value[0].simple_value == 0.5
    assert tf.get_collection("mine") == [s]
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == []


def test_scalar_of_a_vector_is_an_error_naming_the_shapes_and_the_line():
    with pytest.raises(ValueError, match=r"tags and values are not the same shape: \[\] != "
                                         r"\[2\]") as err:
        tf.summary.scalar("bad", tf.constant([1.0, 2.0]))
    assert "test_summary_ops.py" in str(err.value) and "ScalarSummary" in str(err.value)


def test_scalar_of_an_unknown_shape_fails_at_run_time_as_tf1(parsed):
    x = tf.placeholder(tf.float32, None, name="x")
    s = tf.summary.scalar("later", x)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"tags and values are not the same shape: \[\] != \[2\] "
                             r"\(tag 'later'\)"):
        parsed(s, feed_dict={x: [1.0, 2.0]})
    assert parsed(s, feed_dict={x: 4.0}).value[0].simple_value == 4.0


@pytest.mark.parametrize("dtype", [tf.bool, tf.string])
def test_scalar_and_histogram_refuse_non_numbers(dtype):
    value = tf.constant(True) if dtype == tf.bool else tf.constant("x")
    with pytest.raises(TypeError, match=f"DataType {dtype.name} not in list of allowed"):
        tf.summary.scalar("s", value)
    with pytest.raises(TypeError, match=f"DataType {dtype.name} not in list of allowed"):
        tf.summary.histogram("h", tf.reshape(value, [1]))


# TF1's HistogramProto of these values (float32 in, doubles out).
HISTOGRAM_VALUES = [0.0, 1.0, -2.5, 3e-13, 100.0, 1e25, -1e-30, 2.0, 2.0]
HISTOGRAM_TF1 = dict(
    min=-2.5, max=9.999999562023526e+24, num=9.0, sum=9.999999562023526e+24,
    sum_squares=9.999999124047072e+49,
    bucket_limit=[-2.6170109961884593, -2.379100905625872, -1e-12, 0.0, 1e-12,
                  0.917246389039776, 1.0089710279437536, 1.9661990955585713,
                  2.1628190051144287, 97.88757810018231, 107.67633591020055,
                  9.920775621859783e+19, sys.float_info.max],
    bucket=[0.0, 1.0, 0.0, 1.0, 2.0, 0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 0.0, 1.0])


def _histo_fields(h):
    return dict(min=h.min, max=h.max, num=h.num, sum=h.sum, sum_squares=h.sum_squares,
                bucket_limit=list(h.bucket_limit), bucket=list(h.bucket))


@pytest.mark.executor_matrix
@pytest.mark.parametrize("executor", EXECUTORS)
def test_histogram_has_tf1_buckets(parsed, executor):
    s = tf.summary.histogram("h", tf.constant(np.float32(HISTOGRAM_VALUES)))
    assert s.op.type == "HistogramSummary" and s.op.inputs[0].name == "h/tag:0"
    value = parsed(s, executor).value[0]
    assert value.tag == "h"
    assert _histo_fields(value.histo) == HISTOGRAM_TF1


def test_histogram_of_integers_and_of_nothing(parsed):
    ints = parsed(tf.summary.histogram("h3", tf.constant([[1, 2], [3, 4]]))).value[0].histo
    assert _histo_fields(ints) == dict(
        min=1.0, max=4.0, num=4.0, sum=10.0, sum_squares=30.0,
        bucket_limit=[0.917246389039776, 1.0089710279437536, 1.9661990955585713,
                      2.1628190051144287, 2.8787120958073054, 3.1665833053880363,
                      3.8315657995195243, 4.214722379471477, sys.float_info.max],
        bucket=[0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    empty = parsed(tf.summary.histogram("h2", tf.constant([], tf.float32))).value[0].histo
    assert _histo_fields(empty) == dict(min=sys.float_info.max, max=-sys.float_info.max,
                                        num=0.0, sum=0.0, sum_squares=0.0,
                                        bucket_limit=[sys.float_info.max], bucket=[0.0])


def test_histogram_of_nan_is_a_run_time_error(parsed):
    x = tf.placeholder(tf.float32, [2])
    s = tf.summary.histogram("hn", x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: hn"):
        parsed(s, feed_dict={x: [1.0, np.nan]})


def _pixels(value):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(value.image.encoded_image_string)))


# A float image batch with negative values and a NaN, as TF1 encodes it (first/last pixels).
def _float_images():
    img = np.random.RandomState(0).uniform(-1, 2, size=(4, 3, 2, 3)).astype(np.float32)
    img[0, 0, 0, 0] = np.nan
    return img


@pytest.mark.executor_matrix
@pytest.mark.parametrize("executor", EXECUTORS)
def test_image_normalises_and_encodes_png_as_tf1(parsed, executor):
    img = _float_images()
    s = tf.summary.image("im", tf.constant(img), max_outputs=2)
    values = parsed(s, executor).value
    assert [v.tag for v in values] == ["im/image/0", "im/image/1"]
    assert [(v.image.height, v.image.width, v.image.colorspace) for v in values] == [(3, 2, 3)] * 2
    first, second = (_pixels(v).reshape(-1).tolist() for v in values)
    assert first[:12] == [255, 0, 0, 170, 146, 190, 149, 240, 255, 138, 220, 167]  # NaN: red
    assert first[-6:] == [175, 247, 75, 78, 64, 228]
    assert second[:12] == [215, 233, 255, 219, 153, 216, 85, 188, 90, 248, 165, 144]
    assert second[-6:] == [114, 214, 152, 174, 66, 183]
    one = parsed(tf.summary.image("im1", tf.constant(np.abs(img[:1])), max_outputs=1)).value
    assert [v.tag for v in one] == ["im1/image"]
    assert _pixels(one[0]).reshape(-1).tolist()[:12] == [255, 0, 0, 85, 36, 126, 42, 225, 255,
                                                         20, 185, 79]


def test_image_uint8_grey_and_empty_batches(parsed):
    rgba = (np.arange(24) * 10).astype(np.uint8).reshape(1, 2, 3, 4)
    value = parsed(tf.summary.image("im8", tf.constant(rgba))).value[0]
    assert value.tag == "im8/image/0" and value.image.colorspace == 4
    np.testing.assert_array_equal(_pixels(value), rgba[0])
    grey = parsed(tf.summary.image("g", tf.zeros([2, 2, 2, 1]), max_outputs=5)).value
    assert [(v.tag, v.image.colorspace) for v in grey] == [("g/image/0", 1), ("g/image/1", 1)]
    assert parsed(tf.summary.image("e", tf.zeros([0, 2, 2, 3]))).value == []


def test_image_errors_bad_rank_channels_dtype_and_max_outputs(parsed):
    with pytest.raises(ValueError, match=r"Tensor must be 4-D with last dim 1, 3, or 4, not "
                                         r"\[2,3,3\]"):
        tf.summary.image("bad", tf.zeros([2, 3, 3]))
    with pytest.raises(ValueError, match=r"not \[1,2,2,2\]"):
        tf.summary.image("bad", tf.zeros([1, 2, 2, 2]))
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values: uint8, "
                                        "float32, float16, float64"):
        tf.summary.image("bad", tf.zeros([1, 2, 2, 3], tf.int32))
    with pytest.raises(ValueError, match="max_outputs must be an integer >= 1"):
        tf.summary.image("bad", tf.zeros([1, 2, 2, 3]), max_outputs=0)
    x = tf.placeholder(tf.float32, None)
    late = tf.summary.image("late", x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"not \[2,3\]"):
        parsed(late, feed_dict={x: np.zeros((2, 3), np.float32)})


def test_text_and_tensor_summary_hold_the_tensor_with_plugin_metadata(parsed):
    from tensorboard.util import tensor_util

    t = tf.summary.text("txt", tf.constant(["hello", "world"]))
    assert [i.name for i in t.op.inputs][::2] == ["txt/tag:0", "txt/serialized_summary_metadata:0"]
    assert t.op.type == "TensorSummaryV2"
    value = parsed(t).value[0]
    assert value.tag == "txt" and value.metadata.plugin_data.plugin_name == "text"
    assert list(value.tensor.string_val) == [b"hello", b"world"]
    assert tensor_util.make_ndarray(value.tensor).shape == (2,)
    scalar_text = parsed(tf.summary.text("t0", "hi")).value[0]
    assert list(scalar_text.tensor.string_val) == [b"hi"]
    assert not scalar_text.tensor.tensor_shape.dim
    ts = parsed(tf.summary.tensor_summary("tsum", tf.constant([1.0, 2.0]))).value[0]
    assert ts.tag == "tsum" and not ts.metadata.plugin_data.plugin_name
    np.testing.assert_array_equal(tensor_util.make_ndarray(ts.tensor), [1.0, 2.0])
    described = tf.summary.tensor_summary("d", tf.constant(1), summary_description="why",
                                          display_name="shown")
    meta = parsed(described).value[0].metadata
    assert (meta.summary_description, meta.display_name) == ("why", "shown")


def test_text_of_a_number_is_an_error():
    with pytest.raises(TypeError, match="to have dtype string, got float32"):
        tf.summary.text("tn", tf.constant(1.0))


def test_audio_is_16_bit_wav_as_tf1(parsed):
    import wave

    clip = np.float32([[[0.0, 0.5], [1.0, -1.0], [0.25, 2.0], [-0.3, 1e-5]]])  # [1, 4, 2]
    s = tf.summary.audio("snd", tf.constant(np.concatenate([clip, -clip])), 8000,
                         max_outputs=2)
    assert s.op.type == "AudioSummaryV2"
    values = parsed(s).value
    assert [v.tag for v in values] == ["snd/audio/0", "snd/audio/1"]
    audio = values[0].audio
    assert (audio.sample_rate, audio.num_channels, audio.length_frames, audio.content_type) == \
        (8000.0, 2, 4, "audio/wav")
    with wave.open(io.BytesIO(audio.encoded_audio_string)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 8000)
        samples = np.frombuffer(w.readframes(4), "<i2").tolist()
    assert samples == [0, 16384, 32767, -32768, 8192, 32767, -9830, 0]  # TF1's samples
    assert len(audio.encoded_audio_string) == 60  # a 44-byte header and 16 bytes
    mono = parsed(tf.summary.audio("mono", tf.constant(clip[:, :, 0]), 16000.0,
                                   max_outputs=1)).value
    assert [v.tag for v in mono] == ["mono/audio"] and mono[0].audio.num_channels == 1
    with pytest.raises(ValueError, match=r"Tensor must be 3-D or 2-D, got: \[2,3,4,5\]"):
        tf.summary.audio("bad", tf.zeros([2, 3, 4, 5]), 8000)
    with pytest.raises(TypeError, match="has type int32 that does not match expected type of "
                                        "float32"):
        tf.summary.audio("badi", tf.zeros([2, 3], tf.int32), 8000)


def test_merge_names_and_values_as_tf1(parsed):
    a = tf.summary.scalar("a", 1.0)
    h = tf.summary.histogram("h", tf.constant([1.0]))
    merged = tf.summary.merge([a, h])
    assert merged.name == "Merge/MergeSummary:0" and merged.op.type == "MergeSummary"
    assert [v.tag for v in parsed(merged).value] == ["a", "h"]
    assert tf.summary.merge([a], name="mine").name == "mine/mine:0"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [a, h]  # merge adds nothing by default
    extra = tf.summary.merge([a], collections=["merged"])
    assert tf.get_collection("merged") == [extra]
    assert parsed(tf.summary.merge([tf.constant(["", ""])])).value == []


def test_merge_errors(parsed):
    h = tf.summary.histogram("h", tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Duplicate tag h found in summary inputs"):
        parsed(tf.summary.merge([h, h]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Could not parse one of the summary inputs"):
        parsed(tf.summary.merge([tf.constant("garbage")]))
    with pytest.raises(TypeError, match=r"types \['float32'\] that do not match expected type "
                                        "string"):
        tf.summary.merge([tf.constant(1.0)])
    with pytest.raises(ValueError, match="length 0 shorter than minimum length 1"):
        tf.summary.merge([])


def test_merge_all_none_key_scope_and_name(parsed):
    assert tf.summary.merge_all() is None
    tf.summary.scalar("a", 1.0)
    with tf.name_scope("inner"):
        tf.summary.scalar("b", 2.0)
    assert tf.summary.merge_all(key="nothing") is None
    everything = tf.summary.merge_all()
    assert [v.tag for v in parsed(everything).value] == ["a", "inner/b"]
    scoped = tf.summary.merge_all(scope="inner", name="ma")
    assert scoped.name == "ma/ma:0"
    assert [v.tag for v in parsed(scoped).value] == ["inner/b"]


def test_summary_ops_are_not_differentiable_and_leave_gradients_alone():
    from graphflow.ops.registry import registered_ops

    kinds = ["ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2",
             "TensorSummaryV2", "MergeSummary"]
    assert all(registered_ops()[k].not_differentiable for k in kinds)
    x = tf.Variable(3.0)
    loss = x * x
    tf.summary.merge([tf.summary.scalar("loss", loss), tf.summary.histogram("x", x)])
    (grad,) = tf.gradients(loss, [x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(grad) == 6.0


def test_tf_summary_and_its_protos_are_where_tf1_has_them():
    from tensorboard.compat.proto import event_pb2, summary_pb2

    import graphflow.compat.v1 as v1
    from graphflow.compat.missing import KNOWN_MISSING

    assert v1.summary is tf.summary and "summary" not in KNOWN_MISSING
    assert tf.summary.Summary is summary_pb2.Summary is tf.Summary is v1.Summary
    assert tf.summary.SessionLog is event_pb2.SessionLog is tf.SessionLog
    assert tf.summary.Event is event_pb2.Event and tf.summary.TaggedRunMetadata
    assert tf.SummaryMetadata is summary_pb2.SummaryMetadata
    with pytest.raises(AttributeError, match="has no attribute 'HistogramProto'"):
        tf.summary.HistogramProto  # noqa: B018 - TF1 has it as tf.HistogramProto only
    with pytest.raises(AttributeError, match=r"does not support tf.summary.initialize \(a TF1 "
                                             r"API\); see docs/compat.md"):
        tf.summary.initialize  # noqa: B018 - TF2's writer set-up, not graphflow's
