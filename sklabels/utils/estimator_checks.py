"""Checks for label transformers, which scikit-learn's common checks skip.

scikit-learn runs no check on a transformer of labels ``y`` (its own
``LabelEncoder`` included): its checks feed a feature matrix ``X``. These
checks cover what such a transformer owes its users instead: round trips on
every container, unseen and malformed labels, pickling, cloning, parameter
validation and pandas output. ``tests/test_common.py`` runs them on every
estimator that ``all_estimators(type_filter="label_transformer")`` returns.
"""

import pickle
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_invalid_param_val,
    make_constraint,
)

__all__ = ["label_transformer_checks_generator"]

_LABELS_1D = ["b", "a", "c", "b", "c", "b", "a"]
_SETS_2D = [("a", "b"), ("b",), (), ("a", "c"), ("c",), ("a", "b", "c")]


def _is_multilabel(estimator):
    return get_tags(estimator).target_tags.two_d_labels


def _containers(estimator):
    """Equivalent inputs in every supported container, keyed by a name."""
    if _is_multilabel(estimator):
        return {
            "list of tuples": list(_SETS_2D),
            "list of lists": [list(s) for s in _SETS_2D],
            "list of sets": [set(s) for s in _SETS_2D],
            "Series": pd.Series(list(_SETS_2D)),
        }
    return {
        "list": list(_LABELS_1D),
        "str ndarray": np.asarray(_LABELS_1D),
        "object ndarray": np.asarray(_LABELS_1D, dtype=object),
        "Series": pd.Series(_LABELS_1D, index=np.arange(10, 17)),
        "categorical": pd.Series(_LABELS_1D, dtype="category"),
    }


def _dense(Y):
    Y = Y.toarray() if sparse.issparse(Y) else Y
    return np.asarray(Y)


def _same_labels(estimator, got, expected):
    if _is_multilabel(estimator):
        return [set(r) for r in got] == [set(r) for r in expected]
    return list(got) == list(expected)


def check_label_transformer_not_fitted(name, estimator):
    """transform and inverse_transform before fit raise NotFittedError."""
    est = clone(estimator)
    y = next(iter(_containers(est).values()))
    for method in ("transform", "inverse_transform"):
        try:
            getattr(est, method)(y)
        except NotFittedError:
            continue
        raise AssertionError(f"{name}.{method} before fit did not raise NotFittedError")


def check_label_transformer_roundtrip(name, estimator):
    """fit returns self; inverse_transform(fit_transform(y)) gives y back."""
    for kind, y in _containers(estimator).items():
        est = clone(estimator)
        assert est.fit(y) is est, f"{name}.fit must return self"
        assert hasattr(est, "classes_"), f"{name} has no classes_ after fit"
        Y = est.transform(y)
        Y2 = clone(estimator).fit_transform(y)
        np.testing.assert_array_equal(
            _dense(Y), _dense(Y2), err_msg=f"{name}: fit_transform != transform"
        )
        back = est.inverse_transform(Y)
        assert _same_labels(est, back, y), f"{name}: round trip failed on {kind}"


def check_label_transformer_containers_agree(name, estimator):
    """Every container of the same labels gives the same output and classes."""
    outputs = {
        kind: (clone(estimator).fit(y), y) for kind, y in _containers(estimator).items()
    }
    ref_kind, (ref, ref_y) = next(iter(outputs.items()))
    for kind, (est, y) in outputs.items():
        np.testing.assert_array_equal(
            np.asarray(est.classes_, dtype=object),
            np.asarray(ref.classes_, dtype=object),
            err_msg=f"{name}: classes_ differ between {kind} and {ref_kind}",
        )
        np.testing.assert_array_equal(
            _dense(est.transform(y)),
            _dense(ref.transform(ref_y)),
            err_msg=f"{name}: output differs between {kind} and {ref_kind}",
        )


def check_label_transformer_row_order(name, estimator):
    """Shuffling the rows permutes the output rows and leaves classes_ alone."""
    y = next(iter(_containers(estimator).values()))
    perm = np.random.RandomState(0).permutation(len(y))
    shuffled = [y[i] for i in perm]
    est, est_shuffled = clone(estimator).fit(y), clone(estimator).fit(shuffled)
    np.testing.assert_array_equal(est.classes_, est_shuffled.classes_)
    np.testing.assert_array_equal(
        _dense(est.transform(y))[perm], _dense(est_shuffled.transform(shuffled))
    )


def check_label_transformer_unseen_label(name, estimator):
    """A label unseen at fit raises a ValueError that names it."""
    y = next(iter(_containers(estimator).values()))
    est = clone(estimator).fit(y)
    unseen = [("zebra",)] if _is_multilabel(est) else ["zebra"]
    try:
        est.transform(unseen)
    except ValueError as exc:
        assert "zebra" in str(exc), f"{name}: message does not name the label: {exc}"
        return
    raise AssertionError(f"{name}.transform accepted an unseen label by default")


def check_label_transformer_bad_input(name, estimator):
    """Mixed types, missing labels, empty input and bad shapes are refused."""
    multi = _is_multilabel(estimator)
    cases = {
        "mixed types": ([(1, "a")] if multi else [1, "a", 2], TypeError, "str"),
        "empty": ([], ValueError, "empty"),
    }
    if not multi:
        cases["missing"] = (["a", None, "b"], ValueError, "missing")
        cases["2-D"] = (np.array([["a", "b"], ["b", "a"]]), ValueError, "1d")
    else:
        cases["plain strings"] = (["ab", "c"], ValueError, "sep")
    for kind, (y, error, match) in cases.items():
        try:
            clone(estimator).fit(y)
        except error as exc:
            assert match in str(exc), f"{name} on {kind}: message {exc!r}"
            continue
        raise AssertionError(f"{name}.fit did not raise {error.__name__} on {kind}")


def check_label_transformer_pickle(name, estimator):
    """A pickled and restored fitted transformer gives the same output."""
    y = next(iter(_containers(estimator).values()))
    est = clone(estimator).fit(y)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(
        _dense(est.transform(y)), _dense(restored.transform(y))
    )


def check_label_transformer_params(name, estimator):
    """get_params/set_params/clone work and every constraint is enforced."""
    est = clone(estimator)
    params = est.get_params()
    assert set(params) == set(est._parameter_constraints), (
        f"{name}: _parameter_constraints keys {sorted(est._parameter_constraints)} "
        f"differ from __init__ parameters {sorted(params)}"
    )
    y = next(iter(_containers(est).values()))
    for param, constraints in est._parameter_constraints.items():
        if constraints == "no_validation":
            continue
        try:
            bad = generate_invalid_param_val(
                make_constraint(next(c for c in constraints if c is not None))
            )
        except (NotImplementedError, StopIteration):
            continue
        try:
            clone(est).set_params(**{param: bad}).fit(y)
        except InvalidParameterError as exc:
            assert param in str(exc)
            continue
        raise AssertionError(f"{name}.fit accepted {param}={bad!r}")


def check_label_transformer_pandas_output(name, estimator):
    """set_output(transform="pandas") keeps the index of a pandas input."""
    if not hasattr(estimator, "set_output"):
        return
    est = clone(estimator)
    if est.get_params().get("sparse_output"):
        est.set_params(sparse_output=False)
    y = _containers(est)["Series"]
    y.index = np.arange(100, 100 + len(y))
    out = est.set_output(transform="pandas").fit(y).transform(y)
    assert isinstance(out, (pd.Series, pd.DataFrame)), f"{name}: got {type(out)}"
    pd.testing.assert_index_equal(out.index, y.index)
    if isinstance(out, pd.DataFrame):
        np.testing.assert_array_equal(out.columns, est.get_feature_names_out())


_CHECKS = (
    check_label_transformer_not_fitted,
    check_label_transformer_roundtrip,
    check_label_transformer_containers_agree,
    check_label_transformer_row_order,
    check_label_transformer_unseen_label,
    check_label_transformer_bad_input,
    check_label_transformer_pickle,
    check_label_transformer_params,
    check_label_transformer_pandas_output,
)


def label_transformer_checks_generator(estimator):
    """Yield ``(estimator, check)`` pairs of the label-transformer checks.

    Parameters
    ----------
    estimator : estimator instance
        A transformer of labels (1-D labels, or label sets when its
        ``target_tags.two_d_labels`` tag is set).

    Yields
    ------
    estimator : estimator instance
        The estimator, unchanged.

    check : callable
        A check taking the estimator; raises ``AssertionError`` on failure.

    Examples
    --------
    >>> from sklabels.encoding import LabelEncoder
    >>> from sklabels.utils.estimator_checks import (
    ...     label_transformer_checks_generator)
    >>> for est, check in label_transformer_checks_generator(LabelEncoder()):
    ...     check(est)
    """
    name = type(estimator).__name__
    for check in _CHECKS:
        yield estimator, partial(check, name)
