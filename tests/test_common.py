"""Common tests run on every public estimator of sklabels.

Every estimator that ``sklabels.utils.all_estimators`` finds enters these
tests automatically: scikit-learn's ``parametrize_with_checks``, imbalanced-
learn's sampler checks for samplers, sklabels' own checks for label
transformers, and hygiene checks of the public API.
"""

import inspect
from importlib import import_module
from pathlib import Path

import numpy as np
import pytest
from imblearn.utils.estimator_checks import (
    estimator_checks_generator as imblearn_checks_generator,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklabels.aggregation import labeling_function
from sklabels.encoding import OneHotLabelEncoder
from sklabels.noise import ConfidentLearningFilter
from sklabels.utils import all_estimators
from sklabels.utils.estimator_checks import label_transformer_checks_generator


def _argmax_rows(X):
    """A vectorised labeling function for the checks: the largest column."""
    return np.asarray(X).argmax(axis=1)


# Fast, test-friendly constructor arguments, one entry per estimator that needs
# any. Each value is a list: every instance listed is checked.
INIT_PARAMS = {
    # scikit-learn's checks use -1 as a real class label
    "ActiveLearner": [
        {"estimator": LogisticRegression(max_iter=200), "unlabeled": -999},
        {
            "estimator": DecisionTreeClassifier(random_state=0),
            "unlabeled": -999,
            "batch_size": 2,
        },
    ],
    # the confident-learning estimators are checked unseeded: their default
    # folds are the same on every fit
    "ConfidentLearningFilter": [{"cv": 3}, {"cv": 3, "action": "relabel"}],
    "ConfidentLearningClassifier": [
        {"estimator": LogisticRegression(max_iter=200)},
        {
            "estimator": LogisticRegression(max_iter=200),
            "filter": ConfidentLearningFilter(cv=3),
        },
    ],
    # the injector draws random noise: seeded, so that checks calling fit
    # twice compare like with like
    "LabelNoiseInjector": [{"random_state": 0}],
    "BinaryRelevance": [
        {"estimator": LogisticRegression(max_iter=200)},
        {"estimator": LogisticRegression(max_iter=200), "threshold": 0.3},
    ],
    "LabelPowerset": [{"estimator": LogisticRegression(max_iter=200)}],
    "LFApplier": [
        {
            "lfs": [
                labeling_function(name="argmin")(np.argmin),
                labeling_function(name="argmax", vectorized=True)(_argmax_rows),
            ]
        }
    ],
    # scikit-learn's checks use -1 as a real class label
    "PseudoLabelClassifier": [
        {"estimator": LogisticRegression(max_iter=200), "unlabeled": -999},
        {
            "estimator": DecisionTreeClassifier(random_state=0),
            "unlabeled": -999,
            "freeze": True,
            "criterion": "k_best",
        },
    ],
    "SoftLabelClassifier": [
        {"estimator": LogisticRegression(max_iter=200)},  # direct soft solver
        {"estimator": LogisticRegression(max_iter=200), "method": "expand"},
        {"estimator": DecisionTreeClassifier(random_state=0)},
    ],
    "LabelSmoothingClassifier": [
        {"estimator": LogisticRegression(max_iter=200)},
        {"estimator": DecisionTreeClassifier(random_state=0), "alpha": 0.2},
    ],
    # "bbse" cross-fits at fit: seeded folds would differ between the checks'
    # fits only if shuffled, so the default unshuffled folds are checked
    "LabelShiftClassifier": [
        {"estimator": LogisticRegression(max_iter=200)},
        {"estimator": LogisticRegression(max_iter=200), "method": "bbse", "cv": 3},
    ],
    # exact duplicates (hashing; NaN and strings allowed) and a radius search
    "ConflictingLabelFilter": [{}, {"threshold": 0.5, "action": "majority"}],
    # the multi-label samplers draw random rows: seeded, so that checks
    # calling fit twice compare like with like
    "MLROS": [{"random_state": 0}],
    "MLRUS": [{"random_state": 0}],
    "MLSMOTE": [{"random_state": 0}, {"random_state": 0, "label_combination": "union"}],
    # a continuous-target sampler; its default folds are the same on every fit
    "RegressionLabelFilter": [{"cv": 3}, {"cv": 3, "action": "replace"}],
    "TransformedTargetClassifier": [
        {"classifier": LogisticRegression(max_iter=200)},
        # a regressor on one-hot targets acting as a classifier
        {"classifier": Ridge(), "transformer": OneHotLabelEncoder()},
    ],
}

# Checks that cannot apply, with the reason: {estimator name: {check: reason}}.
# This is the one place where exceptions to the common checks are listed.
_ONE_D_Y = (
    "fits a 1-D y even on a multi-output-only estimator; a 1-D y is refused "
    "with a message saying to reshape it"
)
_MULTILABEL_CHECKS = {
    "check_classifiers_train": "fits y of shape (n, 1) (multi-output tags) but "
    "asserts single-output shapes: predict (n,) and predict_proba (n, 2); a "
    "multi-label classifier returns (n, n_labels) for both",
    "check_estimator_sparse_array": "asserts predict_proba of shape (n, 2) for "
    "a one-column y (a single-output shape); predict's (n, 1) shape passes",
    "check_estimator_sparse_matrix": "same as check_estimator_sparse_array",
    "check_classifiers_classes": _ONE_D_Y,
    "check_classifiers_one_label_sample_weights": _ONE_D_Y,
}
_SPARSE_AGGREGATOR = (
    "a sparse label matrix is accepted, but the check reads the expected shape "
    "of predict_proba from classifier tags, which an aggregator (fitted on "
    "votes, not on labels) does not have; tests/aggregation tests sparse input"
)
_KOS_BINARY = (
    "the check's label matrix holds more than two classes, which KOS refuses "
    "(a two-class method, as in crowd-kit); tests/aggregation/test_breadth.py "
    "runs this behaviour on two-class data"
)
EXPECTED_FAILED_CHECKS = {
    "BinaryRelevance": {
        **_MULTILABEL_CHECKS,
        "check_decision_proba_consistency": _ONE_D_Y,
        "check_classifier_multioutput": "computes classes_[decision > 0], "
        "assuming one classes_ array for all outputs; classes_ is a list of "
        "per-label arrays, as MultiOutputClassifier exposes it and "
        "scikit-learn's multi-label scorers read it (tests/multilabel runs the "
        "rest of this check)",
    },
    "LabelPowerset": _MULTILABEL_CHECKS,
    "LabelShiftClassifier": {
        "check_non_transformer_estimators_n_iter": "max_iter bounds the EM "
        "iterations of adapt(), not of fit(); n_iter_ is set by adapt()",
    },
    # LFApplier hands the records to the labeling functions as they are (like
    # FunctionTransformer(validate=False)); the checks below assume an estimator
    # that owns the meaning of X.
    "LFApplier": {
        "check_complex_data": "a record may hold any Python value; whether a "
        "complex number is a valid input is for the labeling function to say",
        "check_fit1d": "a 1d X is a sequence of records (texts, say), the most "
        "common input of labeling functions",
        "check_fit2d_predict1d": "a 1d X is a sequence of records (texts, say), "
        "the most common input of labeling functions",
    },
    # imbalanced-learn's string and NaN checks draw one column of three values
    # (and random labels) for 30 / 100 rows: every row is a duplicate of rows
    # with the other label, so every row is (rightly) removed, and the checks'
    # assertion that each value survives cannot hold.
    "ConflictingLabelFilter": {
        "check_samplers_string": "every row of the check's data is in a group "
        "holding both labels, so all rows are removed",
        "check_samplers_nan": "every row of the check's data is in a group "
        "holding both labels, so all rows are removed",
    },
    # imbalanced-learn's sampler checks assume class labels; this sampler is
    # for a continuous target
    "RegressionLabelFilter": {
        "check_target_type": "expects a continuous y to be refused as an "
        "unknown label type; a continuous y is what this sampler is for",
        "check_samplers_one_label": "expects a one-class y to be refused; a "
        "constant target is a valid regression target (nothing is flagged)",
        "check_samplers_multiclass_ova": "feeds one-hot class labels; a "
        "regression target is one column of numbers and a 2-D y is refused "
        "with a message saying so",
        "check_samplers_preserve_dtype": "with action='replace', integer "
        "targets come back as floats: a replaced target is an out-of-fold "
        "prediction, which rounding would change silently",
    },
    # KOS is for two classes (as in crowd-kit) and refuses more, but the
    # checks' label matrices hold up to 10 classes: fit raises in these.
    # tests/aggregation/test_breadth.py runs their behaviours on two classes.
    "KOS": {
        **dict.fromkeys(
            (
                "check_dict_unchanged",
                "check_dont_overwrite_parameters",
                "check_dtype_object",
                "check_estimator_sparse_tag",
                "check_estimators_dtypes",
                "check_estimators_fit_returns_self",
                "check_estimators_overwrite_params",
                "check_f_contiguous_array_estimator",
                "check_fit2d_1feature",
                "check_fit2d_1sample",
                "check_fit2d_predict1d",
                "check_fit_check_is_fitted",
                "check_fit_idempotent",
                "check_fit_score_takes_y",
                "check_n_features_in",
                "check_n_features_in_after_fitting",
                "check_readonly_memmap_input",
            ),
            _KOS_BINARY,
        ),
        "check_methods_sample_order_invariance": _KOS_BINARY
        + "; and KOS is transductive: a row's label depends on the rows passed "
        "with it and on their order (the order of the initial draws)",
        "check_methods_subset_invariance": _KOS_BINARY
        + "; and KOS is transductive: a row's label depends on the rows passed "
        "with it",
        "check_positive_only_tag_during_fit": "X is a label matrix: -1 means "
        "no label and values below -1 are refused, so neither "
        "positive_only=False (any negative value) nor positive_only=True (no "
        "negative value) describes it",
        "check_estimator_sparse_array": _SPARSE_AGGREGATOR,
        "check_estimator_sparse_matrix": _SPARSE_AGGREGATOR,
    },
    **{
        name: {
            "check_positive_only_tag_during_fit": "X is a label matrix: -1 means "
            "no label and values below -1 are refused, so neither "
            "positive_only=False (any negative value) nor positive_only=True (no "
            "negative value) describes it",
            "check_estimator_sparse_array": _SPARSE_AGGREGATOR,
            "check_estimator_sparse_matrix": _SPARSE_AGGREGATOR,
        }
        for name in (
            "CrowdLab",
            "MajorityVote",
            "WeightedMajorityVote",
            "DawidSkene",
            "GLAD",
            "MACE",
            "LabelModel",
            "OneCoinDawidSkene",
            "ZeroBasedSkill",
            "Wawa",
            "MMSR",
        )
    },
}

# imbalanced-learn's sampler checks feed a 1-D vector of class labels (or
# expect a multi-label y to be refused); the multi-label samplers take an
# (n, L) indicator matrix and refuse a 1-D y. tests/multilabel/
# test_resampling.py runs the same checks (containers, sparse, dtypes, sample
# indices, feature names, strings and NaN) on a multi-label y.
_ONE_D_CLASSES = (
    "feeds a 1-D class vector y; a multi-label sampler takes an (n, L) "
    "indicator matrix and refuses a 1-D y (the same check on a multi-label y "
    "runs in tests/multilabel/test_resampling.py)"
)
_MULTILABEL_SAMPLER_CHECKS = {
    "check_target_type": "asserts that a multi-label y is refused: it is the "
    "input of a multi-label sampler",
    "check_samplers_2d_target": "fits y of shape (n, 1) holding three classes; "
    "a label indicator column must be binary and is refused otherwise",
    "check_samplers_multiclass_ova": _ONE_D_CLASSES,
    **dict.fromkeys(
        (
            "check_samplers_fit",
            "check_samplers_fit_resample",
            "check_samplers_sparse",
            "check_samplers_pandas",
            "check_samplers_pandas_sparse",
            "check_samplers_list",
            "check_samplers_preserve_dtype",
            "check_samplers_sample_indices",
            "check_sampler_get_feature_names_out",
            "check_sampler_get_feature_names_out_pandas",
        ),
        _ONE_D_CLASSES,
    ),
}
EXPECTED_FAILED_CHECKS.update(
    {
        "MLROS": {
            **_MULTILABEL_SAMPLER_CHECKS,
            "check_samplers_string": _ONE_D_CLASSES,
            "check_samplers_nan": _ONE_D_CLASSES,
        },
        "MLRUS": {
            **_MULTILABEL_SAMPLER_CHECKS,
            "check_samplers_string": _ONE_D_CLASSES,
            "check_samplers_nan": _ONE_D_CLASSES,
        },
        "MLSMOTE": _MULTILABEL_SAMPLER_CHECKS,
    }
)

# Estimators that scikit-learn's checks do not run on at all, with the reason.
NOT_CHECKED_BY_SKLEARN = {
    "LabelEncoder": "transforms labels y, not X: scikit-learn runs no check on "
    "label transformers (nor on its own LabelEncoder); our label-transformer "
    "checks cover it",
    "OneHotLabelEncoder": "transforms labels y, not X (see LabelEncoder)",
    "MultiLabelEncoder": "transforms label sets y, not X (see LabelEncoder)",
    "LabelSmoother": "transforms labels y, not X (see LabelEncoder)",
}

# Public modules whose __all__ and docstrings are checked.
_PUBLIC_MODULES = [
    "sklabels.active",
    "sklabels.aggregation",
    "sklabels.datasets",
    "sklabels.encoding",
    "sklabels.inspection",
    "sklabels.metrics",
    "sklabels.multilabel",
    "sklabels.noise",
    "sklabels.report",
    "sklabels.semi_supervised",
    "sklabels.smoothing",
    "sklabels.utils",
]


def _instances(type_filter=None):
    for name, cls in all_estimators(type_filter=type_filter):
        for params in INIT_PARAMS.get(name, [_required_params(cls)]):
            yield cls(**params)


def _required_params(cls):
    """A fast classifier for each required sub-estimator argument."""
    return {
        name: LogisticRegression(max_iter=200)
        for name, param in inspect.signature(cls).parameters.items()
        if param.default is param.empty and param.kind == param.POSITIONAL_OR_KEYWORD
    }


def _is_label_transformer(est):
    return not get_tags(est).input_tags.two_d_array


def _sklearn_checked():
    return [est for est in _instances() if not _is_label_transformer(est)]


# Expected failures that hold for some parameter values only: (estimator,
# check) -> the condition on the instance under which the check fails.
_EXPECTED_FAILED_ONLY_IF = {
    # integer targets stay integers when rows are only removed
    ("RegressionLabelFilter", "check_samplers_preserve_dtype"): (
        lambda est: est.action == "replace"
    ),
}


def _expected_failed_checks(estimator):
    name = type(estimator).__name__
    return {
        check: reason
        for check, reason in EXPECTED_FAILED_CHECKS.get(name, {}).items()
        if _EXPECTED_FAILED_ONLY_IF.get((name, check), lambda est: True)(estimator)
    }


@parametrize_with_checks(
    _sklearn_checked(), expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def _imblearn_checks():
    for est in _instances(type_filter="sampler"):
        yield from imblearn_checks_generator(
            est, expected_failed_checks=_expected_failed_checks(est), mark="xfail"
        )


@pytest.mark.parametrize(
    "estimator, check",
    list(_imblearn_checks()),
    ids=lambda x: (
        getattr(x, "__name__", None)
        or getattr(getattr(x, "func", None), "__name__", type(x).__name__)
    ),
)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)


def _label_transformer_checks():
    for est in _instances(type_filter="label_transformer"):
        yield from label_transformer_checks_generator(est)


@pytest.mark.parametrize(
    "estimator, check",
    list(_label_transformer_checks()),
    ids=lambda x: f"{x.func.__name__}" if hasattr(x, "func") else type(x).__name__,
)
def test_label_transformer(estimator, check):
    check(estimator)


def test_every_estimator_is_checked():
    """Each estimator is run through some common checks, or says why not."""
    names = {name for name, _ in all_estimators()}
    assert names, "all_estimators() found nothing"
    label_transformers = {n for n, _ in all_estimators("label_transformer")}
    assert label_transformers <= set(NOT_CHECKED_BY_SKLEARN)
    assert set(NOT_CHECKED_BY_SKLEARN) <= names, "stale entries"
    assert set(EXPECTED_FAILED_CHECKS) <= names, "stale entries"
    assert set(INIT_PARAMS) <= names, "stale entries"
    assert set(POSITIONAL_PARAMS) <= names, "stale entries"


@pytest.mark.parametrize("name, cls", all_estimators())
def test_parameter_constraints_match_init(name, cls):
    params = set(inspect.signature(cls).parameters) - {"self"}
    assert set(cls._parameter_constraints) == params


# Parameters after the first that the public API contract makes positional,
# with the reason: {estimator name: {parameter: reason}}.
POSITIONAL_PARAMS = {
    "ActiveLearner": {
        "strategy": "the contract is ActiveLearner(estimator, strategy=None, *, "
        "...), like modAL's ActiveLearner(estimator, query_strategy)",
    },
}


@pytest.mark.parametrize("name, cls", all_estimators())
def test_init_only_stores_parameters(name, cls):
    signature = inspect.signature(cls)
    allowed = POSITIONAL_PARAMS.get(name, {})
    for param in list(signature.parameters.values())[1:]:
        if param.name in allowed:
            continue
        assert param.kind == param.KEYWORD_ONLY, (
            f"{name}: parameter {param.name!r} after the first must be keyword-only"
        )


@pytest.mark.parametrize("module", _PUBLIC_MODULES)
def test_all_names_exist(module):
    mod = import_module(module)
    assert mod.__all__ == sorted(mod.__all__)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.__all__ lists missing {name!r}"


def _public_objects():
    for module in _PUBLIC_MODULES:
        mod = import_module(module)
        for name in mod.__all__:
            yield f"{module}.{name}", getattr(mod, name)


@pytest.mark.parametrize("qualname, obj", list(_public_objects()))
def test_public_docstring_has_examples(qualname, obj):
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc, f"{qualname} has no Examples section"
    assert ">>>" in doc.split("Examples\n--------")[1], f"{qualname}: empty Examples"


@pytest.mark.parametrize("qualname, obj", list(_public_objects()))
def test_public_docstrings_have_no_unfilled_templates(qualname, obj):
    """Shared docstring text is substituted, never shown as ``%(key)s``."""
    docs = {qualname: inspect.getdoc(obj) or ""}
    if inspect.isclass(obj):
        for name, member in inspect.getmembers(obj):
            if not name.startswith("_") or name == "__init__":
                docs[f"{qualname}.{name}"] = inspect.getdoc(member) or ""
    for where, doc in docs.items():
        assert "%(" not in doc, f"{where}: {doc[doc.index('%(') :][:40]!r}"


def test_every_subpackage_has_tests():
    import sklabels

    root = Path(sklabels.__file__).parent
    tests = Path(__file__).parent
    for package in sorted(p for p in root.iterdir() if (p / "__init__.py").exists()):
        if package.name.startswith("_"):
            continue
        assert list((tests / package.name).glob("test_*.py")), (
            f"sklabels.{package.name} has no tests/{package.name}/test_*.py"
        )
