"""A saved graph to damage, and a check that importing a damaged copy of it is safe."""

import json
import os

import pytest

import graphflow as tf
from graphflow.errors import DataLossError, GraphflowError, InvalidArgumentError, NotFoundError
from graphflow.io.graph_json import graph_to_dict


def build_model():
    """A small CNN trained by gradient descent: conv, pool, reshape, dense, slicing, a loss."""
    x = tf.placeholder(tf.float32, [None, 6, 6, 1], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    h = tf.layers.conv2d(x, 2, 3, activation=tf.nn.relu, name="conv")
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    logits = tf.layers.dense(tf.reshape(h, [-1, 8]), 3, name="dense")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                         logits=logits))
    tf.identity(logits[:, 1:] * 2.0, name="y")
    tf.train.GradientDescentOptimizer(0.1).minimize(loss, name="train")


class SavedGraph:
    """`check_import(text)` writes `text` (bytes, str or a dict) as a graph file and imports it
    into a graph that already has a node; the only safe outcomes are a DataLossError or
    InvalidArgumentError naming the file with that graph unchanged, or a graph that holds the
    file's nodes and can be exported again."""

    def __init__(self, directory):
        self.directory = str(directory)
        graph = tf.Graph()
        with graph.as_default():
            build_model()
        self.data = graph_to_dict(graph)
        self.text = json.dumps(self.data, indent=1)
        self.outcomes: dict[str, int] = {}
        self._count = 0

    def fresh(self) -> dict:
        return json.loads(self.text)

    def check_import(self, content):
        if isinstance(content, dict):
            content = json.dumps(content)
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogatepass")
        self._count += 1
        path = os.path.join(self.directory, f"case{self._count}.meta.json")
        with open(path, "wb") as f:
            f.write(content)
        target = tf.Graph()
        with target.as_default():
            tf.constant(1.0, name="preexisting")
        try:
            tf.train.import_meta_graph(path, graph=target)
        except GraphflowError as err:
            self.outcomes[type(err).__name__] = self.outcomes.get(type(err).__name__, 0) + 1
            assert isinstance(err, (DataLossError, InvalidArgumentError)), err
            assert not isinstance(err, NotFoundError)
            assert path in str(err), f"the error does not name the file: {err}"
            assert [n.name for n in target.get_operations()] == ["preexisting"], \
                "a failed import changed the graph"
            assert target.get_all_collection_keys() == []
            return err
        finally:
            os.unlink(path)
        self.outcomes["imported"] = self.outcomes.get("imported", 0) + 1
        exported = graph_to_dict(target)
        assert exported["nodes"][0]["name"] == "preexisting"
        assert len(exported["nodes"]) == 1 + len(json.loads(content)["nodes"])
        return None


@pytest.fixture
def saved_graph(tmp_path, request):
    graph = SavedGraph(tmp_path)
    yield graph
    if os.environ.get("GRAPHFLOW_FUZZ_EXAMPLES"):  # scripts/fuzz.sh reports what happened
        print(f"\n{request.node.name}: {graph.outcomes}")
