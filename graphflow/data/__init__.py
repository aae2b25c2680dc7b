"""`tf.data`: input pipelines as in TF1: Datasets on the host, iterators as stateful ops.

```
ds = tf.data.Dataset.from_tensor_slices((x_ph, y_ph)).shuffle(1000, seed=1).batch(32)
it = tf.data.make_initializable_iterator(ds)
x, y = it.get_next()
sess.run(it.initializer, feed_dict={x_ph: X, y_ph: Y})
```
"""

from graphflow.compat.missing import module_getattr
from graphflow.data import experimental
from graphflow.data.dataset import (
    Dataset,
    TextLineDataset,
    TFRecordDataset,
    get_output_classes,
    get_output_shapes,
    get_output_types,
)
from graphflow.data.experimental import AUTOTUNE
from graphflow.data.iterator import Iterator, make_initializable_iterator, make_one_shot_iterator
from graphflow.data.structure import TensorSpec

__all__ = ["AUTOTUNE", "Dataset", "Iterator", "TFRecordDataset", "TensorSpec", "TextLineDataset",
           "experimental",
           "get_output_classes", "get_output_shapes", "get_output_types",
           "make_initializable_iterator", "make_one_shot_iterator"]

__getattr__ = module_getattr(__name__, "tf.data")  # a TF1 name graphflow lacks, or a typo
