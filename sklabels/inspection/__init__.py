"""Problems in a labeled data set besides wrong labels: leaking features.

:func:`leakage_report` scores every feature alone, out of fold, against the
same score on permuted labels, and flags the features that predict the label
too well to be true (a column computed from the label, a row id numbered
after sorting by class). :class:`LeakageFilter` drops the suspects found on
the training data, as a step of a pipeline.
"""

from sklabels.inspection._leakage import LeakageFilter, leakage_report

__all__ = ["LeakageFilter", "leakage_report"]
