"""Graphs with control flow (and their gradients) are saved and imported like any other."""

import numpy as np

import graphflow as tf


def test_a_loop_with_a_cond_and_its_gradients_survive_save_and_import(tmp_path):
    w = tf.Variable(2.0, name="w")
    x = tf.placeholder(tf.float32, [], name="x")

    def body(i, p):
        return i + 1, tf.cond(i < 2, lambda: p * w, lambda: p + x)

    _, v = tf.while_loop(lambda i, p: i < 3, body, [0, 1.0], name="loop")
    grads = tf.gradients(v, [w, x], name="grads")
    mapped = tf.map_fn(lambda e: e * w, tf.constant([1.0, 2.0]), name="mapped")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run([v, grads, mapped], {x: 3.0})
        path = saver.save(sess, str(tmp_path / "model"))
    names = [v.name] + [g.name for g in grads] + [mapped.name]
    tf.reset_default_graph()
    restorer = tf.train.import_meta_graph(path + ".meta.json")
    graph = tf.get_default_graph()
    v2, g2, g3, m2 = (graph.get_tensor_by_name(n) for n in names)
    assert v2.op.type == "While"
    with tf.Session() as sess:
        restorer.restore(sess, path)
        after = sess.run([v2, [g2, g3], m2], {"x:0": 3.0})
    assert after[0] == before[0] == 7.0 and after[1] == before[1] == [4.0, 1.0]
    np.testing.assert_allclose(after[2], before[2])
    # gradients can still be taken through the imported loop
    (again,) = tf.gradients(v2, graph.get_tensor_by_name("x:0"))
    with tf.Session() as sess:
        restorer.restore(sess, path)
        assert sess.run(again, {"x:0": 3.0}) == 1.0
