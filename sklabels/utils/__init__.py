"""Utilities: label validation, estimator discovery and estimator checks."""

from sklabels.utils._discovery import all_estimators
from sklabels.utils._progress import reset_warnings_once
from sklabels.utils._validation import (
    check_classes,
    check_labels,
    check_soft_targets,
)

__all__ = [
    "all_estimators",
    "check_classes",
    "check_labels",
    "check_soft_targets",
    "reset_warnings_once",
]
