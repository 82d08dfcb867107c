"""Active learning: choose which rows to label next."""

from sklabels.active._learner import ActiveLearner
from sklabels.active._strategies import (
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
)

__all__ = [
    "ActiveLearner",
    "QueryByCommittee",
    "RandomSampling",
    "UncertaintySampling",
]
