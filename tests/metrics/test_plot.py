"""Tests for sklabels.metrics.ReliabilityDiagramDisplay."""

import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklabels.metrics import (
    ReliabilityDiagramDisplay,
    calibration_bins,
    expected_calibration_error,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

PROBA4 = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
Y4 = [0, 1, 1, 1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def iris_model():
    X, y = load_iris(return_X_y=True)
    names = load_iris().target_names[y]  # string labels: classes_ matter
    return LogisticRegression(max_iter=1000).fit(X, names), X, names


def _legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_reliability_diagram_display_from_predictions():
    disp = ReliabilityDiagramDisplay.from_predictions(
        Y4, PROBA4, n_bins=4, name="model"
    )
    bins = calibration_bins(Y4, PROBA4, n_bins=4)
    assert disp.ax_ is not None and disp.figure_ is disp.ax_.figure
    assert disp.ece == bins.ece
    assert_allclose(disp.accuracy, bins.accuracy)
    assert_allclose(disp.confidence, bins.confidence)
    assert_allclose(disp.count, bins.count)
    # one bar per non-empty bin, spanning the bin, as high as its accuracy
    assert len(disp.bars_) == 2
    assert_allclose([bar.get_x() for bar in disp.bars_], [0.5, 0.75])
    assert_allclose([bar.get_width() for bar in disp.bars_], [0.25, 0.25])
    assert_allclose([bar.get_height() for bar in disp.bars_], bins.accuracy)
    # the gap spans accuracy and mean confidence
    gaps = disp.gap_bars_
    assert_allclose([bar.get_y() for bar in gaps], [0.65, 0.9])
    assert_allclose([bar.get_height() for bar in gaps], [2 / 3 - 0.65, 0.1])
    assert_allclose(disp.ref_line_.get_xydata(), [[0, 0], [1, 1]])
    assert disp.ax_.get_xlabel() == "Confidence"
    assert disp.ax_.get_ylabel() == "Accuracy"
    assert disp.ax_.get_xlim() == (0, 1) and disp.ax_.get_ylim() == (0, 1)
    assert f"model (ECE = {bins.ece:.3f})" in _legend_texts(disp.ax_)
    assert {"Gap", "Perfectly calibrated"} <= set(_legend_texts(disp.ax_))


def test_reliability_diagram_display_from_predictions_label_without_name():
    disp = ReliabilityDiagramDisplay.from_predictions(["a", "b"], [0.3, 0.8])
    ece = expected_calibration_error(["a", "b"], [0.3, 0.8])
    assert disp.bars_.get_label() == f"ECE = {ece:.3f}"


def test_reliability_diagram_display_from_predictions_passes_options():
    y = np.array(["no", "yes", "yes", "no", "yes"])
    p_yes = np.array([0.2, 0.9, 0.4, 0.3, 0.65])
    weight = np.array([1.0, 2.0, 1.0, 0.5, 1.0])
    disp = ReliabilityDiagramDisplay.from_predictions(
        y,
        np.column_stack([p_yes, 1 - p_yes]),
        n_bins=3,
        strategy="quantile",
        classes=["yes", "no"],
        sample_weight=weight,
        color="tab:green",
    )
    expected = calibration_bins(y, p_yes, 3, strategy="quantile", sample_weight=weight)
    assert disp.ece == pytest.approx(expected.ece)
    assert_allclose(disp.bin_edges, expected.bin_edges)
    assert_allclose(
        disp.bars_[0].get_facecolor(), matplotlib.colors.to_rgba("tab:green", 0.8)
    )


def test_reliability_diagram_display_from_estimator(iris_model):
    clf, X, y = iris_model
    disp = ReliabilityDiagramDisplay.from_estimator(clf, X, y, n_bins=5)
    ece = expected_calibration_error(y, clf.predict_proba(X), 5, classes=clf.classes_)
    assert disp.ece == pytest.approx(ece)
    assert disp.name == "LogisticRegression"
    assert disp.ax_ is not None and disp.figure_ is disp.ax_.figure
    label = f"LogisticRegression (ECE = {ece:.3f})"
    assert disp.bars_.get_label() == label
    assert label in _legend_texts(disp.ax_)


def test_reliability_diagram_display_from_estimator_name_and_options(iris_model):
    clf, X, y = iris_model
    disp = ReliabilityDiagramDisplay.from_estimator(
        clf, X, y, name="logreg", strategy="quantile", show_gap=False
    )
    assert disp.bars_.get_label().startswith("logreg (ECE = ")
    assert disp.gap_bars_ is None
    assert "Gap" not in _legend_texts(disp.ax_)


def test_reliability_diagram_display_from_estimator_needs_predict_proba():
    X, y = load_iris(return_X_y=True)
    svc = LinearSVC().fit(X[:, :2], y)
    with pytest.raises(TypeError, match="estimator must be a fitted classifier"):
        ReliabilityDiagramDisplay.from_estimator(svc, X[:, :2], y)


@pytest.mark.parametrize("source", ["predictions", "estimator"])
def test_reliability_diagram_display_draws_on_given_ax(source, iris_model):
    fig, (ax0, ax1) = plt.subplots(1, 2)
    if source == "predictions":
        disp = ReliabilityDiagramDisplay.from_predictions(Y4, PROBA4, ax=ax1)
    else:
        clf, X, y = iris_model
        disp = ReliabilityDiagramDisplay.from_estimator(clf, X, y, ax=ax1)
    assert disp.ax_ is ax1
    assert disp.figure_ is fig
    assert len(ax1.patches) > 0 and len(ax0.patches) == 0
    assert len(plt.get_fignums()) == 1


def test_reliability_diagram_display_two_models_share_axes():
    disp = ReliabilityDiagramDisplay.from_predictions(Y4, PROBA4, name="first")
    second = ReliabilityDiagramDisplay.from_predictions(
        [0, 1], [0.1, 0.8], name="second", ax=disp.ax_, alpha=0.4
    )
    assert second.ref_line_ is None  # the diagonal is drawn once per axes
    texts = _legend_texts(disp.ax_)
    assert texts.count("Perfectly calibrated") == 1
    assert texts.count("Gap") == 1
    assert sum(t.startswith(("first (ECE", "second (ECE")) for t in texts) == 2


def test_reliability_diagram_display_plot_from_constructor():
    disp = ReliabilityDiagramDisplay(
        np.array([0.4, 0.9]),
        np.array([0.55, 0.85]),
        np.array([[0.5, 0.6], [0.8, 0.9]]),
        ece=0.1,
    )
    assert disp.plot(name="mine", ref_line=False, gap_kwargs={"color": "k"}) is disp
    assert disp.ref_line_ is None
    assert disp.bars_.get_label() == "mine (ECE = 0.100)"
    assert_allclose([bar.get_width() for bar in disp.bars_], [0.1, 0.1])
    # plotting again on a new axes keeps the stored values
    first_ax = disp.ax_
    disp.plot()
    assert disp.ax_ is not first_ax
    assert disp.bars_.get_label() == "ECE = 0.100"


def test_reliability_diagram_display_validates_before_drawing():
    with pytest.raises(ValueError, match="proba rows must sum to 1"):
        ReliabilityDiagramDisplay.from_predictions([0, 1], [[0.5, 0.6], [0.5, 0.5]])
    assert plt.get_fignums() == []


@pytest.mark.parametrize("entry", ["plot", "from_predictions", "from_estimator"])
def test_reliability_diagram_display_without_matplotlib(entry, monkeypatch, iris_model):
    clf, X, y = iris_model
    disp = ReliabilityDiagramDisplay([1.0], [0.9], [[0.8, 1.0]])
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    calls = {
        "plot": lambda: disp.plot(),
        "from_predictions": lambda: ReliabilityDiagramDisplay.from_predictions(
            Y4, PROBA4
        ),
        "from_estimator": lambda: ReliabilityDiagramDisplay.from_estimator(clf, X, y),
    }
    with pytest.raises(
        ImportError,
        match=rf"ReliabilityDiagramDisplay\.{entry} requires matplotlib.*"
        r"`pip install sklabels\[plot\]`",
    ):
        calls[entry]()
