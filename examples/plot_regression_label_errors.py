"""
Finding wrong targets in a regression data set
==============================================

A regression target can be wrong too: a value typed in the wrong unit, a
digit slipped, two records swapped. This example corrupts 10 % of the
training targets of scikit-learn's diabetes data (disease progression one
year after baseline), finds them with a
:class:`~sklabels.noise.RegressionLabelFilter` from out-of-fold predictions
of a ridge regression, and shows the residual picture the filter reads.
Then it puts the filter in an imbalanced-learn
:class:`~imblearn.pipeline.Pipeline` in front of the regressor and compares
the test error, on clean test targets, with and without it.
"""

# %%
# Data: 30 % of the rows held out with their clean targets for testing. In
# the training part, 10 % of the targets are corrupted: half of them moved
# by one to three standard deviations of the target, half swapped with
# each other (each gets the target of another patient).
import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.datasets import load_diabetes
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split

from sklabels.noise import RegressionLabelFilter, regression_quality_scores

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
rng = np.random.default_rng(0)
n_wrong = round(0.1 * y_train.size)
wrong = rng.choice(y_train.size, n_wrong, replace=False)
moved, swapped = wrong[: n_wrong // 2], wrong[n_wrong // 2 :]
y_noisy = y_train.copy()
y_noisy[moved] += (
    rng.choice([-1, 1], moved.size) * rng.uniform(1, 3, moved.size) * (y_train.std())
)
y_noisy[swapped] = y_train[np.roll(swapped, 1)]
is_wrong = y_noisy != y_train
print(f"{is_wrong.sum()} of {y_train.size} training targets corrupted")

# %%
# The filter: out-of-fold predictions with its default model (a ridge
# regression on scaled features), residuals measured in robust standard
# deviations (median absolute deviation), rows beyond ``threshold`` = 2
# flagged; then the folds are fitted again without the flagged rows and the
# rule applied to the new residuals.
flt = RegressionLabelFilter()
X_clean, y_clean = flt.fit_resample(X_train, y_noisy)
flagged = flt.label_issues_
found = flagged & is_wrong
print(
    f"flagged {flagged.sum()} rows: {found.sum()} corrupted "
    f"({found[moved].sum()} of {moved.size} moved, "
    f"{found[swapped].sum()} of {swapped.size} swapped)"
)
print(flt.label_issues_report_[flagged].sort_values("residual_z").tail())

# %%
# The residual picture: each row's out-of-fold prediction against its
# residual (given target minus prediction). The band is the median residual
# +- ``threshold`` robust standard deviations; rows outside it are flagged.
# Swapped targets that happen to be close to the true one stay inside the
# band: they are wrong, but not detectably so.
residual = y_noisy - flt.predictions_
center = np.median(residual)
half_width = flt.threshold * flt.residual_scale_

fig, ax = plt.subplots(figsize=(7, 4.5))
groups = [
    (~is_wrong, {"s": 12, "c": "0.6", "label": "correct target"}),
    (moved, {"s": 30, "marker": "^", "c": "tab:red", "label": "moved target"}),
    (swapped, {"s": 30, "marker": "s", "c": "tab:purple", "label": "swapped target"}),
    (
        flagged,
        {"s": 110, "facecolors": "none", "edgecolors": "k", "label": "flagged"},
    ),
]
for rows, style in groups:
    ax.scatter(flt.predictions_[rows], residual[rows], **style)
ax.axhspan(center - half_width, center + half_width, color="tab:green", alpha=0.12)
ax.axhline(center, color="tab:green", lw=1)
ax.set_xlabel("out-of-fold prediction")
ax.set_ylabel("residual (given target - prediction)")
ax.set_title("Diabetes: residuals of the training targets")
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()

# %%
# The same out-of-fold predictions scored with cleanlab's "outre" score
# (:func:`~sklabels.noise.regression_quality_scores`): a ranking rather
# than a decision. How many of the lowest-scored rows are corrupted?
scores = regression_quality_scores(y_noisy, flt.predictions_, method="outre")
lowest = np.argsort(scores)[:n_wrong]
print(f"outre: {is_wrong[lowest].sum()} of the {n_wrong} lowest scores corrupted")

# %%
# In a pipeline the filter acts at fit time only: the regressor after it is
# trained on the rows it keeps, and prediction sees every test row. The
# test targets are clean.
noisy_model = RidgeCV().fit(X_train, y_noisy)
filtered_model = Pipeline(
    [("filter", RegressionLabelFilter()), ("model", RidgeCV())]
).fit(X_train, y_noisy)
for name, model in [("noisy targets", noisy_model), ("filtered", filtered_model)]:
    error = mean_absolute_error(y_test, model.predict(X_test))
    print(f"{name}: test mean absolute error {error:.1f}")

plt.show()
