"""Optimizer slot variables and their names, built inside a variable_scope, as checkpoints and
TensorBoard show them (Momentum, Adam)."""

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 2])
for name, optimizer in (("momentum", tf.train.MomentumOptimizer(0.1, 0.9)),
                        ("adam", tf.train.AdamOptimizer(0.01))):
    with tf.variable_scope(name):
        W = tf.get_variable("W", [2, 1], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - 1.0))
        train_op = optimizer.minimize(loss, var_list=[W])
    print(name + " slots: ", " ".join(optimizer.get_slot_names()))
    print(name + " slot variable: ", optimizer.get_slot(W, optimizer.get_slot_names()[0]).name)
print("variables: ", " ".join(sorted(v.name for v in tf.global_variables())))
