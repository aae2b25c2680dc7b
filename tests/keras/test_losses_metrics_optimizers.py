"""graphflow.keras's losses, metrics, activations, regularizers, constraints and optimizers
against numbers tf-keras 2.21 computed on the same inputs (recorded below; tensorflow is not
needed to run these tests). Optimizers: 3 steps on f(w) = Σ a·(w - c)² with tf-keras's legacy
(OptimizerV2, Keras 2) optimizers."""

from __future__ import annotations

import numpy as np
import pytest

from graphflow.core.graph import Graph
from graphflow.keras import activations as A
from graphflow.keras import backend
from graphflow.keras import constraints as C
from graphflow.keras import losses as Ls
from graphflow.keras import metrics as M
from graphflow.keras import optimizers as O
from graphflow.keras import regularizers as R
from graphflow.ops.constant import constant as K
from graphflow.ops.reduce import reduce_sum
from graphflow.session import Session
from graphflow.testing.gradient_check import check_gradients
from graphflow.variables import Variable

# --- tf-keras 2.21's numbers (2026-12-02, from /work/tfvenv) -------------------------------------
OPTIMIZERS = {'adadelta': [[0.9985857605934143, -1.998585820198059, 2.9985857009887695],
              [0.997155487537384, -1.9971545934677124, 2.997154474258423],
              [0.9957157373428345, -1.9957125186920166, 2.9957122802734375]],
 'adagrad': [[0.9046537280082703, -1.90031099319458, 2.904653787612915],
             [0.843562662601471, -1.8335169553756714, 2.839338779449463],
             [0.7975196242332458, -1.7809221744537354, 2.78751277923584]],
 'adam': [[0.9000003337860107, -1.9000000953674316, 2.9000003337860107],
          [0.8011883497238159, -1.8004127740859985, 2.800413131713867],
          [0.7048720717430115, -1.7015866041183472, 2.701586961746216]],
 'adam_amsgrad': [[0.9000003337860107, -1.9000000953674316, 2.9000003337860107],
                  [0.8011883497238159, -1.8004127740859985, 2.800413131713867],
                  [0.7048720717430115, -1.7015866041183472, 2.701586961746216]],
 'adamax': [[0.9000000357627869, -1.899999976158142, 2.9000000953674316],
            [0.8104367852210999, -1.8051682710647583, 2.805168390274048],
            [0.7309098243713379, -1.7154994010925293, 2.7154996395111084]],
 'nadam': [[0.8943548202514648, -1.8943548202514648, 2.894354820251465],
           [0.8246709108352661, -1.819973349571228, 2.8199732303619385],
           [0.7647271156311035, -1.7527292966842651, 2.7527291774749756]],
 'rmsprop': [[0.9683772325515747, -1.9683772325515747, 2.9683773517608643],
             [0.9461584687232971, -1.945788025856018, 2.9457881450653076],
             [0.9279288649559021, -1.9270530939102173, 2.927053213119507]],
 'rmsprop_centered': [[0.9666666984558105, -1.9666666984558105, 2.9666666984558105],
                      [0.9420284032821655, -1.9415901899337769, 2.9415900707244873],
                      [0.9207945466041565, -1.9197005033493042, 2.9197003841400146]],
 'rmsprop_momentum': [[0.9683772325515747, -1.9683772325515747, 2.9683773517608643],
                      [0.9303470849990845, -1.9299767017364502, 2.92997670173645],
                      [0.8935414552688599, -1.8922466039657593, 2.8922464847564697]],
 'sgd': [[0.8999999761581421, -1.600000023841858, 2.9000000953674316],
         [0.8199999928474426, -1.3600000143051147, 2.81000018119812],
         [0.7559999823570251, -1.215999960899353, 2.7290000915527344]],
 'sgd_clipnorm': [[0.9764297604560852, -1.9057190418243408, 2.9764297008514404],
                  [0.9518160223960876, -1.8121349811553955, 2.951207160949707],
                  [0.9260236024856567, -1.7194117307662964, 2.9240567684173584]],
 'sgd_clipvalue': [[0.949999988079071, -1.9500000476837158, 2.950000047683716],
                   [0.8999999761581421, -1.9000000953674316, 2.9000000953674316],
                   [0.8499999642372131, -1.8500001430511475, 2.8500001430511475]],
 'sgd_decay': [[0.8999999761581421, -1.600000023841858, 2.9000000953674316],
               [0.8466666340827942, -1.440000057220459, 2.8400001525878906],
               [0.8119999766349792, -1.3519999980926514, 2.7980000972747803]],
 'sgd_momentum': [[0.8999999761581421, -1.600000023841858, 2.9000000953674316],
                  [0.7300000190734863, -1.0, 2.7200000286102295],
                  [0.531000018119812, -0.4599999785423279, 2.4860000610351562]],
 'sgd_nesterov': [[0.8100000023841858, -1.2400000095367432, 2.809999942779541],
                  [0.6111999750137329, -0.7336000204086304, 2.5750999450683594],
                  [0.44582399725914, -0.5667040348052979, 2.3273210525512695]]}

LOSSES = {'BCE_obj_weighted': 12.429248809814453,
 'CCE_obj_sum': 16.474769592285156,
 'bce': [0.052680205553770065, 8.26860523223877],
 'bce_logits': [0.2573374807834625, 0.7240769863128662],
 'bce_smooth': [0.9337887763977051, 7.459578514099121],
 'categorical_hinge': [3.5, 1.0],
 'cce': [0.3566749691963196, 16.11809539794922],
 'cce_logits': [2.7663679122924805, 0.6986863613128662],
 'cce_smooth': [0.46329742670059204, 15.09653091430664],
 'cosine_similarity': [-0.8473185300827026, -0.4281744062900543],
 'hinge_01': [0.0, 1.0],
 'hinge_pm': [0.0, 1.0],
 'huber': [0.25, 1.5416666269302368],
 'huber_delta': [0.2083333283662796, 0.875],
 'kld': [0.35667213797569275, 16.118091583251953],
 'log_cosh': [0.2246699184179306, 1.414337158203125],
 'mean_absolute_error': [0.6666666865348816, 2.0],
 'mean_absolute_percentage_error': [66.66667175292969, 166666800.0],
 'mean_squared_error': [0.5, 5.166666507720947],
 'mean_squared_logarithmic_error': [0.2315492480993271, 1.2389060258865356],
 'poisson': [3.3845274448394775, 1.8977155685424805],
 'scce': [0.3566748797893524, 0.3364723026752472],
 'scce_logits': [2.7663679122924805, 5.198686599731445],
 'squared_hinge_01': [0.0, 1.25]}

METRICS = {'binary_accuracy': [1.0, 0.0],
 'categorical_accuracy': [1.0, 0.0],
 'sparse_categorical_accuracy': [1.0, 0.0],
 'sparse_top1': [1.0, 0.0],
 'top2': [1.0, 0.0]}

ACTIVATIONS = {'elu_alpha': [-0.47510647773742676, -0.31606027483940125, -0.09063461422920227, 0.0,
               0.30000001192092896, 1.5, 4.0, 7.0],
 'hard_sigmoid': [0.0, 0.30000001192092896, 0.46000000834465027, 0.5, 0.5600000023841858,
                  0.800000011920929, 1.0, 1.0],
 'relu_all': [-0.3499999940395355, -0.15000000596046448, -0.07000000029802322,
              -0.05000000074505806, -0.019999999552965164, 1.5, 4.0, 5.0],
 'relu_alpha': [-0.30000001192092896, -0.10000000149011612, -0.020000001415610313, 0.0,
                0.30000001192092896, 1.5, 4.0, 7.0],
 'relu_max': [0.0, 0.0, 0.0, 0.0, 0.30000001192092896, 1.5, 4.0, 6.0],
 'relu_thr': [-0.0, -0.0, -0.0, 0.0, 0.0, 1.5, 4.0, 7.0],
 'selu': [-1.6705687046051025, -1.1113307476043701, -0.3186893165111542, 0.0, 0.3152103126049042,
          1.5760514736175537, 4.202804088592529, 7.354907035827637],
 'softplus': [0.04858735576272011, 0.3132616877555847, 0.5981388688087463, 0.6931471824645996,
              0.8543552160263062, 1.7014132738113403, 4.0181498527526855, 7.000911712646484],
 'softsign': [-0.75, -0.5, -0.1666666567325592, 0.0, 0.23076924681663513, 0.6000000238418579,
              0.800000011920929, 0.875]}

REGULARIZERS = {'l1': 0.06499999761581421, 'l1_l2': 0.3499999940395355, 'l2': 0.14249999821186066}

CONSTRAINTS = {'max_norm': [[0.9999998807907104, -1.1094003915786743],
              [0.4999999403953552, 1.6641006469726562]],
 'non_neg': [[1.0, -0.0], [0.5, 3.0]],
 'unit_norm': [[0.8944270610809326, -0.5547001957893372],
               [0.4472135305404663, 0.8320503234863281]]}

YT = np.array([[0., 1., 0.], [1., 0., 0.]], np.float32)
YP = np.array([[0.1, 0.7, 0.2], [0.0, 0.4, 1.0]], np.float32)  # 0 and 1 exercise the ε clip
YB = np.array([[1., 0.], [0., 1.]], np.float32)
PB = np.array([[0.9, 0.0], [1.0, 0.3]], np.float32)
REG_T = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], np.float32)
REG_P = np.array([[1.5, -1.0, 0.0], [0.5, 0.5, -4.0]], np.float32)
XS = np.array([-3.0, -1.0, -0.2, 0.0, 0.3, 1.5, 4.0, 7.0], np.float32)
WR = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)


def _run(table):
    with Graph().as_default():
        fetches = {k: fn() for k, fn in table.items()}
        return Session().run(fetches)


def _close(got, want, tol=2e-6):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


def _loss_table():
    pos_p, pos_t = np.abs(REG_P), np.abs(REG_T)
    t = {name: (lambda n=name: getattr(Ls, n)(K(REG_T), K(REG_P)))
         for name in ("mean_squared_error", "mean_absolute_error",
                      "mean_absolute_percentage_error", "huber", "log_cosh",
                      "cosine_similarity")}
    t.update({
        "mean_squared_logarithmic_error": lambda: Ls.msle(K(REG_T), K(pos_p)),
        "poisson": lambda: Ls.poisson(K(pos_t), K(pos_p)),
        "hinge_01": lambda: Ls.hinge(K(YB), K(REG_P[:, :2])),
        "hinge_pm": lambda: Ls.hinge(K(YB * 2 - 1), K(REG_P[:, :2])),
        "squared_hinge_01": lambda: Ls.squared_hinge(K(YB), K(REG_P[:, :2])),
        "categorical_hinge": lambda: Ls.categorical_hinge(K(YT), K(REG_P)),
        "kld": lambda: Ls.kld(K(YT), K(YP)),
        "cce": lambda: Ls.categorical_crossentropy(K(YT), K(YP)),
        "cce_smooth": lambda: Ls.categorical_crossentropy(K(YT), K(YP), label_smoothing=0.1),
        "cce_logits": lambda: Ls.categorical_crossentropy(K(YT), K(REG_P), from_logits=True),
        "scce": lambda: Ls.sparse_categorical_crossentropy(K(np.array([1, 2])), K(YP)),
        "scce_logits": lambda: Ls.sparse_categorical_crossentropy(
            K(np.array([[1], [2]])), K(REG_P), from_logits=True),
        "bce": lambda: Ls.binary_crossentropy(K(YB), K(PB)),
        "bce_logits": lambda: Ls.binary_crossentropy(K(YB), K(REG_P[:, :2]), from_logits=True),
        "bce_smooth": lambda: Ls.binary_crossentropy(K(YB), K(PB), label_smoothing=0.2),
        "BCE_obj_weighted": lambda: Ls.BinaryCrossentropy()(
            K(YB), K(PB), sample_weight=K(np.array([1.0, 3.0], np.float32))),
        "CCE_obj_sum": lambda: Ls.CategoricalCrossentropy(reduction="sum")(K(YT), K(YP)),
        "huber_delta": lambda: Ls.Huber(delta=0.5, reduction="none")(K(REG_T), K(REG_P)),
    })
    return t


def test_losses_match_tf_keras():
    got = _run(_loss_table())
    assert set(got) == set(LOSSES)
    for name, want in LOSSES.items():
        _close(got[name], want, tol=1e-5 if name != "mean_absolute_percentage_error" else 1e-5)


def test_crossentropy_reads_the_logits_of_a_softmax_or_sigmoid_output():
    """As Keras in graph mode: on a Softmax/Sigmoid output the loss uses the op's logits, so a
    saturated probability still gives the exact (large) loss instead of -log(ε)."""
    from graphflow.nn import softmax
    from graphflow.ops.elementwise import sigmoid

    logits = np.array([[40.0, 0.0, 0.0]], np.float32)
    got = _run({"cce": lambda: Ls.categorical_crossentropy(K([[0., 1., 0.]]), softmax(K(logits))),
                "bce": lambda: Ls.binary_crossentropy(K([[0.0]]), sigmoid(K([[40.0]])))})
    _close(got["cce"], [40.0], tol=1e-4)
    _close(got["bce"], [40.0], tol=1e-4)


def test_loss_get_and_objects():
    assert Ls.get("mse") is Ls.mean_squared_error
    fn = Ls.get(Ls.CategoricalCrossentropy(label_smoothing=0.1))
    assert fn.__name__ == "categorical_crossentropy"
    got = _run({"a": lambda: fn(K(YT), K(YP))})
    _close(got["a"], LOSSES["cce_smooth"])
    config = Ls.serialize(Ls.Huber(delta=0.5))
    assert config["class_name"] == "Huber" and config["config"]["delta"] == 0.5
    assert Ls.deserialize(config).get_config() == config["config"]
    with pytest.raises(ValueError, match="Unknown loss function: 'nope'"):
        Ls.get("nope")
    with pytest.raises(ValueError, match="Invalid reduction"):
        Ls.MeanSquaredError(reduction="mean")


def test_metrics_match_tf_keras():
    got = _run({
        "binary_accuracy": lambda: M.binary_accuracy(K(YB), K(PB)),
        "categorical_accuracy": lambda: M.categorical_accuracy(K(YT), K(YP)),
        "sparse_categorical_accuracy": lambda: M.sparse_categorical_accuracy(
            K(np.array([[1], [1]])), K(YP)),
        "top2": lambda: M.top_k_categorical_accuracy(K(YT), K(YP), k=2),
        "sparse_top1": lambda: M.sparse_top_k_categorical_accuracy(K(np.array([1, 1])), K(YP),
                                                                   k=1),
    })
    for name, want in METRICS.items():
        _close(got[name], want)
    assert M.get("mae") is Ls.mean_absolute_error
    with pytest.raises(ValueError, match="depends on the loss"):
        M.get("accuracy")


def test_activations_match_tf_keras():
    table = {
        "relu_alpha": lambda: A.relu(K(XS), alpha=0.1),
        "relu_max": lambda: A.relu(K(XS), max_value=6.0),
        "relu_thr": lambda: A.relu(K(XS), threshold=1.0),
        "relu_all": lambda: A.relu(K(XS), alpha=0.1, max_value=5.0, threshold=0.5),
        "elu_alpha": lambda: A.elu(K(XS), alpha=0.5),
        "hard_sigmoid": lambda: A.hard_sigmoid(K(XS)),
        "selu": lambda: A.selu(K(XS)),
        "softsign": lambda: A.softsign(K(XS)),
        "softplus": lambda: A.softplus(K(XS)),
    }
    got = _run(table)
    for name, want in ACTIVATIONS.items():
        _close(got[name], want)
    assert A.get("linear") is A.linear and A.get(None) is A.linear
    assert A.serialize(A.get("hard_sigmoid")) == "hard_sigmoid"
    with pytest.raises(ValueError, match="Unknown activation function: 'relux'"):
        A.get("relux")


def test_regularizers_and_constraints_match_tf_keras():
    got = _run({"l1": lambda: R.l1(0.01)(K(WR)), "l2": lambda: R.l2(0.01)(K(WR)),
                "l1_l2": lambda: R.l1_l2(0.01, 0.02)(K(WR)),
                "max_norm": lambda: C.max_norm(2.0)(K(WR)),
                "unit_norm": lambda: C.unit_norm()(K(WR)),
                "non_neg": lambda: C.non_neg()(K(WR))})
    for name, want in {**REGULARIZERS, **CONSTRAINTS}.items():
        _close(got[name], want)
    assert R.get({"class_name": "L2", "config": {"l2": 0.5}}).l2 == 0.5
    assert C.get("max_norm").max_value == 2


@pytest.mark.parametrize("fn", [
    lambda y: A.hard_sigmoid(y * 3.0),
    lambda y: A.relu(y, alpha=0.1, max_value=0.5, threshold=0.2),
    lambda y: A.elu(y, alpha=0.5),
    lambda y: Ls.binary_crossentropy(K(np.array([[1.0, 0.0, 1.0]])), y * 0.4 + 0.5),
    lambda y: Ls.categorical_crossentropy(K(np.array([[0.0, 1.0, 0.0]])), y * 0.4 + 0.5),
    lambda y: Ls.log_cosh(K(np.array([[0.1, 0.0, -0.3]])), y),
    lambda y: Ls.huber(K(np.array([[0.1, 0.0, -3.0]])), y),
    lambda y: Ls.sparse_categorical_crossentropy(K(np.array([2])), y * 0.4 + 0.5),
    lambda y: Ls.kld(K(np.array([[0.2, 0.5, 0.3]])), y * 0.4 + 0.5),
    lambda y: Ls.msle(K(np.array([[0.2, 1.5, 0.3]])), y + 1.0),
    lambda y: Ls.cosine_similarity(K(np.array([[0.2, -1.5, 0.3]])), y),
    lambda y: Ls.mape(K(np.array([[0.2, -1.5, 0.3]])), y),
])
def test_new_math_has_correct_gradients(fn):
    """float64 finite differences; points chosen away from the kinks and clip edges."""
    x = np.array([[0.37, -0.61, 0.83]])
    assert check_gradients(fn, [x]) < 1e-6


OPTIMIZER_CASES = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    "sgd_decay": ("SGD", {"lr": 0.1, "decay": 0.5}),
    "sgd_clipnorm": ("SGD", {"learning_rate": 0.1, "clipnorm": 1.0}),
    "sgd_clipvalue": ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_momentum": ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5}),
    "rmsprop_centered": ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    "adam": ("Adam", {"learning_rate": 0.1}),
    "adam_amsgrad": ("Adam", {"learning_rate": 0.1, "amsgrad": True}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "adamax": ("Adamax", {"learning_rate": 0.1}),
    "nadam": ("Nadam", {"learning_rate": 0.1}),
}


@pytest.mark.parametrize("case", sorted(OPTIMIZER_CASES))
def test_optimizer_three_steps_match_tf_keras(case):
    cls, kwargs = OPTIMIZER_CASES[case]
    a = np.array([1.0, 2.0, 0.5], np.float32)
    c = np.array([0.5, -1.0, 2.0], np.float32)
    with Graph().as_default():
        w = Variable(np.array([1.0, -2.0, 3.0], np.float32), name="w")
        opt = getattr(O, cls)(**kwargs)
        updates = opt.get_updates(reduce_sum(a * (w - c) * (w - c)), [w])
        sess = backend.get_session()
        got = []
        for _ in range(3):
            sess.run(updates)
            got.append(sess.run(w))
        assert sess.run(opt.iterations) == 3
    _close(got, OPTIMIZERS[case], tol=1e-6)


def test_optimizer_config_slots_and_learning_rate_variable():
    with Graph().as_default():
        w = Variable(np.ones(2, np.float32), name="w")
        opt = O.get("adam")
        assert opt.get_config() == {"name": "Adam", "learning_rate": 0.001, "beta_1": 0.9,
                                    "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False,
                                    "decay": 0.0}
        updates = opt.get_updates(reduce_sum(w * w), [w])
        assert [v.op.name for v in opt.weights] == ["Adam/iter", "Adam/w/m", "Adam/w/v"]
        backend.set_value(opt.lr, 0.5)
        backend.get_session().run(updates)
        assert opt.get_config()["learning_rate"] == 0.5
        assert len(opt.get_weights()) == 3
        rebuilt = O.deserialize(O.serialize(opt))
        assert isinstance(rebuilt, O.Adam) and rebuilt.get_config()["learning_rate"] == 0.5
    assert O.Nadam().get_config()["decay"] == 0.004
    assert O.Adagrad().get_config()["initial_accumulator_value"] == 0.1
    with pytest.raises(TypeError, match="unexpected keyword arguments: momentun"):
        O.SGD(momentun=0.9)
    with pytest.raises(ValueError, match="Unknown optimizer: 'adamw'"):
        O.get("adamw")


def test_optimizer_applies_constraints_and_names_variables_without_gradients():
    with Graph().as_default():
        w = Variable(np.array([3.0, -4.0], np.float32), name="w", constraint=C.non_neg())
        unused = Variable(np.zeros(1, np.float32), name="unused")
        updates = O.SGD(0.1).get_updates(reduce_sum(w), [w])
        backend.get_session().run(updates)
        _close(backend.get_value(w), [2.9, 0.0])
        with pytest.raises(ValueError, match="unused:0 has `None` for gradient"):
            O.SGD().get_updates(reduce_sum(w), [w, unused])


def test_user_loss_subclass_overrides_call():
    class Cubed(Ls.Loss):
        def call(self, y_true, y_pred):
            d = y_pred - y_true
            return reduce_sum(d * d * d, -1)

    loss = Cubed(name="cubed")
    assert Ls.get(loss).__name__ == "cubed"
    got = _run({"mean": lambda: loss(K(REG_T), K(REG_P)),
                "per_sample": lambda: Ls.get(loss)(K(REG_T), K(REG_P))})
    want = ((REG_P - REG_T) ** 3).sum(-1)
    _close(got["per_sample"], want, tol=1e-5)
    _close(got["mean"], want.mean(), tol=1e-5)
    with Graph().as_default(), pytest.raises(TypeError, match="override"):
        Ls.Loss().call(K(REG_T), K(REG_P))


def test_metric_objects_bind_arguments_and_names():
    top2 = M.TopKCategoricalAccuracy(k=2)
    assert top2.name == "top_k_categorical_accuracy" and M.get(top2) is top2
    got = _run({"top2": lambda: top2(K(YT), K(YP)),
                "bin": lambda: M.BinaryAccuracy(threshold=0.95)(K(YB), K(PB)),
                "acc": lambda: M.Accuracy()(K([[1.0], [2.0]]), K([[1.0], [3.0]]))})
    _close(got["top2"], METRICS["top2"])
    _close(got["bin"], [0.5, 0.0])
    _close(got["acc"], [[1.0], [0.0]])
    config = M.serialize(M.BinaryAccuracy(name="acc90", threshold=0.9))
    assert config == {"class_name": "BinaryAccuracy",
                      "config": {"name": "acc90", "threshold": 0.9}}
    assert M.deserialize(config).get_config() == config["config"]
    with pytest.raises(TypeError, match="unexpected keyword arguments: k"):
        M.BinaryAccuracy(k=3)
