import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_digits, load_iris, load_wine
from sklearn.linear_model import LogisticRegression

from sklabels.report import LabelAudit, audit, available_checks
from sklabels.report._demo import make_demo

NAMES = np.array(["setosa", "versicolor", "virginica"], dtype=object)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    y = pd.Series(NAMES[y], name="species")
    return X, y


@pytest.fixture(scope="module")
def demo():
    data = make_demo()
    train = data["train"].set_index(data["id"])
    test = data["test"].set_index(data["id"])
    result = audit(
        train,
        data["target"],
        groups=data["groups"],
        X_test=test,
        annotations=data["annotations"],
    )
    return data, result


def test_audit_finds_every_planted_problem_of_the_demo(demo):
    data, result = demo
    planted, issues, summary = data["planted"], demo[1].issues_, result.summary_
    assert issues.loc[planted["flipped"], "label_issue"].all()
    assert issues.loc[planted["conflicting"], "duplicate"].all()
    assert (issues.loc[planted["conflicting"], "duplicate_score"] == 1.0).all()
    assert planted["leak_column"] in result.excluded_features_
    assert planted["id_column"] in result.excluded_features_
    assert planted["leak_column"] in summary.loc["leakage", "message"]
    assert planted["id_column"] in summary.loc["leakage", "message"]
    assert planted["spammer"] in summary.loc["annotator_quality", "message"]
    assert summary.loc["annotator_quality", "flagged"] == 1
    assert summary.loc["label_shift", "flagged"] > 0
    assert planted["shifted_class"] in summary.loc["label_shift", "message"]


def test_audit_issues_keep_the_pandas_index(iris):
    X, y = iris
    index = pd.Index([f"flower-{i}" for i in range(len(y))], name="flower")
    result = audit(X.set_axis(index), y.set_axis(index), checks=["duplicates"])
    pd.testing.assert_index_equal(result.issues_.index, index)


def test_audit_issues_take_the_index_of_y_for_an_array_X(iris):
    X, y = iris
    y = y.set_axis(np.arange(len(y)) * 10)
    result = audit(X.to_numpy(), y, checks=["class_imbalance"])
    pd.testing.assert_index_equal(result.issues_.index, y.index)


def test_audit_flags_planted_label_errors(iris):
    X, y = iris
    y = y.copy()
    y.iloc[[10, 30, 120]] = ["virginica", "versicolor", "setosa"]
    result = audit(X, y, checks=["label_issues"])
    assert result.issues_.loc[[10, 30, 120], "label_issue"].all()
    assert result.issues_.loc[10, "suggested_label"] == "setosa"
    score = result.issues_["label_issue_score"]
    assert score.between(0, 1).all()
    assert score.loc[[10, 30, 120]].min() > score.median()


def test_audit_message_names_the_labels(iris):
    X, y = iris
    y = y.copy()
    y.iloc[[110, 120, 130, 140]] = "versicolor"  # virginica labeled versicolor
    message = audit(X, y, checks="label_issues").summary_.loc["label_issues", "message"]
    assert "probably carry the wrong label" in message
    assert "'virginica' labeled 'versicolor'" in message


def test_audit_checks_selects_and_orders_from_the_registry(iris):
    X, y = iris
    result = audit(X, y, checks=["duplicates", "class_imbalance"])
    assert result.summary_.index.tolist() == ["class_imbalance", "duplicates"]
    assert "label_issue" not in result.issues_.columns


def test_audit_unknown_check_raises(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"unknown check\(s\) \['nope'\]"):
        audit(X, y, checks=["nope"])


def test_audit_check_without_its_input_raises(iris):
    X, y = iris
    with pytest.raises(ValueError, match="'annotator_quality', which needs annotat"):
        audit(X, y, checks=["annotator_quality"])


def test_audit_skips_checks_without_inputs(iris):
    X, y = iris
    result = audit(X, y, checks=None, cv=3)
    assert result.skipped_["annotator_quality"] == "needs annotations"
    assert result.skipped_["label_shift"] == "needs test"
    assert "regression" in result.skipped_["regression_residuals"]
    assert set(result.summary_.index) == {
        "class_imbalance",
        "leakage",
        "label_issues",
        "duplicates",
    }


def test_audit_is_deterministic_and_independent_of_n_jobs(iris):
    X, y = iris
    first = audit(X, y, cv=3)
    second = audit(X, y, cv=3, n_jobs=2)
    pd.testing.assert_frame_equal(first.issues_, second.issues_)
    pd.testing.assert_frame_equal(first.summary_, second.summary_)


def test_audit_single_class_raises(iris):
    X, _ = iris
    with pytest.raises(ValueError, match=r"y holds a single class \('a' on all 150"):
        audit(X, ["a"] * 150)


def test_audit_missing_target_column_names_the_columns(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"y='label' is not a column of X; its colu"):
        audit(X.assign(species=y), "label")


def test_audit_target_column_is_taken_out_of_the_features(iris):
    X, y = iris
    result = audit(X.assign(species=y), "species", checks=["leakage"])
    assert result.target_name_ == "species"
    assert result.n_features_ == 4


def test_audit_length_mismatch_raises(iris):
    X, y = iris
    with pytest.raises(ValueError, match="X has 150 rows and y has 149"):
        audit(X, y.iloc[:-1])


def test_audit_sparse_X_raises(iris):
    import scipy.sparse as sp

    X, y = iris
    with pytest.raises(TypeError, match="'X' parameter of audit must be an array"):
        audit(sp.csr_matrix(X.to_numpy()), y)


def test_audit_X_test_missing_column_raises(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"X_test lacks the column\(s\)"):
        audit(X, y, X_test=X.iloc[:, :2], checks=["test_overlap"])


def _annotations(y, items):
    rng = np.random.RandomState(0)
    names = np.unique(y.to_numpy())
    rows = []
    for i in items:
        for who in ("ann", "bob", "cid"):
            label = y.iloc[i] if rng.rand() < 0.9 else rng.choice(names)
            rows.append((i, who, label))
        rows.append((i, "spam", rng.choice(names)))
    return pd.DataFrame(rows, columns=["item", "annotator", "label"])


def test_audit_flags_a_spamming_annotator(iris):
    X, y = iris
    result = audit(X, y, annotations=_annotations(y, range(150)), cv=3)
    table = result.details_["annotator_quality"]["Annotators"].set_index("annotator")
    assert table["flagged"].to_dict() == {
        "ann": False,
        "bob": False,
        "cid": False,
        "spam": True,
    }
    assert "'spam'" in result.summary_.loc["annotator_quality", "message"]
    assert result.issues_["annotator_quality"].all()


def test_audit_annotations_as_label_matrix(iris):
    X, y = iris
    codes = np.searchsorted(NAMES, y.to_numpy())
    L = np.stack([codes, codes, np.random.RandomState(0).randint(0, 3, 150)], axis=1)
    result = audit(X, y, annotations=L, checks=["annotator_quality", "consensus"])
    assert result.summary_.loc["annotator_quality", "flagged"] == 1
    assert "'annotator 2'" in result.summary_.loc["annotator_quality", "message"]


def test_audit_annotation_ids_matching_no_row_raise(iris):
    X, y = iris
    ann = _annotations(y, range(10)).assign(item=lambda d: d["item"] + 1000)
    with pytest.raises(ValueError, match=r"none of the item ids .* matches a row"):
        audit(X, y, annotations=ann, checks=["consensus"])


def test_audit_annotation_ids_partly_unmatched_raise(iris):
    X, y = iris
    ann = _annotations(y, range(10))
    ann.loc[0, "item"] = 999
    with pytest.raises(ValueError, match=r"1 annotation\(s\) name items that match"):
        audit(X, y, annotations=ann, checks=["consensus"])


def test_audit_annotation_labels_unknown_raise(iris):
    X, y = iris
    ann = _annotations(y, range(10))
    ann.loc[0, "label"] = "tulip"
    with pytest.raises(ValueError, match=r"label\(s\) \['tulip'\] that are not"):
        audit(X, y, annotations=ann, checks=["consensus"])


def test_audit_annotation_columns_missing_raise(iris):
    X, y = iris
    ann = _annotations(y, range(10)).rename(columns={"annotator": "who"})
    with pytest.raises(ValueError, match=r"annotations lack the column\(s\)"):
        audit(X, y, annotations=ann, checks=["consensus"])


def _crowdlab_direct(X, y, annotations, **kwargs):
    """CROWDLAB called directly on the audit's label matrix and probabilities."""
    from sklabels.noise import multiannotator_label_quality
    from sklabels.report._context import AuditContext

    ctx = AuditContext(X, y, annotations=annotations, **kwargs)
    L, _ = ctx.label_matrix()
    voted = (L >= 0).any(axis=1)
    return voted, multiannotator_label_quality(
        L[voted], ctx.out_of_fold().pred_probs_[voted]
    )


def test_audit_annotator_quality_adds_crowdlab_annotator_quality(iris):
    X, y = iris
    ann = _annotations(y, range(150))
    result = audit(X, y, annotations=ann, cv=3)
    _, (_, annotators) = _crowdlab_direct(X, y, ann, cv=3)
    table = result.details_["annotator_quality"]["Annotators"]
    np.testing.assert_allclose(
        table["quality (CROWDLAB)"], annotators["annotator_quality"].round(3)
    )
    assert table.loc[table["quality (CROWDLAB)"].idxmin(), "annotator"] == "spam"
    message = result.summary_.loc["annotator_quality", "message"]
    assert "CROWDLAB, which weighs the annotators with the model, rates 'spam'" in (
        message
    )
    assert table["flagged"].sum() == 1  # the flag stays Dawid-Skene's


def test_audit_consensus_adds_crowdlab_consensus_quality(iris):
    X, y = iris
    ann = _annotations(y, range(0, 150, 2))  # half of the rows annotated
    result = audit(X, y, annotations=ann, checks=["consensus"], cv=3)
    voted, (items, _) = _crowdlab_direct(X, y, ann, cv=3)
    issues = result.issues_
    quality = issues["crowdlab_consensus_quality"].to_numpy()
    np.testing.assert_allclose(quality[voted], items["consensus_quality_score"])
    assert np.isnan(quality[~voted]).all()
    consensus = issues["crowdlab_consensus"].to_numpy()
    assert pd.isna(consensus[~voted]).all()
    np.testing.assert_array_equal(
        consensus[voted], NAMES[items["consensus_label"].to_numpy()]
    )
    assert (
        "CROWDLAB (annotators and model together) gives"
        in (result.summary_.loc["consensus", "message"])
    )


def test_audit_crowdlab_needs_rows_with_two_annotations(iris):
    X, y = iris
    ann = _annotations(y, range(150)).groupby("item").head(1)  # one label per row
    result = audit(X, y, annotations=ann, checks=["annotator_quality", "consensus"])
    assert "no row has two annotations" in (result.summary_.loc["consensus", "message"])
    assert "crowdlab_consensus_quality" not in result.issues_.columns
    table = result.details_["annotator_quality"]["Annotators"]
    assert "quality (CROWDLAB)" not in table.columns


def test_audit_finds_test_rows_repeated_from_training(iris):
    X, y = iris
    X_test = pd.concat([X.iloc[[3, 70]], X.iloc[[5]] + 100.0], ignore_index=True)
    result = audit(X, y, X_test=X_test, y_test=["setosa", "setosa", "setosa"], cv=3)
    summary = result.summary_
    assert summary.loc["test_overlap", "flagged"] == 2
    assert "1 of them with another label" in summary.loc["test_overlap", "message"]
    assert result.issues_.loc[[3, 70], "test_overlap"].all()
    assert summary.loc["label_shift", "flagged"] > 0


def test_audit_flags_label_bias_across_groups(iris):
    X, y = iris
    groups = np.where(y.to_numpy() == "setosa", "north", "south")
    groups[::10] = "south"
    result = audit(X, y, groups=groups, checks=["label_bias"])
    assert result.summary_.loc["label_bias", "flagged"] == 2
    assert result.issues_["label_bias"].all()


@pytest.fixture(scope="module")
def diabetes_audit():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    y = y.rename("progression").copy()
    planted = [5, 50, 150, 250, 350]
    y.iloc[planted] += [400.0, -400.0, 450.0, 400.0, -450.0]
    return planted, y, audit(X, y)


def test_audit_regression_target_gets_the_residual_check(diabetes_audit):
    planted, _, result = diabetes_audit
    assert "regression_residuals" in result.summary_.index
    assert "label_issues" in result.skipped_
    assert result.issues_.loc[planted, "regression_residual"].all()
    assert result.issues_["regression_residual"].sum() <= len(planted) + 3
    assert result.issues_.columns.tolist() == [
        "given_label",
        "regression_residual",
        "regression_residual_score",
        "predicted_value",
        "duplicate",
        "duplicate_score",
        "duplicate_group",
    ]
    score = result.issues_["regression_residual_score"]
    assert score.between(0, 1).all()
    assert score.loc[planted].min() > score.drop(planted).median()


def test_audit_regression_uses_the_regression_label_filter(diabetes_audit):
    from sklabels.noise import RegressionLabelFilter

    _, y, result = diabetes_audit
    X, _ = load_diabetes(return_X_y=True, as_frame=True)
    from sklabels.report._context import default_model, model_frame

    flt = RegressionLabelFilter(
        default_model(model_frame(X), "regression", 0), threshold=3.5
    ).fit(model_frame(X), y)
    np.testing.assert_allclose(result.issues_["predicted_value"], flt.predictions_)
    np.testing.assert_array_equal(
        result.issues_["regression_residual"], flt.label_issues_
    )


def test_audit_regression_message_speaks_in_the_target_units(diabetes_audit):
    result = diabetes_audit[2]
    message = result.summary_.loc["regression_residuals", "message"]
    issues = result.issues_
    gap = (issues["given_label"] - issues["predicted_value"]).abs()
    worst = gap[issues["regression_residual"]].idxmax()
    assert message.startswith("5 rows (1.1 %) have a target far from what the")
    assert f"the largest gap is {gap[worst]:.3g} (progression): row {worst} " in (
        message
    )


def test_audit_regression_estimator_must_be_a_regressor():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    with pytest.raises(ValueError, match=r"estimator=LogisticRegression\(\) is not"):
        audit(X, y, estimator=LogisticRegression(), checks="regression_residuals")


def test_audit_regression_to_html_escapes_the_target_name():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    X = X.iloc[:120]
    y = y.iloc[:120].rename("<script>alert(1)</script>")
    page = audit(X, y, cv=3, checks="regression_residuals").to_html()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_audit_excludes_leaks_and_identifiers_from_the_model():
    X, y = load_wine(return_X_y=True, as_frame=True)
    X = X.assign(
        leak=y * 3.0 + np.random.RandomState(0).rand(len(y)),
        serial=np.random.RandomState(1).permutation(len(y)),
    )
    result = audit(X, y, checks=["leakage", "label_issues"])
    assert set(result.excluded_features_) == {"leak", "serial"}


def test_audit_custom_estimator_is_cloned(iris):
    X, y = iris
    est = LogisticRegression(max_iter=500)
    result = audit(X, y, estimator=est, checks="label_issues")
    assert not hasattr(est, "coef_")
    assert "LogisticRegression" in result.model_


def test_audit_handles_string_and_categorical_columns(iris):
    X, y = iris
    X = X.assign(
        colour=np.where(X["petal length (cm)"] > 3, "blue", None),
        shade=pd.Categorical(np.where(X["sepal width (cm)"] > 3, "dark", "light")),
    )
    result = audit(X, y, checks=["label_issues", "duplicates"], cv=3)
    assert result.issues_.shape[0] == 150


def test_audit_verbose_reports_progress_on_stderr(iris, capsys):
    X, y = iris
    audit(X, y, checks="label_issues", verbose=1)
    captured = capsys.readouterr()
    assert "out-of-fold probabilities" in captured.err
    assert captured.out == ""


INJECTED = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"quoted" & <b>bold</b>',
]


def test_audit_to_html_escapes_every_string_from_the_data(iris):
    X, y = iris
    labels = np.array([INJECTED[0], "plain", INJECTED[2]], dtype=object)
    y = pd.Series(labels[np.searchsorted(NAMES, y)], name="<i>target</i>")
    X = X.rename(columns={"sepal length (cm)": "<u>column</u>"})
    X = X.set_axis([f"<em>row {i}</em>" for i in range(150)])
    y.index = X.index
    y.iloc[[0, 1]] = "plain"
    ann = _annotations(y.reset_index(drop=True), range(150))
    ann["item"] = X.index[ann["item"]]
    ann["annotator"] = ann["annotator"].replace({"spam": INJECTED[1]})
    groups = np.where(np.arange(150) % 2, "<s>g1</s>", "g2")
    page = audit(X, y, annotations=ann, groups=groups, X_test=X.iloc[:5]).to_html()
    for raw in [*INJECTED, "<i>target</i>", "<u>column</u>", "<em>row 0</em>", "<s>g1"]:
        assert raw not in page
    import html

    for raw in [*INJECTED, "<u>column</u>", "<em>row 0</em>", "<i>target</i>"]:
        assert html.escape(raw) in page
    assert "<script" not in page
    assert "onerror=" not in page.replace(html.escape(INJECTED[1]), "")


def test_audit_json_round_trip(iris, tmp_path):
    X, y = iris
    X = X.set_axis([f"r{i}" for i in range(150)])
    y = y.set_axis(X.index)
    result = audit(X, y, cv=3)
    path = tmp_path / "audit.json"
    text = result.to_json(path)
    assert path.read_text(encoding="utf-8") == text
    data = json.loads(text)
    issues = pd.DataFrame(data["issues"]["columns"], index=data["issues"]["index"])
    expected = result.issues_.copy()
    expected.index = expected.index.astype(object)
    pd.testing.assert_frame_equal(
        issues, expected, check_dtype=False, check_index_type=False
    )
    summary = pd.DataFrame(data["summary"]["columns"], index=data["summary"]["index"])
    pd.testing.assert_frame_equal(
        summary,
        result.summary_.rename_axis(None),
        check_dtype=False,
    )
    assert data["task"] == "classification"
    assert data["classes"] == NAMES.tolist()


def test_audit_to_html_writes_a_self_contained_page(iris, tmp_path):
    X, y = iris
    result = audit(X, y, cv=3)
    path = tmp_path / "audit.html"
    page = result.to_html(path)
    assert path.read_text(encoding="utf-8") == page
    assert 'id="summary"' in page
    assert "http://" not in page and "https://" not in page
    assert "data:image/png;base64," in page  # matplotlib is a dev dependency


def test_audit_repr_html_is_a_fragment(iris):
    X, y = iris
    fragment = audit(X, y, checks="class_imbalance")._repr_html_()
    assert fragment.startswith('<div class="sklabels-audit">')
    assert 'id="summary"' in fragment
    assert "<html" not in fragment and "body{" not in fragment


def test_audit_returns_a_label_audit_with_repr(iris):
    X, y = iris
    result = audit(X, y, checks="class_imbalance")
    assert isinstance(result, LabelAudit)
    assert "class_imbalance [" in repr(result)


def test_available_checks_lists_the_registry():
    table = available_checks()
    assert table.loc["consensus", "requires"] == "annotations"
    assert "regression" in table.loc["regression_residuals", "targets"]
    assert table["description"].str.len().min() > 40


def test_audit_label_shift_reports_test_labels_unseen_in_training(iris):
    X, y = iris
    y_test = ["setosa", "tulip", "tulip", "virginica"]
    result = audit(X, y, X_test=X.iloc[:4] + 0.01, y_test=y_test, checks="label_shift")
    message = result.summary_.loc["label_shift", "message"]
    assert "50.0 % of the test rows carry labels never seen in training: 'tulip'" in (
        message
    )


def test_audit_to_html_without_matplotlib_is_text_only(iris, monkeypatch):
    import sys

    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    X, y = iris
    page = audit(X, y, checks="class_imbalance").to_html()
    assert "data:image/png" not in page
    assert "Rows per class" in page


@pytest.mark.parametrize(
    "L, match",
    [
        (np.zeros((150, 0), dtype=int), r"must have shape \(n_samples, n_annotators"),
        (np.zeros((10, 2), dtype=int), r"got shape \(10, 2\)"),
        (np.full((150, 2), 3), r"class codes 0\.\.2 .* from 3 to 3"),
    ],
)
def test_audit_bad_label_matrix_raises(iris, L, match):
    X, y = iris
    with pytest.raises(ValueError, match=match):
        audit(X, y, annotations=L, checks=["consensus"])


# ----------------------------------------------------------------------------
# Multi-label targets
# ----------------------------------------------------------------------------

TAGS = ["even", "prime", "loop", "big"]


def _digit_tags(n=600):
    X, d = load_digits(return_X_y=True, as_frame=True)
    X, d = X.iloc[:n], d.iloc[:n].to_numpy()
    Y = pd.DataFrame(
        {
            "even": d % 2 == 0,
            "prime": np.isin(d, [2, 3, 5, 7]),
            "loop": np.isin(d, [0, 6, 8, 9]),
            "big": d >= 5,
        }
    ).astype(int)
    return X, Y


def _flip(Y, rows, cols):
    values = Y.to_numpy().copy()
    values[rows, cols] = 1 - values[rows, cols]
    return pd.DataFrame(values, columns=Y.columns, index=Y.index)


@pytest.fixture(scope="module")
def tagged():
    X, Y = _digit_tags()
    rng = np.random.RandomState(0)
    rows = rng.choice(len(Y), 20, replace=False)
    Y = _flip(Y, rows, rng.randint(0, 4, 20))
    return X, Y, rows, audit(X, Y, cv=3)


def test_audit_multilabel_finds_planted_tag_errors(tagged):
    _, _, rows, result = tagged
    assert result.task_ == "multilabel"
    assert result.classes_.tolist() == TAGS
    assert result.summary_.index.tolist() == [
        "tag_imbalance",
        "leakage",
        "multilabel_issues",
        "duplicates",
    ]
    assert "class_imbalance" in result.skipped_ and "label_issues" in result.skipped_
    flag = result.issues_["multilabel_issue"].to_numpy()
    assert flag[rows].sum() >= 15
    assert flag.sum() <= 30
    score = result.issues_["multilabel_issue_score"]
    assert score.between(0, 1).all()
    assert score.iloc[rows].median() > score.drop(score.index[rows]).quantile(0.9)


def test_audit_multilabel_issues_columns_and_suggested_tags(tagged):
    _, Y, _, result = tagged
    issues = result.issues_
    assert issues.columns.tolist() == [
        "given_label",
        "tag_imbalance",
        "tag_imbalance_score",
        "multilabel_issue",
        "multilabel_issue_score",
        "suggested_tags",
        "duplicate",
        "duplicate_score",
        "duplicate_group",
    ]
    given = Y.to_numpy() == 1
    assert issues["given_label"].iloc[0] == tuple(np.array(TAGS)[given[0]])
    same = issues["given_label"] == issues["suggested_tags"]
    assert (same == ~issues["multilabel_issue"]).all()


def test_audit_multilabel_message_names_the_tag_most_involved(tagged):
    result = tagged[3]
    table = result.details_["multilabel_issues"]["Issues per tag"].set_index("tag")
    involved = table["probably missing it"] + table["probably wrongly given it"]
    top = involved.idxmax()
    message = result.summary_.loc["multilabel_issues", "message"]
    n_flag = int(result.issues_["multilabel_issue"].sum())
    assert message.startswith(f"{n_flag} rows (")
    assert "probably miss a tag or carry a wrong one" in message
    assert f"the tag most often involved is '{top}' ({involved[top]} rows: " in (
        message
    )


def test_audit_multilabel_message_says_a_tag_is_missing():
    X, Y = _digit_tags()
    big = np.flatnonzero(Y["big"].to_numpy() == 1)[:20]
    Y = _flip(Y, big, np.full(20, TAGS.index("big")))  # 'big' taken away
    result = audit(
        X, Y, estimator=LogisticRegression(max_iter=2000), cv=3,
        checks="multilabel_issues",
    )  # fmt: skip
    message = result.summary_.loc["multilabel_issues", "message"]
    assert "the tag most often involved is 'big' (" in message
    table = result.details_["multilabel_issues"]["Issues per tag"].set_index("tag")
    assert table.loc["big", "probably missing it"] >= 15
    assert result.issues_["multilabel_issue"].iloc[big].sum() >= 15


def test_audit_multilabel_composes_binary_relevance_and_find_multilabel_issues():
    from sklabels.multilabel import BinaryRelevance, MultilabelStratifiedKFold
    from sklabels.noise import find_multilabel_issues, multilabel_quality_scores

    X, Y = _digit_tags(300)
    model = LogisticRegression(max_iter=2000)
    result = audit(X, Y, estimator=model, cv=3, checks="multilabel_issues")
    proba = np.empty(Y.shape)
    for train, test in MultilabelStratifiedKFold(3).split(X, Y.to_numpy()):
        fitted = BinaryRelevance(model).fit(X.iloc[train], Y.to_numpy()[train])
        proba[test] = fitted.predict_proba(X.iloc[test])
    np.testing.assert_array_equal(
        result.issues_["multilabel_issue"], find_multilabel_issues(Y, proba)
    )
    np.testing.assert_allclose(
        result.issues_["multilabel_issue_score"],
        1 - multilabel_quality_scores(Y, proba),
    )


def test_audit_multilabel_input_forms_agree():
    import scipy.sparse as sp

    X, Y = _digit_tags(300)
    X = X.iloc[:, 16:48]  # fewer features: six audits
    kwargs = {
        "estimator": LogisticRegression(max_iter=2000),
        "cv": 3,
        "checks": "multilabel_issues",
    }
    expected = audit(X, Y, **kwargs).issues_["multilabel_issue"].to_numpy()
    names = np.array(TAGS, dtype=object)
    sets = [tuple(names[row == 1]) for row in Y.to_numpy()]
    forms = {
        "array": Y.to_numpy(),
        "sparse": sp.csr_matrix(Y.to_numpy()),
        "label lists": sets,
        "series of sets": pd.Series([set(t) for t in sets]),
    }
    for form, y in forms.items():
        flags = audit(X, y, **kwargs).issues_["multilabel_issue"].to_numpy()
        np.testing.assert_array_equal(flags, expected, err_msg=form)
    in_X = audit(pd.concat([X, Y], axis=1), TAGS, **kwargs)
    np.testing.assert_array_equal(in_X.issues_["multilabel_issue"], expected)
    assert in_X.target_name_ == "even, prime, loop, big"
    assert in_X.n_features_ == X.shape[1]


def test_audit_multilabel_tag_imbalance_flags_rare_tags():
    from sklabels.multilabel import imbalance_ratio_per_label, mean_imbalance_ratio

    X, Y = _digit_tags()
    Y = Y.assign(rare=0)
    Y.iloc[:12, -1] = 1
    Y = Y.assign(unused=0)
    result = audit(X, Y, checks="tag_imbalance")
    table = result.details_["tag_imbalance"]["Rows per tag"].set_index("tag")
    used = Y.columns[:-1]
    np.testing.assert_allclose(
        table.loc[used, "imbalance ratio (IRLbl)"],
        imbalance_ratio_per_label(Y[used]).round(2),
    )
    assert table["rare"].to_dict() == {t: t == "rare" for t in Y.columns}
    assert (result.issues_["tag_imbalance"] == (Y["rare"] == 1)).all()
    message = result.summary_.loc["tag_imbalance", "message"]
    assert f"MeanIR, {mean_imbalance_ratio(Y[used]):.1f})" in message
    assert "'rare' is rare (more than 10 times rarer than" in message
    assert "Never given: 'unused'." in message


def test_audit_multilabel_duplicates_compare_sets_of_tags():
    X, Y = _digit_tags(200)
    X = pd.concat([X, X.iloc[[0, 1]]], ignore_index=True)
    copies = Y.iloc[[0, 1]].copy()
    copies.iloc[0, 0] = 1 - copies.iloc[0, 0]  # row 0's copy: another set
    Y = pd.concat([Y, copies], ignore_index=True)
    result = audit(X, Y, checks="duplicates")
    issues = result.issues_
    assert issues.loc[[0, 200], "duplicate_score"].tolist() == [1.0, 1.0]
    assert issues.loc[[1, 201], "duplicate_score"].tolist() == [0.5, 0.5]
    message = result.summary_.loc["duplicates", "message"]
    assert "2 of them, in 1 group, carry different labels" in message


def test_audit_multilabel_leakage_is_scored_per_tag():
    X, Y = _digit_tags(300)
    X = X.assign(tally=Y["prime"] * 5.0 + np.random.RandomState(0).rand(300))
    model = LogisticRegression(max_iter=2000)
    result = audit(X, Y, estimator=model, checks=["leakage", "multilabel_issues"])
    message = result.summary_.loc["leakage", "message"]
    assert "'tally' looks like a leak of the tag 'prime'" in message
    assert message.endswith(
        "Each tag is scored on its own: the scores need one target."
    )
    assert "tally" in result.excluded_features_
    table = result.details_["leakage"]["Features, best alone first"]
    assert table.iloc[0][["feature", "tag"]].tolist() == ["tally", "prime"]


def test_audit_multilabel_test_overlap_compares_sets_of_tags():
    X, Y = _digit_tags(200)
    X_test = X.iloc[[3, 4, 5]].reset_index(drop=True)
    Y_test = Y.iloc[[3, 4, 5]].reset_index(drop=True)
    Y_test.iloc[0, 0] = 1 - Y_test.iloc[0, 0]
    result = audit(X, Y, X_test=X_test, y_test=Y_test, checks="test_overlap")
    message = result.summary_.loc["test_overlap", "message"]
    assert message.startswith("3 test rows (100.0 %) repeat a training row")
    assert "1 of them with another label" in message


def test_audit_multilabel_to_html_and_json_keep_tag_names(tmp_path):
    X, Y = _digit_tags(200)
    Y = Y.rename(columns={"even": "<script>alert(1)</script>"})
    result = audit(X, Y, checks=["tag_imbalance", "duplicates"])
    page = result.to_html()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "4 tags" in page
    data = json.loads(result.to_json())
    first = data["issues"]["columns"]["given_label"][0]
    assert first == list(result.issues_["given_label"].iloc[0])
    assert data["task"] == "multilabel"


@pytest.mark.parametrize(
    "y, match",
    [
        (np.full((150, 2), 2), r"must hold 0 and 1 \(or True and False\), got 2 in"),
        (np.zeros((150, 2), dtype=int), r"gives its 2 tags \(0, 1\) to every row"),
        ([[0, 1]] * 150, r"is a list of 150 lists of 2 zeros and ones"),
        (
            pd.DataFrame({"a": [0.0, np.nan] * 75, "b": 1}),
            r"must hold 0 and 1 \(or True and False\), got nan in column 'a', row 1",
        ),
        (
            pd.DataFrame({"a": ["x", None] * 75, "b": 1}),
            r"has a missing value in column 'a', row 1",
        ),
    ],
)
def test_audit_multilabel_bad_target_raises(iris, y, match):
    X, _ = iris
    with pytest.raises(ValueError, match=match):
        audit(X, y)


def test_audit_multilabel_estimator_must_be_a_classifier():
    from sklearn.linear_model import Ridge

    X, Y = _digit_tags(100)
    with pytest.raises(ValueError, match=r"estimator=Ridge\(\) is not a classifier"):
        audit(X, Y, estimator=Ridge(), checks="multilabel_issues")


def test_audit_multilabel_is_independent_of_n_jobs():
    X, Y = _digit_tags(200)
    X = X.iloc[:, 16:48]
    kwargs = {"estimator": LogisticRegression(max_iter=2000), "cv": 3}
    first = audit(X, Y, **kwargs)
    second = audit(X, Y, n_jobs=2, **kwargs)
    pd.testing.assert_frame_equal(first.issues_, second.issues_)
    pd.testing.assert_frame_equal(first.summary_, second.summary_)


def test_audit_multilabel_column_names_as_long_as_the_rows_raise():
    X = pd.DataFrame({"a": [0, 1], "b": [1, 0], "c": [0.5, 0.7]})
    with pytest.raises(ValueError, match=r"names columns of X but has one entry"):
        audit(X, ["a", "b"])


def test_audit_multilabel_y_test_must_be_multilabel():
    X, Y = _digit_tags(100)
    with pytest.raises(ValueError, match=r"y_test must be multi-label like y"):
        audit(X, Y, X_test=X.iloc[:3], y_test=[1, 0, 1], checks="test_overlap")
