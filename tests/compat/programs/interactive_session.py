"""An InteractiveSession, as in a notebook: Tensor.eval() and Operation.run() need no session."""

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

sess = tf.InteractiveSession()
x = tf.Variable([1.0, 2.0])
a = tf.constant([3.0, 3.0])
x.initializer.run()
sub = tf.subtract(x, a)
print("sub: ", sub.eval())
counter = tf.Variable(0, name="counter")
increment = tf.assign_add(counter, 1)
tf.global_variables_initializer().run()
for _ in range(3):
    increment.op.run()
print("counter: ", counter.eval())
print("default session: ", tf.get_default_session() is sess)
p = tf.placeholder(tf.float32, [2])
print("fed: ", (p * 2).eval(feed_dict={p: [1.5, 2.5]}))
print("assigned: ", x.assign([5.0, 6.0]).eval())
sess.close()
print("after close: ", tf.get_default_session() is None)
