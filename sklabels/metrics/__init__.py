"""Metrics on labels and predicted probabilities: calibration."""

from sklabels.metrics._calibration import (
    calibration_bins,
    expected_calibration_error,
)
from sklabels.metrics._plot import ReliabilityDiagramDisplay

__all__ = [
    "ReliabilityDiagramDisplay",
    "calibration_bins",
    "expected_calibration_error",
]
