"""One call, one command: audit a labeled data set.

:func:`audit` runs every check whose inputs are given (class balance,
leakage suspects, label issues by confident learning, duplicates with
conflicting labels, annotator quality and consensus, train/test overlap,
label shift, label bias; implausible targets for a numeric target; tag
balance and label issues per tag for a multi-label target) on one set of
out-of-fold probabilities, and returns a :class:`LabelAudit` with a
summary per check, a table of issues per row, a self-contained HTML page
and JSON. The ``sklabels audit`` command runs it on a CSV or Parquet file.
"""

from sklabels.report._audit import LabelAudit, audit, available_checks

__all__ = ["LabelAudit", "audit", "available_checks"]
