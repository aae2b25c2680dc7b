"""The course's gradient check, with graphflow's gradients against central differences.

1-D: J = theta * x (x = 2, theta = 4). N-D: the course's 4-5-3-1 ReLU-ReLU-sigmoid network on
`np.random.seed(1)` data (X randn(4, 3), Y = [1, 1, 0], then W1, b1, W2, b2, W3, b3 drawn in that
order: 47 parameters), mean log loss. All parameters are one float64 vector theta, fed to the
graph, so `tf.gradients` gives dJ/dtheta and the same graph gives J(theta +- eps) for the
differences. diff = |g - g~| / (|g| + |g~|): the course passes at 1e-7 (1-D) and 2e-7 (N-D) with
eps = 1e-7, and prints 2.92e-10 and 1.19e-7.
"""

import numpy as np

import graphflow as tf

SHAPES = [("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)),
          ("b3", (1, 1))]


def difference(grad, approx) -> float:
    """The course's relative difference between two gradient vectors."""
    grad, approx = np.asarray(grad, np.float64), np.asarray(approx, np.float64)
    return float(np.linalg.norm(grad - approx)
                 / (np.linalg.norm(grad) + np.linalg.norm(approx)))


def central_differences(J, theta, epsilon: float):
    """(J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps) for every i."""
    theta = np.asarray(theta, np.float64)
    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus.flat[i] += epsilon
        minus.flat[i] -= epsilon
        approx.flat[i] = (J(plus) - J(minus)) / (2 * epsilon)
    return approx


def check(build, theta, epsilon: float = 1e-7):
    """Builds J(theta) with `build(theta_tensor)`; returns diff of tf.gradients vs differences."""
    tf.reset_default_graph()
    theta_t = tf.placeholder(tf.float64, [np.size(theta)], name="theta")
    J = build(theta_t)
    (grad,) = tf.gradients(J, [theta_t])
    with tf.Session() as session:
        cost = session.make_callable(J, [theta_t])
        g = session.run(grad, {theta_t: theta})
        approx = central_differences(lambda t: float(cost(t)), theta, epsilon)
    return difference(g, approx)


def one_dimensional(epsilon: float = 1e-7, x: float = 2.0, theta: float = 4.0) -> float:
    return check(lambda t: tf.reduce_sum(t * x), np.array([theta]), epsilon)


def course_network():
    """(X, Y, theta): the course's data and its 47 parameters flattened in W1, b1, ... order."""
    np.random.seed(1)
    X = np.random.randn(4, 3)
    Y = np.array([[1.0, 1.0, 0.0]])
    params = [np.random.randn(*shape) for _, shape in SHAPES]
    return X, Y, np.concatenate([p.ravel() for p in params])


def network_cost(theta, X, Y):
    """The course's forward pass and mean log loss, reading W1..b3 out of the vector theta."""
    params, offset = {}, 0
    for name, shape in SHAPES:
        size = int(np.prod(shape))
        params[name] = tf.reshape(theta[offset:offset + size], shape)
        offset += size
    a = tf.constant(X)
    for layer in (1, 2, 3):
        z = tf.matmul(params[f"W{layer}"], a) + params[f"b{layer}"]
        a = tf.nn.relu(z) if layer < 3 else tf.sigmoid(z)
    m = X.shape[1]
    log_probs = -Y * tf.log(a) - (1.0 - Y) * tf.log(1.0 - a)
    return tf.reduce_sum(log_probs) * (1.0 / m)


def n_dimensional(epsilon: float = 1e-7) -> float:
    X, Y, theta = course_network()
    return check(lambda t: network_cost(t, X, Y), theta, epsilon)


if __name__ == "__main__":
    print(f"1-D: difference = {one_dimensional():.3g}")
    for eps in (1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        diff = n_dimensional(eps)
        verdict = "correct" if diff < 2e-7 else "a mistake in backward propagation"
        print(f"N-D, epsilon {eps:g}: difference = {diff:.3g} ({verdict})")
