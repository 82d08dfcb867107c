"""The runnable examples run to completion and print their results."""

import re
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


def test_regression_example_finds_moved_targets(capsys, monkeypatch):
    """The regression example flags most of the moved targets it planted."""
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    runpy.run_path(
        str(EXAMPLES / "plot_regression_label_errors.py"), run_name="__main__"
    )
    out = capsys.readouterr().out
    found = re.search(r"corrupted \((\d+) of (\d+) moved", out)
    assert found, out
    assert int(found.group(1)) >= 0.6 * int(found.group(2))
    assert "filtered: test mean absolute error" in out
