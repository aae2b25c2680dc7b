"""`ExponentialMovingAverage` (TF1's `tf.train.ExponentialMovingAverage`).

`apply(var_list)` makes one shadow variable per variable, named `<var>/<name>` and starting at
the variable's initial value, and returns the op that updates them all:

    shadow -= (1 - decay) * (shadow - var)

With `num_updates` the decay is min(decay, (1 + num_updates) / (10 + num_updates)), as in TF1.
"""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import minimum
from graphflow.ops.state import group
from graphflow.variables import Variable, global_variables, trainable_variables

MOVING_AVERAGE_VARIABLES = "moving_average_variables"


class ExponentialMovingAverage:
    """Shadow copies of variables that follow them with exponential decay.

    Each run of `apply`'s op sets shadow = decay * shadow + (1 - decay) * variable; the shadows
    start at the variables' initial values.

    Args:
        decay: The decay (close to 1, such as 0.999).
        num_updates: A step count; when given the decay is min(decay, (1 + n) / (10 + n)), so
            early averages move faster.
        zero_debias: Not supported (raises unless False).
        name: The shadows' name suffix and the ops' scope.

    Examples:
        >>> w = tf.Variable(0.0, name="w")
        >>> ema = tf.train.ExponentialMovingAverage(decay=0.5)
        >>> update = ema.apply([w])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     _ = sess.run(tf.assign(w, 10.0))
        ...     sess.run(update)
        ...     print(sess.run(ema.average(w)))
        5.0
    """

    def __init__(self, decay, num_updates=None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage"):
        if zero_debias:
            raise ValueError("ExponentialMovingAverage(zero_debias=True) is not supported by "
                             "graphflow; TF1 uses it only for non-variable tensors")
        self._decay, self._num_updates, self.name = decay, num_updates, name
        self._averages: dict = {}

    def _decay_tensor(self, dtype):
        decay = convert_to_tensor(self._decay, dtype=dtype, name="decay")
        if self._num_updates is None:
            return decay
        n = cast(convert_to_tensor(self._num_updates), dtype)
        return minimum(decay, (1.0 + n) / (10.0 + n))

    def apply(self, var_list=None):
        """Create the shadows (once per variable) and return the op that updates them.

        Args:
            var_list: The variables to average (default: the trainable variables).

        Returns:
            An Operation; run it after each training step.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> update = tf.train.ExponentialMovingAverage(0.9).apply([w])
            >>> print(update.type)
            NoOp
        """
        var_list = trainable_variables() if var_list is None else list(var_list)
        graph = get_default_graph()
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(f"ExponentialMovingAverage.apply takes Variables, got "
                                f"{var.describe() if hasattr(var, 'describe') else var!r}")
            if not var.dtype.is_floating:
                raise TypeError(f"ExponentialMovingAverage needs floating variables; "
                                f"{var.describe()} is {var.dtype.name}")
            if var not in self._averages:
                self._averages[var] = Variable(var.initialized_value(), trainable=False,
                                               name=self.average_name(var) + "/")
                graph.add_to_collection(MOVING_AVERAGE_VARIABLES, var)
        updates = []
        with graph.name_scope(self.name):
            for var in var_list:
                shadow = self._averages[var]
                decay = self._decay_tensor(var.dtype)
                updates.append(shadow.assign_sub((shadow - var) * (1.0 - decay)))
            return group(*updates, name="apply")

    def average(self, var):
        """The shadow variable of `var`, or None if `apply` has not seen it.

        Args:
            var: A variable.

        Returns:
            A Variable or None.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> ema = tf.train.ExponentialMovingAverage(0.9)
            >>> _ = ema.apply([w])
            >>> print(ema.average(w).name)
            w/ExponentialMovingAverage:0
        """
        return self._averages.get(var)

    def average_name(self, var) -> str:
        """The shadow's name for `var`: `<var's op name>/<this average's name>`.

        Args:
            var: A variable.

        Returns:
            The name, as checkpoints store the shadow.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> print(tf.train.ExponentialMovingAverage(0.9).average_name(w))
            w/ExponentialMovingAverage
        """
        return f"{var.op.name}/{self.name}"

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """{checkpoint name: variable} restoring each variable from its shadow's saved value.

        Pass it to `tf.train.Saver` to evaluate with the averaged weights; variables that are not
        averaged keep their own names.

        Args:
            moving_avg_variables: The averaged variables (default: the trainable ones and those
                in the moving-average collection).

        Returns:
            A dict for `Saver(var_list=...)`.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> ema = tf.train.ExponentialMovingAverage(0.9)
            >>> print({k: v.name for k, v in ema.variables_to_restore().items()})
            {'w/ExponentialMovingAverage': 'w:0'}
        """
        graph = get_default_graph()
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + [
                v for v in graph.get_collection(MOVING_AVERAGE_VARIABLES)
                if v not in trainable_variables()]
        name_map = {self.average_name(v): v for v in moving_avg_variables}
        for v in global_variables():
            if v not in moving_avg_variables and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
