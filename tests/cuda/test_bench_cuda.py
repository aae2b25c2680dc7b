"""`graphflow bench --executors cuda`: without a usable GPU the executor is skipped with
`available()`'s reason printed and the run still succeeds; with one, its rows are there."""

from graphflow.cli import main
from graphflow.executors import executor_status


def test_the_cli_prints_why_cuda_is_skipped_or_times_it(capsys):
    ok, why = executor_status()["cuda"]
    assert main(["bench", "W1", "--executors", "cuda", "--no-peers"]) == 0
    out = capsys.readouterr().out
    if ok:
        assert "graphflow/cuda" in out and "skipping" not in out
    else:
        assert f"graphflow bench: skipping executor 'cuda': {why}" in out
        assert why and "graphflow/cuda" not in out
    assert "W1 run" in out and "numpy" in out  # the baseline rows still come


def test_an_unknown_executor_is_skipped_naming_the_registered_ones(capsys):
    assert main(["bench", "W1", "--executors", "nosuch", "--no-peers"]) == 0
    out = capsys.readouterr().out
    assert "skipping executor 'nosuch': no executor named 'nosuch'" in out and "cuda" in out
