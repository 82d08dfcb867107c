"""Active learning: choose which rows to label next."""

from sklabels.active._learner import ActiveLearner
from sklabels.active._strategies import (
    DensityWeighted,
    DiverseBatch,
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
)

__all__ = [
    "ActiveLearner",
    "DensityWeighted",
    "DiverseBatch",
    "QueryByCommittee",
    "RandomSampling",
    "UncertaintySampling",
]
