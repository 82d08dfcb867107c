"""The runnable examples run to completion and print their results."""

import contextlib
import io
import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def quickstart_output():
    """What examples/quickstart.py prints (run once for the tests below)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    return buffer.getvalue()


def test_quickstart_runs(quickstart_output):
    out = quickstart_output
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


def test_quickstart_explains_each_number(quickstart_output):
    """Every result the demo prints is followed by a "-> ..." line saying
    what its numbers mean; the worst-labels table (a header and five rows) is
    the longest run of result lines."""
    lines = quickstart_output.rstrip("\n").splitlines()
    assert lines[-1].startswith("-> ")
    run = 0
    for line in lines:
        if line.startswith("-> "):
            assert run > 0, "an explanation with no result before it"
            run = 0
        else:
            run += 1
            assert run <= 6, f"results without an explanation up to {line!r}"
    # the label-smoothing section says why calibration moves as it does
    smoothing = next(line for line in lines if "without smoothing the model" in line)
    assert re.search(r"is (under|over)-confident", smoothing)
    assert "ECE" in smoothing


def test_quickstart_worst_labels_show_significant_digits(quickstart_output):
    """The worst label qualities are far below 0.0005: they are printed in
    scientific notation, never rounded to 0.0."""
    lines = quickstart_output.splitlines()
    header = next(i for i, line in enumerate(lines) if "label_quality" in line)
    column = lines[header].split().index("label_quality") + 1  # the index first
    qualities = [lines[header + k].split()[column] for k in range(1, 6)]
    for quality in qualities:
        assert re.fullmatch(r"\d\.\d\de[-+]\d+", quality), qualities
    assert all(float(quality) > 0 for quality in qualities)
    assert float(qualities[0]) < 0.0005


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
