"""The runnable examples run to completion and print their results."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_quickstart_runs(capsys):
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    for section in [
        "labels flipped",
        "prune_by_noise_rate: flagged",
        "predicted_neq_given: flagged",
        "label_quality",
        "label smoothing alpha=0.2",
        "crowd labels by DawidSkene",
        "with pseudo-labels",
        "tags: micro-F1",
        "duplicates:",
        "leak suspects among 64 pixels and one planted column: ['x64']",
        "label drift",
        "chosen by margin sampling",
    ]:
        assert section in out


@pytest.mark.parametrize(
    "script", sorted(EXAMPLES.glob("plot_*.py")), ids=lambda p: p.name
)
def test_plot_example_runs(script, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    runpy.run_path(str(script), run_name="__main__")
