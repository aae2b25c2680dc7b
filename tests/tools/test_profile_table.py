"""The profile table keeps long op names apart: rows never read the same for different ops."""

from graphflow.profiling import OpTiming, RunMetadata, shorten


def metadata(names: list[str]) -> RunMetadata:
    md = RunMetadata()
    md.step_stats = [OpTiming(name, "MatMul", 0, 1000 * (i + 1), ((64, 10),), "x.py:1")
                     for i, name in enumerate(names)]
    return md


def name_column(table: str) -> list[str]:
    return [line.split("%", 1)[1].split()[0] for line in table.splitlines()[2:-1]]


def test_long_names_that_share_a_prefix_stay_distinct():
    names = ["train/gradients/dense_layer_two/MatMul_grad/MatMul",
             "train/gradients/dense_layer_two/MatMul_grad/MatMul_1"]
    shown = name_column(metadata(names).table())
    # 28 characters used to cut both to the same text; now the ends tell them apart.
    assert len(set(shown)) == 2
    assert shown[0].endswith("MatMul_grad/MatMul_1") and shown[1].endswith("MatMul_grad/MatMul")
    short = ["train/gradients/dense_2/MatMul_grad/MatMul", "train/gradients/dense_2/MatMul"]
    assert sorted(name_column(metadata(short).table())) == sorted(short)  # whole when they fit


def test_very_long_names_keep_their_start_and_end():
    names = [f"model/block_{i}/" + "very_long_scope_name/" * 4 + f"Conv2D_{i}" for i in range(3)]
    table = metadata(names).table()
    shown = name_column(table)
    assert len(set(shown)) == 3
    for full, cut in zip(sorted(names), sorted(shown)):
        assert len(cut) <= 48 and cut.startswith(full[:8]) and cut.endswith(full[-8:])
    assert len(table.splitlines()[1]) == len(table.splitlines()[0]) - len("output shapes") + 13


def test_names_print_whole_when_shortening_would_merge_rows():
    a = "x" * 30 + "/middle_one/" + "y" * 30
    b = "x" * 30 + "/middle_two/" + "y" * 30
    assert shorten(a, 48) == shorten(b, 48)
    assert sorted(name_column(metadata([a, b]).table())) == sorted([a, b])


def test_short_names_are_unchanged():
    assert shorten("dense/MatMul", 48) == "dense/MatMul"
    assert name_column(metadata(["a", "b"]).table()) == ["b", "a"]  # slowest first
