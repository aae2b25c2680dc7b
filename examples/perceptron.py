"""The course's perceptron trick, written with graphflow ops: step(xW + b), step(0) = 1.

`np.random.seed(42)`; W = rand(2, 1); b = rand(1)[0] + max(x1). 50 epochs at learning rate
0.05, one pass over the 100 points per epoch in their order: a point predicted 0 but labelled 1
adds lr * x to W and lr to b; one predicted 1 but labelled 0 subtracts them. Each update is one
`Session.run` of an assign_add by lr * (y - y_hat), which is exactly that rule. The course ends
at W = [-0.32839088, -0.54584639], b = 0.38199394 (the line x2 = -0.6016 x1 + 0.6998) with 91 of
100 points right.
"""

import numpy as np

import graphflow as tf

# (x1 x2) pairs, 50 labelled 1 then 50 labelled 0; the result depends on this order.
POINTS = {
    1: ".78051 -.063669|.28774 .29139|.40714 .17878|.2923 .4217|.50922 .35256|.27785 .10802|"
       ".27527 .33223|.43999 .31245|.33557 .42984|.23448 .24986|.0084492 .13658|.12419 .33595|"
       ".25644 .42624|.4591 .40426|.44547 .45117|.42218 .20118|.49563 .21445|.30848 .24306|"
       ".39707 .44438|.32945 .39217|.40739 .40271|.3106 .50702|.49638 .45384|.10073 .32053|"
       ".69907 .37307|.29767 .69648|.15099 .57341|.16427 .27759|.33259 .055964|.53741 .28637|"
       ".19503 .36879|.40278 .035148|.21296 .55169|.48447 .56991|.25476 .34596|.21726 .28641|"
       ".67078 .46538|.3815 .4622|.53838 .32774|.4849 .26071|.37095 .38809|.54527 .63911|"
       ".32149 .12007|.42216 .61666|.10194 .060408|.15254 .2168|.45558 .43769|.28488 .52142|"
       ".27633 .21264|.39748 .31902",
    0: ".5533 1|.44274 .59205|.85176 .6612|.60436 .86605|.68243 .48301|1 .76815|.72989 .8107|"
       ".67377 .77975|.78761 .58177|.71442 .7668|.49379 .54226|.78974 .74233|.67905 .60921|"
       ".6642 .72519|.79396 .56789|.70758 .76022|.59421 .61857|.49364 .56224|.77707 .35025|"
       ".79785 .76921|.70876 .96764|.69176 .60865|.66408 .92075|.65973 .66666|.64574 .56845|"
       ".89639 .7085|.85476 .63167|.62091 .80424|.79057 .56108|.58935 .71582|.56846 .7406|"
       ".65912 .71548|.70938 .74041|.59154 .62927|.45829 .4641|.79982 .74847|.60974 .54757|"
       ".68127 .86985|.76694 .64736|.69048 .83058|.68122 .96541|.73229 .64245|.76145 .60138|"
       ".58985 .86955|.73145 .74516|.77029 .7014|.73156 .71782|.44556 .57991|.85275 .85987|"
       ".51912 .62359",
}


def load():
    """X (100, 2) float64 and y (100,) float64, in the course's order."""
    rows = [(float(a), float(b), float(label))
            for label in (1, 0) for a, b in (p.split() for p in POINTS[label].split("|"))]
    data = np.array(rows)
    return data[:, :2], data[:, 2]


def train(epochs: int = 50, learning_rate: float = 0.05, verbose: bool = True):
    """Returns (W as a (2,) array, b, number of points classified right)."""
    X, y = load()
    np.random.seed(42)
    W0 = np.random.rand(2, 1)
    b0 = np.random.rand(1)[0] + X[:, 0].max()

    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [None, 2], name="x")
    label = tf.placeholder(tf.float64, [], name="label")
    W = tf.Variable(W0, name="W")
    b = tf.Variable(b0, name="b")
    score = tf.matmul(x, W) + b
    prediction = tf.cast(tf.greater_equal(score, 0.0), tf.float64)   # step(0) = 1
    error = label - prediction[0, 0]                                 # -1, 0 or 1
    update = tf.group(tf.assign_add(W, learning_rate * error * tf.transpose(x)),
                      tf.assign_add(b, learning_rate * error))

    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        step = session.make_callable(update, [x, label])
        for epoch in range(epochs):
            for i in range(len(y)):
                step(X[i:i + 1], y[i])
            if verbose and (epoch + 1) % 10 == 0:
                w, bias = session.run([W, b])
                print(f"epoch {epoch + 1}: x2 = {-w[0, 0] / w[1, 0]:.4f} x1 "
                      f"+ {-bias / w[1, 0]:.4f}")
        w, bias, predicted = session.run([W, b, prediction[:, 0]], {x: X})
    correct = int(np.sum(predicted == y))
    if verbose:
        print(f"W = {w.ravel()}, b = {bias:.8f}, {correct}/{len(y)} correct")
    return w.ravel(), float(bias), correct


if __name__ == "__main__":
    train()
