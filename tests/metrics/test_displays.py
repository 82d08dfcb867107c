"""Tests for the displays of label noise, annotators and labeling functions."""

import re
import sys

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from sklabels.aggregation import (
    DawidSkene,
    LFApplier,
    MajorityVote,
    labeling_function,
    lf_summary,
)
from sklabels.datasets import make_crowd_labels, make_noisy_labels, make_weak_labels
from sklabels.metrics import (
    AnnotatorConfusionDisplay,
    LabelIssuesDisplay,
    LFSummaryDisplay,
    NoiseMatrixDisplay,
)
from sklabels.noise import (
    ConfidentLearningClassifier,
    ConfidentLearningFilter,
    confident_joint,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def noisy_iris():
    """Labels (codes), out-of-sample-like probabilities, and a fitted filter."""
    X, y = load_iris(return_X_y=True)
    y_noisy, _ = make_noisy_labels(y, noise_rate=0.15, random_state=0)
    flt = ConfidentLearningFilter(random_state=0).fit(X, IRIS_NAMES[y_noisy])
    return X, y_noisy, flt


@pytest.fixture(scope="module")
def crowd():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, size=200)
    L = make_crowd_labels(y, n_sources=5, labels_per_item=3, random_state=0)
    return L, y


def _texts(labels):
    return [t.get_text() for t in labels]


def _empirical(L, y, K):
    """Each source's confusion counts, by explicit loops (the oracle)."""
    counts = np.zeros((L.shape[1], K, K), dtype=int)
    for i in range(L.shape[0]):
        for s in range(L.shape[1]):
            if y[i] >= 0 and L[i, s] >= 0:
                counts[s, y[i], L[i, s]] += 1
    return counts


# --------------------------------------------------------------------------
# NoiseMatrixDisplay
# --------------------------------------------------------------------------


def test_noise_matrix_display_from_predictions_confident_joint(noisy_iris):
    _, labels, flt = noisy_iris
    pred_probs = flt.pred_probs_
    disp = NoiseMatrixDisplay.from_predictions(labels, pred_probs, classes=IRIS_NAMES)
    expected = confident_joint(labels, pred_probs)
    assert_array_equal(disp.matrix, expected)
    assert_array_equal(disp.im_.get_array(), expected)
    assert_array_equal(
        [[t.get_text() for t in row] for row in disp.text_], expected.astype(str)
    )
    assert _texts(disp.ax_.get_xticklabels()) == IRIS_NAMES.tolist()
    assert _texts(disp.ax_.get_yticklabels()) == IRIS_NAMES.tolist()
    assert disp.ax_.get_ylabel() == "Given label"
    assert disp.ax_.get_xlabel() == "True label"
    assert disp.colorbar_ is not None
    assert disp.figure_ is disp.ax_.figure


@pytest.mark.parametrize("kind", ["noise_matrix", "inverse_noise_matrix"])
def test_noise_matrix_display_from_predictions_noise_matrices(kind, noisy_iris):
    _, labels, flt = noisy_iris
    disp = NoiseMatrixDisplay.from_predictions(labels, flt.pred_probs_, kind=kind)
    noise, inverse, _ = estimate_noise_matrices(labels, flt.pred_probs_)
    expected = noise if kind == "noise_matrix" else inverse
    assert_allclose(disp.matrix, expected)
    assert_allclose(disp.im_.get_array(), expected)
    assert disp.text_[0, 1].get_text() == f"{expected[0, 1]:.2f}"
    assert disp.im_.norm.vmin == 0 and disp.im_.norm.vmax == 1
    assert _texts(disp.ax_.get_xticklabels()) == ["0", "1", "2"]
    given_on_rows = kind == "noise_matrix"
    assert disp.ax_.get_ylabel() == ("Given label" if given_on_rows else "True label")


def test_noise_matrix_display_from_predictions_label_names(noisy_iris):
    _, labels, flt = noisy_iris
    by_code = NoiseMatrixDisplay.from_predictions(labels, flt.pred_probs_)
    by_name = NoiseMatrixDisplay.from_predictions(
        pd.Series(IRIS_NAMES[labels]), flt.pred_probs_, classes=list(IRIS_NAMES)
    )
    assert_array_equal(by_name.matrix, by_code.matrix)


@pytest.mark.parametrize(
    "kind", ["confident_joint", "noise_matrix", "inverse_noise_matrix"]
)
@pytest.mark.parametrize("wrap", [False, True])
def test_noise_matrix_display_from_estimator(kind, wrap, noisy_iris):
    X, labels, flt = noisy_iris
    estimator = flt
    if wrap:
        estimator = ConfidentLearningClassifier(
            LogisticRegression(max_iter=1000),
            filter=ConfidentLearningFilter(random_state=0),
        ).fit(X, IRIS_NAMES[labels])
    disp = NoiseMatrixDisplay.from_estimator(estimator, kind=kind)
    expected = {
        "confident_joint": flt.confident_joint_,
        "noise_matrix": flt.noise_matrix_,
        "inverse_noise_matrix": estimate_noise_matrices(labels, flt.pred_probs_)[1],
    }[kind]
    assert_allclose(disp.matrix, expected)
    assert _texts(disp.ax_.get_yticklabels()) == IRIS_NAMES.tolist()


def test_noise_matrix_display_options(noisy_iris):
    _, _, flt = noisy_iris
    disp = NoiseMatrixDisplay.from_estimator(
        flt,
        classes=["a", "b", "c"],
        include_values=False,
        colorbar=False,
        cmap="viridis",
    )
    assert disp.text_ is None and disp.colorbar_ is None
    assert disp.im_.get_cmap().name == "viridis"
    assert _texts(disp.ax_.get_xticklabels()) == ["a", "b", "c"]
    disp = NoiseMatrixDisplay.from_estimator(
        flt, kind="noise_matrix", values_format=".1%", text_kw={"fontsize": 5}
    )
    assert disp.text_[0, 0].get_text() == f"{flt.noise_matrix_[0, 0]:.1%}"
    assert disp.text_[0, 0].get_fontsize() == 5


def test_noise_matrix_display_draws_on_given_ax(noisy_iris):
    _, _, flt = noisy_iris
    fig, (ax0, ax1) = plt.subplots(1, 2)
    disp = NoiseMatrixDisplay.from_estimator(flt, ax=ax1)
    assert disp.ax_ is ax1 and disp.figure_ is fig
    assert len(ax1.images) == 1 and len(ax0.images) == 0
    assert len(plt.get_fignums()) == 1


def test_noise_matrix_display_plot_from_constructor():
    disp = NoiseMatrixDisplay(np.array([[0.9, 0.2], [0.1, 0.8]]), kind="noise_matrix")
    assert disp.plot() is disp
    assert disp.ax_.get_title() == "Noise matrix P(given | true)"
    assert disp.text_[1, 0].get_text() == "0.10"


def test_noise_matrix_display_errors(noisy_iris):
    _, labels, flt = noisy_iris
    with pytest.raises(NotFittedError):
        NoiseMatrixDisplay.from_estimator(ConfidentLearningFilter())
    with pytest.raises(TypeError, match="needs a fitted ConfidentLearningFilter"):
        NoiseMatrixDisplay.from_estimator(LogisticRegression())
    with pytest.raises(ValueError, match=r"kind must be one of .* got 'joint'"):
        NoiseMatrixDisplay.from_estimator(flt, kind="joint")
    with pytest.raises(ValueError, match=r"classes has 2 entries but there are 3"):
        NoiseMatrixDisplay.from_predictions(labels, flt.pred_probs_, classes=["a", "b"])
    with pytest.raises(TypeError, match="classes must be a list of names"):
        NoiseMatrixDisplay.from_estimator(flt, classes="abc")
    with pytest.raises(TypeError, match=r"labels holds names such as 'setosa'"):
        NoiseMatrixDisplay.from_predictions(IRIS_NAMES[labels], flt.pred_probs_)
    with pytest.raises(ValueError, match=r"labels holds \['virginica'\]"):
        NoiseMatrixDisplay.from_predictions(
            IRIS_NAMES[labels], flt.pred_probs_, classes=["setosa", "versicolor", "x"]
        )
    with pytest.raises(ValueError, match=r"must be a square .* got shape \(2, 3\)"):
        NoiseMatrixDisplay(np.ones((2, 3))).plot()
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        NoiseMatrixDisplay(np.eye(2)).plot(ax="left")
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------
# AnnotatorConfusionDisplay
# --------------------------------------------------------------------------


def test_annotator_confusion_display_from_predictions(crowd):
    L, y = crowd
    gold = y.copy()
    gold[::4] = -1  # unknown true labels are left out
    disp = AnnotatorConfusionDisplay.from_predictions(L, gold, classes=["a", "b", "c"])
    counts = _empirical(L, gold, 3)
    expected = counts / counts.sum(axis=2, keepdims=True)
    assert_allclose(disp.confusion_matrices, expected)
    assert len(disp.axes_) == 5 and len(disp.images_) == 5
    for s, (panel, im) in enumerate(zip(disp.axes_, disp.images_, strict=True)):
        assert panel.get_title() == str(s)
        assert_allclose(im.get_array(), expected[s])
        assert _texts(panel.get_xticklabels()) == ["a", "b", "c"]
        assert _texts(panel.get_yticklabels()) == ["a", "b", "c"]
    assert disp.texts_[2][1, 0].get_text() == f"{expected[2, 1, 0]:.2f}"
    assert disp.colorbar_ is not None
    assert not disp.ax_.axison and disp.figure_ is disp.ax_.figure


@pytest.mark.parametrize("normalize", [None, "pred", "all"])
def test_annotator_confusion_display_from_predictions_normalize(normalize, crowd):
    L, y = crowd
    disp = AnnotatorConfusionDisplay.from_predictions(L, y, normalize=normalize)
    counts = _empirical(L, y, 3)
    axis = {None: None, "pred": (1,), "all": (1, 2)}[normalize]
    expected = counts if axis is None else counts / counts.sum(axis, keepdims=True)
    assert_allclose(disp.confusion_matrices, expected)
    if normalize is None:
        assert disp.texts_[0][0, 0].get_text() == str(counts[0, 0, 0])


def test_annotator_confusion_display_from_predictions_empty_row_is_blank():
    L = np.array([[0, 1], [0, 0], [1, -1]])
    disp = AnnotatorConfusionDisplay.from_predictions(L, [0, 0, -1])
    # no labeled item of class 1: its row is unknown, not zero
    assert np.isnan(disp.confusion_matrices[:, 1]).all()
    assert_allclose(disp.confusion_matrices[1, 0], [0.5, 0.5])
    assert disp.texts_[0][1, 1].get_text() == "-"


def test_annotator_confusion_display_sources_and_names(crowd):
    L, y = crowd
    frame = pd.DataFrame(L, columns=[f"ann{s}" for s in range(5)])
    disp = AnnotatorConfusionDisplay.from_predictions(
        frame, y, sources=["ann3", "ann0"], n_cols=1
    )
    expected = _empirical(L, y, 3)
    expected = expected / expected.sum(axis=2, keepdims=True)
    assert [panel.get_title() for panel in disp.axes_] == ["ann3", "ann0"]
    assert_allclose(disp.images_[0].get_array(), expected[3])
    assert_allclose(disp.images_[1].get_array(), expected[0])
    assert disp.axes_[0].get_ylabel() == "True label"
    assert disp.axes_[1].get_xlabel() == "Label given"


def test_annotator_confusion_display_from_estimator(crowd):
    L, _ = crowd
    frame = pd.DataFrame(L, columns=list("vwxyz"))
    ds = DawidSkene().fit(frame)
    disp = AnnotatorConfusionDisplay.from_estimator(ds, classes=["a", "b", "c"])
    assert_allclose(disp.confusion_matrices, ds.confusion_matrices_)
    assert [panel.get_title() for panel in disp.axes_] == list("vwxyz")
    for panel, matrix in zip(disp.axes_, ds.confusion_matrices_, strict=True):
        assert_allclose(panel.images[0].get_array(), matrix)
    disp = AnnotatorConfusionDisplay.from_estimator(DawidSkene().fit(L), sources=["4"])
    assert [panel.get_title() for panel in disp.axes_] == ["4"]
    assert _texts(disp.axes_[0].get_xticklabels()) == ["0", "1", "2"]


def test_annotator_confusion_display_draws_on_given_ax(crowd):
    L, y = crowd
    fig, (ax0, ax1) = plt.subplots(1, 2)
    disp = AnnotatorConfusionDisplay.from_predictions(L, y, ax=ax1, colorbar=False)
    assert disp.ax_ is ax1 and disp.figure_ is fig
    assert all(panel.figure is fig for panel in disp.axes_)
    assert len(plt.get_fignums()) == 1 and ax0.axison and not ax1.axison
    # an Axes placed by hand is split too
    fig = plt.figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    disp = AnnotatorConfusionDisplay.from_predictions(L, y, ax=ax, sources=["0", "1"])
    assert disp.ax_ is ax and len(disp.axes_) == 2


def test_annotator_confusion_display_errors(crowd):
    L, y = crowd
    with pytest.raises(NotFittedError):
        AnnotatorConfusionDisplay.from_estimator(DawidSkene())
    with pytest.raises(TypeError, match="MajorityVote estimates no per-source"):
        AnnotatorConfusionDisplay.from_estimator(MajorityVote().fit(L))
    with pytest.raises(TypeError, match="needs a fitted aggregator"):
        AnnotatorConfusionDisplay.from_estimator(L)
    with pytest.raises(ValueError, match=r"names has 2 entries but there are 5"):
        AnnotatorConfusionDisplay.from_predictions(L, y, names=["a", "b"])
    with pytest.raises(ValueError, match=r"sources holds \['9'\], which are not"):
        AnnotatorConfusionDisplay.from_predictions(L, y, sources=["9"])
    with pytest.raises(TypeError, match="sources must be a list of source names"):
        AnnotatorConfusionDisplay.from_predictions(L, y, sources="0")
    with pytest.raises(ValueError, match=r"y_true has 3 entries but L has 200"):
        AnnotatorConfusionDisplay.from_predictions(L, [0, 1, 2])
    with pytest.raises(ValueError, match=r"normalize must be one of .* 'rows'"):
        AnnotatorConfusionDisplay.from_predictions(L, y, normalize="rows")
    with pytest.raises(ValueError, match="y_true holds 3 in row"):
        AnnotatorConfusionDisplay.from_predictions(L, y + 1, classes=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"sources must name at least one source"):
        AnnotatorConfusionDisplay.from_predictions(L, y, sources=[])
    with pytest.raises(TypeError, match="confusion_matrices must hold numbers"):
        AnnotatorConfusionDisplay(np.full((1, 2, 2), "a")).plot()
    with pytest.raises(ValueError, match=r"shape \(n_sources, n_classes, n_classes"):
        AnnotatorConfusionDisplay(np.ones((2, 3, 2))).plot()
    with pytest.raises(TypeError, match="n_cols must be an int"):
        AnnotatorConfusionDisplay(np.ones((2, 2, 2))).plot(n_cols=1.5)
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------
# LFSummaryDisplay
# --------------------------------------------------------------------------


def test_lf_summary_display_from_predictions():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, size=300)
    L = make_weak_labels(y, n_lfs=4, random_state=0)
    gold = np.where(np.arange(300) < 100, y, -1)
    names = ["kw_a", "kw_b", "re_c", "rule_d"]
    disp = LFSummaryDisplay.from_predictions(L, names=names, y=gold)
    summary = lf_summary(L, y=gold, names=names)
    assert list(disp.bars_) == [
        "coverage",
        "overlaps",
        "conflicts",
        "empirical_accuracy",
    ]
    for metric, bars in disp.bars_.items():
        assert_allclose([bar.get_width() for bar in bars], summary[metric])
        assert bars.get_label() == metric.replace("_", " ").capitalize()
    assert _texts(disp.ax_.get_yticklabels()) == names
    # one group per LF, first on top
    centers = [bar.get_y() + bar.get_height() / 2 for bar in disp.bars_["overlaps"]]
    assert centers == sorted(centers)
    assert disp.ax_.get_ylim()[0] > disp.ax_.get_ylim()[1]
    legend = _texts(disp.ax_.get_legend().get_texts())
    assert legend == ["Coverage", "Overlaps", "Conflicts", "Empirical accuracy"]


def test_lf_summary_display_without_gold_and_dataframe_names():
    L = pd.DataFrame({"a": [0, 1, -1, -1], "b": [0, 0, 1, -1]})
    disp = LFSummaryDisplay.from_predictions(L, color="k")
    assert list(disp.bars_) == ["coverage", "overlaps", "conflicts"]
    assert _texts(disp.ax_.get_yticklabels()) == ["a", "b"]
    assert_allclose([bar.get_width() for bar in disp.bars_["coverage"]], [0.5, 0.75])
    assert_allclose(disp.bars_["conflicts"][0].get_facecolor(), (0, 0, 0, 1))


def test_lf_summary_display_unknown_accuracy_is_said():
    disp = LFSummaryDisplay.from_predictions([[0, 1], [1, -1]], y=[-1, 1])
    widths = [bar.get_width() for bar in disp.bars_["empirical_accuracy"]]
    assert widths[0] == 1.0 and np.isnan(widths[1])
    assert _texts(disp.ax_.texts) == ["no vote on a gold item"]
    y = disp.ax_.texts[0].get_position()[1]
    bar = disp.bars_["empirical_accuracy"][1]
    assert y == pytest.approx(bar.get_y() + bar.get_height() / 2)


def test_lf_summary_display_from_estimator():
    @labeling_function()
    def short(x):
        return 1 if len(x) < 6 else -1

    @labeling_function()
    def has_a(x):
        return 0 if "a" in x else -1

    texts = ["hi", "banana", "cat", "dog", "alphabet"]
    applier = LFApplier([short, has_a]).fit(texts)
    disp = LFSummaryDisplay.from_estimator(applier, texts, y=[1, 0, 1, 1, 0])
    summary = lf_summary(applier.transform(texts), y=[1, 0, 1, 1, 0])
    assert _texts(disp.ax_.get_yticklabels()) == ["short", "has_a"]
    assert_allclose(
        [bar.get_width() for bar in disp.bars_["empirical_accuracy"]],
        summary["empirical_accuracy"],
    )


def test_lf_summary_display_draws_on_given_ax():
    fig, (ax0, ax1) = plt.subplots(1, 2)
    disp = LFSummaryDisplay.from_predictions([[0, 1], [1, 1]], ax=ax0)
    assert disp.ax_ is ax0 and disp.figure_ is fig
    assert len(ax0.patches) == 6 and len(ax1.patches) == 0


def test_lf_summary_display_errors():
    L = [[0, 1], [1, 1]]
    with pytest.raises(ValueError, match="names has 3 entries but L has 2 sources"):
        LFSummaryDisplay.from_predictions(L, names=["a", "b", "c"])
    with pytest.raises(TypeError, match="needs a fitted LFApplier"):
        LFSummaryDisplay.from_estimator(MajorityVote(), L)
    with pytest.raises(NotFittedError):
        LFSummaryDisplay.from_estimator(LFApplier([]), ["x"])
    with pytest.raises(TypeError, match="summary must be a pandas DataFrame"):
        LFSummaryDisplay(np.ones((2, 3))).plot()
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['conflicts'\]"):
        LFSummaryDisplay(pd.DataFrame({"coverage": [1.0], "overlaps": [0]})).plot()
    with pytest.raises(ValueError, match=r"height must be in \(0, 1\], got 2"):
        LFSummaryDisplay.from_predictions(L, height=2)
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------
# LabelIssuesDisplay
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def noisy_digits():
    X, y = load_digits(return_X_y=True)
    X, y = X[:400] / 16, y[:400]
    y_noisy, _ = make_noisy_labels(y, noise_rate=0.1, random_state=0)
    flt = ConfidentLearningFilter(random_state=0).fit(X, y_noisy)
    return X, y_noisy, flt


def _expected_top(labels, pred_probs, n, method="prune_by_noise_rate"):
    issues = find_label_issues(labels, pred_probs, method=method)
    quality = label_quality_scores(labels, pred_probs)
    flagged = np.flatnonzero(issues)
    return flagged[np.argsort(quality[flagged], kind="stable")][:n], quality


def test_label_issues_display_from_predictions_table(noisy_digits):
    _, labels, flt = noisy_digits
    probs = flt.pred_probs_
    disp = LabelIssuesDisplay.from_predictions(labels, probs, n=5)
    rows, quality = _expected_top(labels, probs, 5)
    others = np.where(np.eye(10, dtype=bool)[labels], -1.0, probs)
    assert_array_equal(disp.table.index, rows)
    assert_array_equal(disp.table["given_label"].to_numpy(int), labels[rows])
    assert_array_equal(
        disp.table["suggested_label"].to_numpy(int), others[rows].argmax(axis=1)
    )
    assert_allclose(disp.table["label_quality"], quality[rows])
    cells = disp.table_.get_celld()
    assert [cells[0, c].get_text().get_text() for c in range(4)] == [
        "row",
        "given",
        "suggested",
        "label quality",
    ]
    first = [cells[1, c].get_text().get_text() for c in range(4)]
    assert first == [
        str(rows[0]),
        str(labels[rows[0]]),
        str(others[rows[0]].argmax()),
        format(quality[rows[0]], ".3g"),
    ]
    assert len({r for r, _ in cells}) == 6  # header + 5 rows
    assert disp.images_ is None and disp.axes_ is None


def test_label_issues_display_from_predictions_images(noisy_digits):
    X, labels, flt = noisy_digits
    names = np.array([f"d{k}" for k in range(10)])
    series = pd.Series(names[labels], index=np.arange(400) + 1000)
    disp = LabelIssuesDisplay.from_predictions(
        series, flt.pred_probs_, X.reshape(-1, 8, 8), classes=names, n=8
    )
    rows, quality = _expected_top(labels, flt.pred_probs_, 8)
    assert_array_equal(disp.table.index, rows + 1000)
    assert len(disp.axes_) == 8 and disp.table_ is None
    for panel, image, row in zip(disp.axes_, disp.images_, rows, strict=True):
        assert_array_equal(image.get_array(), X[row].reshape(8, 8))
        given, suggested = panel.get_title().split(" (")[0].split(" -> ")
        assert given == names[labels[row]] and suggested != given
        assert panel.get_title().endswith(f"({quality[row]:.3g})")
    table = LabelIssuesDisplay.from_predictions(
        series, flt.pred_probs_, X.reshape(-1, 8, 8), classes=names, kind="table"
    )
    assert table.table_ is not None and table.images_ is None


def test_label_issues_display_from_estimator(noisy_digits):
    X, labels, flt = noisy_digits
    disp = LabelIssuesDisplay.from_estimator(flt, X, n=6, images_shape=(8, 8))
    report = flt.label_issues_report_
    flagged = report[report["is_label_issue"]].sort_values(
        "label_quality", kind="stable"
    )
    top = flagged.head(6)
    assert_array_equal(disp.table.index, top.index)
    assert_array_equal(disp.table["suggested_label"], top["runner_up_label"])
    titles = [
        f"{g} -> {s} ({q:.3g})"
        for g, s, q in zip(
            top["given_label"],
            top["runner_up_label"],
            top["label_quality"],
            strict=True,
        )
    ]
    assert [panel.get_title() for panel in disp.axes_] == titles
    for image, row in zip(disp.images_, top.index, strict=True):
        assert_array_equal(image.get_array(), X[row].reshape(8, 8))
    # the same rows through a ConfidentLearningClassifier, as a table
    clf = ConfidentLearningClassifier(
        LogisticRegression(max_iter=1000),
        filter=ConfidentLearningFilter(random_state=0),
    ).fit(X, labels)
    table = LabelIssuesDisplay.from_estimator(clf, n=6)
    assert_array_equal(table.table.index, top.index)
    assert table.table_ is not None


def test_label_issues_display_from_estimator_series_index(noisy_digits):
    X, labels, _ = noisy_digits
    index = np.arange(len(labels))[::-1] * 10  # labels, not positions
    flt = ConfidentLearningFilter(random_state=0).fit(X, pd.Series(labels, index))
    disp = LabelIssuesDisplay.from_estimator(flt, X, n=4, images_shape=(8, 8))
    positions = [int(np.flatnonzero(index == row)[0]) for row in disp.table.index]
    assert all(flt.label_issues_[positions])
    for image, position in zip(disp.images_, positions, strict=True):
        assert_array_equal(image.get_array(), X[position].reshape(8, 8))


def test_label_issues_display_draws_on_given_ax(noisy_digits):
    X, _, flt = noisy_digits
    fig, (ax0, ax1) = plt.subplots(1, 2)
    disp = LabelIssuesDisplay.from_estimator(flt, ax=ax0, n=3)
    assert disp.ax_ is ax0 and disp.figure_ is fig
    images = LabelIssuesDisplay.from_estimator(flt, X, ax=ax1, n=3, images_shape=(8, 8))
    assert images.ax_ is ax1 and all(p.figure is fig for p in images.axes_)
    assert len(plt.get_fignums()) == 1


def test_label_issues_display_no_issue():
    disp = LabelIssuesDisplay.from_predictions(
        [0, 0, 1, 1],
        [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.4, 0.6]],
        method="predicted_neq_given",
    )
    assert disp.table.empty and disp.table_ is None
    assert _texts(disp.ax_.texts) == ["No label issues found"]


def test_label_issues_display_errors(noisy_digits):
    X, labels, flt = noisy_digits
    probs = flt.pred_probs_
    with pytest.raises(NotFittedError):
        LabelIssuesDisplay.from_estimator(ConfidentLearningFilter())
    with pytest.raises(TypeError, match="needs a fitted ConfidentLearningFilter"):
        LabelIssuesDisplay.from_estimator(DawidSkene())
    with pytest.raises(ValueError, match=r"X has shape \(400, 64\): flattened rows"):
        LabelIssuesDisplay.from_estimator(flt, X)
    with pytest.raises(ValueError, match=r"images_shape=\(4, 4\) does not fit"):
        LabelIssuesDisplay.from_estimator(flt, X, images_shape=(4, 4))
    with pytest.raises(TypeError, match="images_shape must be a tuple of positive"):
        LabelIssuesDisplay.from_estimator(flt, X, images_shape="8x8")
    with pytest.raises(ValueError, match=r"one row per label \(400\), got shape"):
        LabelIssuesDisplay.from_predictions(labels, probs, X[:10].reshape(-1, 8, 8))
    with pytest.raises(ValueError, match=r"images_shape=\(8, 8\) was given without X"):
        LabelIssuesDisplay.from_predictions(labels, probs, images_shape=(8, 8))
    with pytest.raises(ValueError, match="kind='images' needs images"):
        LabelIssuesDisplay.from_predictions(labels, probs, kind="images")
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        LabelIssuesDisplay.from_predictions(labels, probs, n=0)
    with pytest.raises(ValueError, match=r"classes has 2 entries but there are 10"):
        LabelIssuesDisplay.from_predictions(labels, probs, classes=["a", "b"])
    with pytest.raises(ValueError, match="labels has 3 entries but pred_probs has"):
        LabelIssuesDisplay.from_predictions([0, 1, 2], probs)
    with pytest.raises(ValueError, match=r"kind must be one of .* got 'grid'"):
        LabelIssuesDisplay.from_predictions(labels, probs, kind="grid")
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        LabelIssuesDisplay(np.ones((2, 3))).plot()
    with pytest.raises(ValueError, match=r"images must hold one image per row"):
        table = pd.DataFrame(
            {"given_label": [0], "suggested_label": [1], "label_quality": [0.1]}
        )
        LabelIssuesDisplay(table, images=np.ones((2, 8, 8))).plot()
    with pytest.raises(ValueError, match=r"table lacks the column\(s\)"):
        LabelIssuesDisplay(pd.DataFrame({"given_label": [1]})).plot()
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------
# Without matplotlib
# --------------------------------------------------------------------------


def _entry_points(noisy_iris, crowd):
    _, labels, flt = noisy_iris
    L, y = crowd
    ds = DawidSkene().fit(L)
    applier = LFApplier([labeling_function()(lambda x: -1)]).fit(["a"])
    return {
        "NoiseMatrixDisplay.plot": lambda: NoiseMatrixDisplay(np.eye(2)).plot(),
        "NoiseMatrixDisplay.from_estimator": lambda: NoiseMatrixDisplay.from_estimator(
            flt
        ),
        "NoiseMatrixDisplay.from_predictions": lambda: (
            NoiseMatrixDisplay.from_predictions(labels, flt.pred_probs_)
        ),
        "AnnotatorConfusionDisplay.plot": lambda: AnnotatorConfusionDisplay(
            np.ones((1, 2, 2))
        ).plot(),
        "AnnotatorConfusionDisplay.from_estimator": lambda: (
            AnnotatorConfusionDisplay.from_estimator(ds)
        ),
        "AnnotatorConfusionDisplay.from_predictions": lambda: (
            AnnotatorConfusionDisplay.from_predictions(L, y)
        ),
        "LFSummaryDisplay.plot": lambda: LFSummaryDisplay(lf_summary(L)).plot(),
        "LFSummaryDisplay.from_estimator": lambda: LFSummaryDisplay.from_estimator(
            applier, ["a"]
        ),
        "LFSummaryDisplay.from_predictions": lambda: LFSummaryDisplay.from_predictions(
            L
        ),
        "LabelIssuesDisplay.plot": lambda: LabelIssuesDisplay(
            pd.DataFrame(
                {"given_label": [0], "suggested_label": [1], "label_quality": [0.1]}
            )
        ).plot(),
        "LabelIssuesDisplay.from_estimator": lambda: LabelIssuesDisplay.from_estimator(
            flt
        ),
        "LabelIssuesDisplay.from_predictions": lambda: (
            LabelIssuesDisplay.from_predictions(labels, flt.pred_probs_)
        ),
    }


ENTRIES = [
    f"{display}.{method}"
    for display in [
        "NoiseMatrixDisplay",
        "AnnotatorConfusionDisplay",
        "LFSummaryDisplay",
        "LabelIssuesDisplay",
    ]
    for method in ["plot", "from_estimator", "from_predictions"]
]


@pytest.mark.parametrize("entry", ENTRIES)
def test_displays_without_matplotlib(entry, monkeypatch, noisy_iris, crowd):
    call = _entry_points(noisy_iris, crowd)[entry]
    pattern = re.escape(entry) + r" requires matplotlib.*`pip install sklabels\[plot\]`"
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(
        ImportError,
        match=pattern,
    ):
        call()
