"""The label-transformer checks pass on good transformers and catch bad ones."""

import numpy as np
import pytest

from sklabels.encoding import LabelEncoder
from sklabels.utils.estimator_checks import label_transformer_checks_generator


def _run_all(estimator):
    failures = {}
    for est, check in label_transformer_checks_generator(estimator):
        try:
            check(est)
        except Exception as exc:  # any exception is a failed check
            failures[check.func.__name__] = repr(exc)
    return failures


class _ForgetfulEncoder(LabelEncoder):
    """Breaks the round trip: decodes every code to the first class."""

    def inverse_transform(self, y):
        return np.repeat(self.classes_[:1], len(y))


class _LenientEncoder(LabelEncoder):
    """Silently maps unseen labels to 0."""

    def transform(self, y):
        return (
            np.zeros(len(y), dtype=int) if "zebra" in list(y) else super().transform(y)
        )


class _UnpicklableState(LabelEncoder):
    """Forgets its classes when pickled."""

    def __getstate__(self):
        state = dict(super().__getstate__())
        state["classes_"] = state["classes_"][::-1]
        return state


def test_checks_pass_on_label_encoder():
    assert _run_all(LabelEncoder()) == {}


@pytest.mark.parametrize(
    "estimator, failing_check",
    [
        (_ForgetfulEncoder(), "check_label_transformer_roundtrip"),
        (_LenientEncoder(), "check_label_transformer_unseen_label"),
        (_UnpicklableState(), "check_label_transformer_pickle"),
    ],
)
def test_checks_catch_broken_transformers(estimator, failing_check):
    assert failing_check in _run_all(estimator)
