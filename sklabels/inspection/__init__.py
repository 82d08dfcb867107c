"""Problems in a labeled data set besides wrong labels: duplicates and overlap.

:func:`find_duplicates` finds exact duplicate rows (by hashing whole rows)
and near duplicates (within a distance, by a radius search), and the groups
of them that carry more than one label; :class:`ConflictingLabelFilter` is
an imbalanced-learn sampler that removes such groups or gives them their
majority label; :func:`train_test_overlap` finds the test rows that repeat
a training row.
"""

from sklabels.inspection._duplicates import (
    ConflictingLabelFilter,
    find_duplicates,
    train_test_overlap,
)

__all__ = ["ConflictingLabelFilter", "find_duplicates", "train_test_overlap"]
