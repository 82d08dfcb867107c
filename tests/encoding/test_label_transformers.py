"""Behaviour shared by every label transformer (transformers of ``y``)."""

import ast
import inspect
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklabels.encoding import OneHotLabelEncoder
from sklabels.smoothing import LabelSmoother
from sklabels.utils import all_estimators

LABEL_TRANSFORMERS = all_estimators(type_filter="label_transformer")

# labels each transformer accepts: one label per row, or label sets
_LABELS = {"MultiLabelEncoder": [("a", "b"), ("b",), ("c",)]}
_DEFAULT_LABELS = ["a", "b", "c", "a"]


def _labels(name):
    return _LABELS.get(name, _DEFAULT_LABELS)


def _as_array(out):
    return np.asarray(out.toarray() if hasattr(out, "toarray") else out)


def test_label_transformers_are_all_listed():
    names = {name for name, _ in LABEL_TRANSFORMERS}
    assert {
        "LabelEncoder",
        "OneHotLabelEncoder",
        "MultiLabelEncoder",
        "LabelSmoother",
    } <= names


@pytest.mark.parametrize(
    "name, Transformer", LABEL_TRANSFORMERS, ids=[n for n, _ in LABEL_TRANSFORMERS]
)
def test_label_transformer_accepts_y_keyword(name, Transformer):
    y = _labels(name)
    expected = Transformer().fit_transform(y)

    assert_array_equal(_as_array(Transformer().fit_transform(y=y)), expected)
    fitted = Transformer().fit(y=y)
    encoded = fitted.transform(y=y)
    assert_array_equal(_as_array(encoded), expected)
    # inverse_transform takes the encoded output under its own argument name
    (param,) = [
        p
        for p in inspect.signature(fitted.inverse_transform).parameters.values()
        if p.default is inspect.Parameter.empty
    ]
    decoded = fitted.inverse_transform(**{param.name: encoded})
    assert list(decoded) == list(fitted.inverse_transform(encoded))
    assert len(decoded) == len(y)


@pytest.mark.parametrize(
    "name, Transformer", LABEL_TRANSFORMERS, ids=[n for n, _ in LABEL_TRANSFORMERS]
)
def test_label_transformer_y_keyword_keeps_pandas_output(name, Transformer):
    y = pd.Series(_labels(name), index=[10, 11, 12, 13][: len(_labels(name))])
    out = Transformer().set_output(transform="pandas").fit_transform(y=y)
    assert list(out.index) == list(y.index)


def _named_options(message):
    """``name='value'`` settings that an error message recommends."""
    return re.findall(r"(\w+)=('[^']*')", message)


def _errors_of(name, Transformer):
    """Messages of the unseen- and missing-label errors of a transformer."""
    multilabel = name == "MultiLabelEncoder"
    y = _labels(name)
    unseen = [("zebra",)] if multilabel else ["zebra"]
    missing = [("a", None)] if multilabel else ["a", None]
    attempts = [
        lambda: Transformer().fit(y).transform(unseen),
        lambda: Transformer().fit(y).transform(missing),
        lambda: Transformer(classes=["a", "b", "c"]).fit_transform(y + unseen),
        lambda: Transformer(classes=["a", "b", "c"]).fit(y).transform(missing),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(ValueError) as info:
            attempt()
        messages.append(str(info.value))
    return messages


@pytest.mark.parametrize(
    "name, Transformer", LABEL_TRANSFORMERS, ids=[n for n, _ in LABEL_TRANSFORMERS]
)
def test_label_transformer_errors_name_only_options_it_has(name, Transformer):
    for message in _errors_of(name, Transformer):
        for param, value in _named_options(message):
            est = Transformer()
            assert param in est.get_params(), message
            # the recommended value passes the class's own parameter validation
            est.set_params(**{param: ast.literal_eval(value)})._validate_params()


def test_one_hot_label_encoder_unseen_error_recommends_ignore():
    enc = OneHotLabelEncoder().fit(["a", "b"])
    with pytest.raises(
        ValueError, match=r"unseen labels: \['z'\].*handle_unknown='ignore'"
    ):
        enc.transform(["z"])
    with pytest.raises(ValueError, match=r"not in classes: \['z'\].*'ignore'"):
        OneHotLabelEncoder(classes=["a"]).fit(["a", "z"])
    with pytest.raises(
        ValueError, match=r"missing labels .*; remove or impute them\.$"
    ):
        enc.transform(["a", None])


def test_label_smoother_unseen_error_names_no_missing_option():
    smoother = LabelSmoother().fit(["a", "b"])
    with pytest.raises(ValueError, match=r"unseen labels: \['z'\]\. .*classes=\.$"):
        smoother.transform(["z"])
