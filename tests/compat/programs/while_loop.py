"""tf.while_loop: a counter summing 0..9, Fibonacci numbers, and a loop with a shape that grows."""

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

i = tf.constant(0)
total = tf.constant(0)
cond = lambda i, total: tf.less(i, 10)  # noqa: E731 - as tutorials write it
body = lambda i, total: (tf.add(i, 1), tf.add(total, i))  # noqa: E731
final_i, final_total = tf.while_loop(cond, body, [i, total])

n = tf.placeholder(tf.int32, [])


def fib_body(k, a, b):
    return k + 1, b, a + b


_, fib_n, _ = tf.while_loop(lambda k, a, b: k < n, fib_body,
                            [tf.constant(0), tf.constant(0), tf.constant(1)])

x = tf.Variable(2.0)
_, power = tf.while_loop(lambda k, p: k < 5, lambda k, p: (k + 1, p * x),
                         [tf.constant(0), tf.constant(1.0)])
dpower = tf.gradients(power, x)[0]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("counter and sum: ", sess.run([final_i, final_total]))
    print("fibonacci: ", [sess.run(fib_n, {n: k}) for k in range(12)])
    print("x**5 and its gradient: ", sess.run([power, dpower]))
