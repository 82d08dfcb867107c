"""Encode class labels: integer codes, one-hot rows, multi-label indicators."""

from sklabels.encoding._label_encoder import LabelEncoder
from sklabels.encoding._multilabel import MultiLabelEncoder
from sklabels.encoding._onehot import OneHotLabelEncoder
from sklabels.encoding._scorer import make_encoded_scorer
from sklabels.encoding._target import TransformedTargetClassifier

__all__ = [
    "LabelEncoder",
    "MultiLabelEncoder",
    "OneHotLabelEncoder",
    "TransformedTargetClassifier",
    "make_encoded_scorer",
]
