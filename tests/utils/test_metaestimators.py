import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.utils._metaestimators import (
    check_sample_weight_support,
    sample_weight_fit_params,
)


def test_sample_weight_fit_params_none_passes_nothing_and_checks_nothing():
    assert sample_weight_fit_params(KNeighborsClassifier(), None) == {}


def test_sample_weight_fit_params_routes_to_the_last_pipeline_step():
    weights = np.ones(3)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    params = sample_weight_fit_params(pipe, weights)
    assert list(params) == ["logisticregression__sample_weight"]
    assert params["logisticregression__sample_weight"] is weights


def test_sample_weight_fit_params_refuses_weights_the_fit_cannot_take():
    with pytest.raises(
        TypeError, match=r"KNeighborsClassifier\.fit does not accept sample_weight"
    ):
        sample_weight_fit_params(KNeighborsClassifier(), np.ones(3))


def test_check_sample_weight_support_names_the_cause_and_the_fix():
    check_sample_weight_support(make_pipeline(StandardScaler(), LogisticRegression()))
    with pytest.raises(TypeError, match=r"which this estimator needs to train it"):
        check_sample_weight_support(make_pipeline(KNeighborsClassifier()))
    with pytest.raises(
        TypeError,
        match=r"does not accept sample_weight, but weights were given\. Either "
        r"drop them, or wrap a classifier",
    ):
        check_sample_weight_support(
            KNeighborsClassifier(), why="weights were given", fix="drop them"
        )
