import re

import pytest

from sklabels.encoding import (
    LabelEncoder,
    MultiLabelEncoder,
    OneHotLabelEncoder,
    TransformedTargetClassifier,
)
from sklabels.utils import all_estimators


def test_all_estimators_finds_the_encoders():
    found = dict(all_estimators())
    assert found["LabelEncoder"] is LabelEncoder
    assert found["TransformedTargetClassifier"] is TransformedTargetClassifier
    assert [name for name, _ in all_estimators()] == sorted(found)


@pytest.mark.parametrize(
    "type_filter, expected",
    [
        ("classifier", {TransformedTargetClassifier}),
        (
            "label_transformer",
            {LabelEncoder, OneHotLabelEncoder, MultiLabelEncoder},
        ),
        (["classifier", "label_transformer"], None),
    ],
)
def test_all_estimators_type_filter(type_filter, expected):
    found = {cls for _, cls in all_estimators(type_filter=type_filter)}
    if expected is None:  # a list of filters: the union of each one's result
        expected = set().union(
            *({cls for _, cls in all_estimators(type_filter=f)} for f in type_filter)
        )
        assert found == expected
    assert expected <= found


def test_all_estimators_bad_filter():
    with pytest.raises(ValueError, match=r"type_filter must be.*\['nope'\]"):
        all_estimators(type_filter="nope")


@pytest.mark.parametrize("type_filter", [5, ["classifier", 5], {"classifier": 1}, b"x"])
def test_all_estimators_type_filter_of_wrong_type_raises(type_filter):
    with pytest.raises(
        TypeError,
        match=r"type_filter must be None, a string or a list of strings among "
        r"\[.*'classifier'.*\], got " + re.escape(repr(type_filter)),
    ):
        all_estimators(type_filter=type_filter)


def test_all_estimators_type_filter_tuple_accepted():
    assert all_estimators(type_filter=("classifier",)) == all_estimators(
        type_filter="classifier"
    )
