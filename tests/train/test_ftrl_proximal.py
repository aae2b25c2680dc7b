"""FTRL, proximal gradient descent, proximal Adagrad and Adagrad-DA follow TF1's update rules:
10 steps on a small quadratic give TF1's numbers (recorded from TF 1.x's tf.compat.v1.train in
graph mode), in float32 and float64, with TF1's slot variable names.

TF1's proximal optimizers do not cast their hyperparameters, so a float64 variable needs them as
float64 tensors there (TF1 raises a TypeError for Python floats); graphflow casts, and the
float64 numbers below were recorded with float64 tensors.
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names

W0, TARGET, SCALE = [0.5, -1.0, 2.0], [1.0, -2.0, 0.5], [1.0, 3.0, 0.5]

CONFIGS = {
    "ftrl": lambda gs: tf.train.FtrlOptimizer(0.5),
    "ftrl_l1l2": lambda gs: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.05,
                                                   l2_regularization_strength=0.1),
    "ftrl_power": lambda gs: tf.train.FtrlOptimizer(0.5, learning_rate_power=-0.7,
                                                    initial_accumulator_value=0.2,
                                                    l1_regularization_strength=0.01),
    "ftrl_shrink": lambda gs: tf.train.FtrlOptimizer(
        0.5, l1_regularization_strength=0.01, l2_regularization_strength=0.02,
        l2_shrinkage_regularization_strength=0.05),
    "ftrl_names": lambda gs: tf.train.FtrlOptimizer(0.5, accum_name="acc", linear_name="lin"),
    "pgd": lambda gs: tf.train.ProximalGradientDescentOptimizer(0.1),
    "pgd_l1l2": lambda gs: tf.train.ProximalGradientDescentOptimizer(
        0.1, l1_regularization_strength=0.3, l2_regularization_strength=0.2),
    "padagrad": lambda gs: tf.train.ProximalAdagradOptimizer(0.3),
    "padagrad_l1l2": lambda gs: tf.train.ProximalAdagradOptimizer(
        0.3, initial_accumulator_value=0.2, l1_regularization_strength=0.1,
        l2_regularization_strength=0.2),
    "adagrad_da": lambda gs: tf.train.AdagradDAOptimizer(0.5, gs),
    "adagrad_da_l1l2": lambda gs: tf.train.AdagradDAOptimizer(
        0.5, gs, initial_gradient_squared_accumulator_value=0.2,
        l1_regularization_strength=0.05, l2_regularization_strength=0.1),
}

EXPECTED = {  # name/dtype -> (w after steps 1, 5 and 10, variable names), from TF1
    "ftrl/float32": ([[0.655315936, -1.3924166, 0.762250006],
            [0.99802953, -1.9259392, 0.562498748],
            [0.999996781, -1.99420953, 0.510523975]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl/float64": ([[0.655315885451834, -1.392416674426655, 0.7622499724887252],
            [0.9980295238575353, -1.9259392435687621, 0.5624986985786473],
            [0.99999679059911, -1.9942095149163366, 0.5105239361095715]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_l1l2/float32": ([[0.524415731, -1.33971798, 0.65149343],
            [0.983409762, -1.90613079, 0.542576134],
            [0.999730945, -1.99100554, 0.508744299]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_l1l2/float64": ([[0.5244157331424592, -1.3397180339659194, 0.6514933751907557],
            [0.983409797624458, -1.9061308339907603, 0.5425761771718264],
            [0.9997309401736133, -1.9910056727457943, 0.5087442697188039]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_power/float32": ([[0.64503926, -1.2476604, 0.756813884],
            [0.998101234, -1.69535887, 0.563266635],
            [0.999997139, -1.88133788, 0.511127532]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_power/float64": ([[0.645039273295861, -1.2476604851715367, 0.7568138405052868],
            [0.9981012395949335, -1.6953589504422175, 0.5632666246056541],
            [0.9999971351603074, -1.881337715431066, 0.5111275453460528]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_shrink/float32": ([[0.584835589, -1.36513364, 0.618061244],
            [0.907100081, -1.86691725, 0.450730532],
            [0.909085393, -1.92990661, 0.420385987]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_shrink/float64": ([[0.584835579051189, -1.3651336042901763, 0.6180611194951796],
            [0.9071000627442802, -1.8669173227420575, 0.45073051964639993],
            [0.9090853740342714, -1.9299065738072487, 0.42038601251929036]],
           ["global_step", "w", "w/Ftrl", "w/Ftrl_1"]),
    "ftrl_names/float32": ([[0.655315936, -1.3924166, 0.762250006],
            [0.99802953, -1.9259392, 0.562498748],
            [0.999996781, -1.99420953, 0.510523975]],
           ["global_step", "w", "w/acc", "w/lin"]),
    "ftrl_names/float64": ([[0.655315885451834, -1.392416674426655, 0.7622499724887252],
            [0.9980295238575353, -1.9259392435687621, 0.5624986985786473],
            [0.99999679059911, -1.9942095149163366, 0.5105239361095715]],
           ["global_step", "w", "w/acc", "w/lin"]),
    "pgd/float32": ([[0.550000012, -1.29999995, 1.92499995],
            [0.704755008, -1.83192992, 1.66067135],
            [0.825660825, -1.97175241, 1.39810526]],
           ["global_step", "w"]),
    "pgd/float64": ([[0.55, -1.3, 1.925],
            [0.704755, -1.83193, 1.66067140625],
            [0.82566077995, -1.9717524751, 1.3981054088575684]],
           ["global_step", "w"]),
    "pgd_l1l2/float32": ([[0.509803891, -1.24509799, 1.85784316],
            [0.538764656, -1.66232359, 1.38030589],
            [0.559496999, -1.76314652, 0.946001112]],
           ["global_step", "w"]),
    "pgd_l1l2/float64": ([[0.5098039215686274, -1.2450980392156863, 1.857843137254902],
            [0.5387645845086276, -1.662323299056161, 1.380305701387998],
            [0.5594968528717367, -1.7631462429473468, 0.9460008625087919]],
           ["global_step", "w"]),
    "padagrad/float32": ([[0.753546238, -1.29834712, 1.72356725],
            [0.978961408, -1.74476421, 1.20370698],
            [0.998986959, -1.91803372, 0.898790181]],
           ["global_step", "w", "w/ProximalAdagrad"]),
    "padagrad/float64": ([[0.753546276418555, -1.298347094859308, 1.723567197424722],
            [0.9789614046062384, -1.7447641312136486, 1.2037070451094558],
            [0.9989869744358969, -1.9180337816165935, 0.8987902853103031]],
           ["global_step", "w", "w/ProximalAdagrad"]),
    "padagrad_l1l2/float32": ([[0.623149276, -1.26186895, 1.59816241],
            [0.733155549, -1.63428175, 0.844756484],
            [0.747744918, -1.77273238, 0.467486024]],
           ["global_step", "w", "w/ProximalAdagrad"]),
    "padagrad_l1l2/float64": ([[0.6231492728326485, -1.261868953489703, 1.598162244780942],
            [0.7331555891825875, -1.6342816316693152, 0.8447565884701376],
            [0.7477449611752344, -1.7727323074380854, 0.4674860615656225]],
           ["global_step", "w", "w/ProximalAdagrad"]),
    "adagrad_da/float32": ([[0.422577113, -0.497245163, -0.460721314],
            [0.940859377, -1.10323644, 0.224836066],
            [0.998578072, -1.51291633, 0.425730884]],
           ["global_step", "w", "w/AdagradDA", "w/AdagradDA_1"]),
    "adagrad_da/float64": ([[0.4225771273642583, -0.4972451580988469, -0.4607213376254634],
            [0.9408594385860038, -1.1032364525231508, 0.2248360478159832],
            [0.9985780452042877, -1.5129162851897235, 0.42573086129200033]],
           ["global_step", "w", "w/AdagradDA", "w/AdagradDA_1"]),
    "adagrad_da_l1l2/float32": ([[0.312144339, -0.478406817, -0.379110992],
            [0.737258077, -1.05587578, 0.0867407247],
            [0.826307952, -1.42688501, 0.247020856]],
           ["global_step", "w", "w/AdagradDA", "w/AdagradDA_1"]),
    "adagrad_da_l1l2/float64": ([[0.31214433096219146, -0.4784067963920401, -0.37911100052741087],
            [0.7372580718641416, -1.055875713240673, 0.08674072892382137],
            [0.826307908245548, -1.4268848868963981, 0.24702084613460493]],
           ["global_step", "w", "w/AdagradDA", "w/AdagradDA_1"]),
}

def train(name, dtype, executor="cpu", steps=10):
    w = tf.Variable(np.array(W0, dtype), name="w")
    gs = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(0.5 * np.array(SCALE, dtype) * tf.square(w - np.array(TARGET, dtype)))
    step = CONFIGS[name](gs).minimize(loss, global_step=gs)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        trajectory = []
        for _ in range(steps):
            sess.run(step)
            trajectory.append(sess.run(w))
        assert sess.run(gs) == steps
    names = sorted(v.op.name for v in tf.global_variables())
    return np.array(trajectory), names


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_ten_steps_match_tf1(key):
    name, dtype = key.split("/")
    trajectory, names = train(name, dtype)
    expected, expected_names = EXPECTED[key]
    assert trajectory.dtype == np.dtype(dtype)
    rtol = 2e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(trajectory[[0, 4, 9]], expected, rtol=rtol, atol=rtol)
    assert names == expected_names


@pytest.mark.parametrize("executor", executor_names(available_only=True))
@pytest.mark.parametrize("name", ["ftrl_shrink", "padagrad_l1l2", "adagrad_da_l1l2"])
def test_every_executor_agrees(executor, name):
    trajectory, _ = train(name, "float32", executor, steps=5)
    expected, _ = EXPECTED[f"{name}/float32"]
    np.testing.assert_allclose(trajectory[[0, 4]], expected[:2], rtol=2e-6, atol=2e-6)


def test_ftrl_slots_are_tf1s():
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.FtrlOptimizer(0.1, initial_accumulator_value=0.25)
    opt.minimize(tf.reduce_sum(w * w))
    assert opt.get_slot_names() == ["accum", "linear"]
    assert opt.get_slot(w, "accum").op.name == "w/Ftrl"
    assert opt.get_slot(w, "linear").op.name == "w/Ftrl_1"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "accum")), [0.25, 0.25])


@pytest.mark.parametrize("make, message", [
    (lambda: tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-1.0),
     "initial_accumulator_value -1.000000 needs to be positive or zero"),
    (lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5),
     "learning_rate_power 0.500000 needs to be negative or zero"),
    (lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-0.1),
     "l1_regularization_strength -0.100000 needs to be positive or zero"),
    (lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-0.1),
     "l2_shrinkage_regularization_strength -0.100000 needs to be positive or zero"),
    (lambda: tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0),
     "initial_accumulator_value must be positive: 0.0"),
    (lambda: tf.train.AdagradDAOptimizer(0.1, None,
                                         initial_gradient_squared_accumulator_value=0.0),
     "initial_gradient_squared_accumulator_value must be positive: 0.0"),
])
def test_bad_hyperparameters_are_tf1s_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_l1_makes_ftrl_weights_exactly_zero():
    w = tf.Variable([0.01, 3.0], name="w")
    step = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=1.0).minimize(
        tf.reduce_sum(tf.square(w - [0.01, 3.0])) + tf.reduce_sum(0.01 * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run(w)[0] == 0.0
