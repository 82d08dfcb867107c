"""
Inspection: leaks, conflicting duplicates and label shift
=========================================================

Wrong labels are not the only thing that goes wrong in a labeled data set.
On scikit-learn's breast cancer data we plant three other problems that
users meet every week, and let :mod:`sklabels.inspection` find them:

1. two leaking columns: a record number assigned after the rows were sorted
   by diagnosis, and a score computed from the diagnosis;
2. copies of training rows that carry the other label (the same example
   labeled twice, differently);
3. a test population with another share of malignant tumours than the
   training data (label shift).
"""

# %%
# Data with planted problems
# --------------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.inspection import (
    ConflictingLabelFilter,
    LabelShiftClassifier,
    LeakageFilter,
    find_duplicates,
    leakage_report,
)

rng = np.random.RandomState(0)
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)

leaky = X_train.copy()
# record numbers handed out after sorting the rows by diagnosis
order = np.argsort(y_train.to_numpy(), kind="stable")
leaky["record_id"] = np.empty(len(order), dtype=int)
leaky.iloc[order, leaky.columns.get_loc("record_id")] = np.arange(len(order))
# a follow-up score that was written down after the diagnosis was known
leaky["follow_up_score"] = y_train.to_numpy() * 2.0 + rng.normal(0, 0.3, len(y_train))
print(f"training rows: {len(leaky)}, features: {leaky.shape[1]} (2 planted)")

# %%
# Leaking features
# ----------------
# :func:`~sklabels.inspection.leakage_report` scores each feature alone,
# out of fold, and compares the score with the same score on permuted
# labels. The two planted columns are flagged, with the reason in words;
# the 30 real measurements are not.
report = leakage_report(leaky, y_train)
suspects = report[report["leak_suspect"]]
print(f"leak suspects: {suspects.index.tolist()}")
for name, reason in suspects["reason"].items():
    print(f"  {name}: {reason}")

top = report.sort_values("score", ascending=False).head(12)
fig, ax = plt.subplots(figsize=(7, 4))
colours = np.where(top["leak_suspect"], "tab:red", "tab:blue")
ax.barh(top.index[::-1], top["score"][::-1], color=colours[::-1])
ax.set_xlabel("out-of-fold ROC AUC of the feature alone")
ax.set_xlim(0.5, 1.0)
ax.set_title("Each feature alone (red: leak suspects)")
fig.tight_layout()

# %%
# A leak makes cross-validation lie. :class:`~sklabels.inspection.LeakageFilter`
# learns the suspects on each training fold only, so the estimate is honest
# again: close to the one on the data without the planted columns.
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
for name, estimator, data in [
    ("without the planted columns", model, X_train),
    ("with them", model, leaky),
    ("with them, LeakageFilter first", make_pipeline(LeakageFilter(), model), leaky),
]:
    loss = -cross_val_score(estimator, data, y_train, scoring="neg_log_loss").mean()
    print(f"cross-validated log loss, {name}: {loss:.3f}")

# %%
# Conflicting duplicates
# ----------------------
# Ten training rows are entered a second time with the other diagnosis, and
# ten more are entered twice with the same one (harmless).
# :func:`~sklabels.inspection.find_duplicates` groups identical rows and marks
# the groups that hold more than one label;
# :class:`~sklabels.inspection.ConflictingLabelFilter` removes them and
# reports every row it removed.
copied = rng.choice(len(X_train), size=20, replace=False)
X_dup = pd.concat([X_train, X_train.iloc[copied]], ignore_index=True)
y_dup = pd.concat(
    [y_train, 1 - y_train.iloc[copied[:10]], y_train.iloc[copied[10:]]],
    ignore_index=True,
)
dups = find_duplicates(X_dup, y_dup)
print(
    f"rows in a duplicate group: {(dups['duplicate_group'] >= 0).sum()}, "
    f"with a conflicting label: {dups['conflicting_label'].sum()}"
)
flt = ConflictingLabelFilter()
X_clean, y_clean = flt.fit_resample(X_dup, y_dup)
planted = np.zeros(len(y_dup), dtype=bool)
planted[copied[:10]] = True
planted[len(X_train) : len(X_train) + 10] = True
print(
    f"removed {flt.label_issues_.sum()} rows; the planted conflicts among them: "
    f"{(flt.label_issues_ & planted).sum()} of {planted.sum()}"
)

# %%
# Label shift
# -----------
# The classifier is trained where 37 % of the tumours are malignant (class
# 0); it is used where 75 % are. Its probabilities are then too low for that
# class. :class:`~sklabels.inspection.LabelShiftClassifier` estimates the new
# class priors from the unlabeled test rows (EM, Saerens et al. 2002) and
# re-weights its probabilities; before ``adapt`` it predicts as the base.
malignant = np.flatnonzero(y_test.to_numpy() == 0)
benign = np.flatnonzero(y_test.to_numpy() == 1)
n_benign = len(malignant) // 3
shifted = np.r_[malignant, rng.choice(benign, size=n_benign, replace=False)]
X_new, y_new = X_test.iloc[shifted], y_test.iloc[shifted]

clf = LabelShiftClassifier(model).fit(X_train, y_train)
before = log_loss(y_new, clf.predict_proba(X_new))
clf.adapt(X_new)
after = log_loss(y_new, clf.predict_proba(X_new))
true_priors = np.bincount(y_new, minlength=2) / len(y_new)
print(f"training priors:  {np.round(clf.source_priors_, 3)}")
print(f"new priors:       {np.round(true_priors, 3)}")
print(f"estimated priors: {np.round(clf.target_priors_, 3)}")
print(f"log loss on the new data: {before:.3f} before adapt, {after:.3f} after")

fig, ax = plt.subplots(figsize=(6, 3.5))
width = 0.25
positions = np.arange(2)
for i, (name, priors) in enumerate(
    [
        ("training", clf.source_priors_),
        ("new (true)", true_priors),
        ("new (estimated)", clf.target_priors_),
    ]
):
    ax.bar(positions + (i - 1) * width, priors, width, label=name)
ax.set_xticks(positions, ["malignant", "benign"])
ax.set_ylabel("class prior")
ax.legend()
ax.set_title("Label shift: class priors")
fig.tight_layout()
plt.show()
