"""
Imbalanced multi-label data: measures and resampling
====================================================

Multi-label data sets are often far more imbalanced than single-label ones:
a few tags on most rows, a long tail of tags on a handful. This example
measures that imbalance with the measures of Charte et al. (IRLbl, MeanIR,
SCUMBLE), rebalances the training data with
:class:`~sklabels.multilabel.MLROS`, :class:`~sklabels.multilabel.MLRUS`
and :class:`~sklabels.multilabel.MLSMOTE`, and checks by cross-validation
what each buys a :class:`~sklabels.multilabel.BinaryRelevance` model.

The data are real images: scikit-learn's bundled handwritten digits,
sub-sampled to a long tail (many zeros, few nines), each image tagged with
the 14 tags "even", "greater than 5", "prime", "multiple of 3" and "is d"
for each digit d. The rare tags are the rare digits.
"""

# %%
# A multi-label data set with a long tail
import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import cross_val_predict
from sklearn.preprocessing import StandardScaler

from sklabels.multilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    BinaryRelevance,
    MultilabelStratifiedKFold,
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
    scumble,
)

digits = load_digits()
rng = np.random.RandomState(0)
keep = rng.random_sample(digits.target.size) < 0.75**digits.target
X, d = digits.data[keep], digits.target[keep]
tag_names = ["even", "> 5", "prime", "mult. of 3"] + [f"is {k}" for k in range(10)]
tags = [d % 2 == 0, d > 5, np.isin(d, [2, 3, 5, 7]), d % 3 == 0]
Y = np.column_stack(tags + [d == k for k in range(10)]).astype(int)
print(f"{X.shape[0]} images, {Y.shape[1]} tags, rows per tag: {Y.sum(axis=0)}")

# %%
# The measures: IRLbl says how many times rarer each tag is than the most
# frequent one, MeanIR is their mean, and SCUMBLE how often rare and frequent
# tags share a row (here every rare "is d" tag comes with frequent ones).
irlbl = imbalance_ratio_per_label(Y)
print(f"MeanIR {mean_imbalance_ratio(Y):.2f}, SCUMBLE {scumble(Y):.3f}")
minority = irlbl > irlbl.mean()
print(
    "minority tags (IRLbl > MeanIR):", [tag_names[j] for j in np.flatnonzero(minority)]
)

# %%
# Resampling the whole data set, to see what each sampler does to the tag
# counts. MLROS clones rows of the minority tags, MLRUS deletes rows of the
# majority tags, MLSMOTE adds one synthetic row per (minority tag, row).
samplers = {
    "MLROS": MLROS(percentage=25, random_state=0),
    "MLRUS": MLRUS(percentage=25, random_state=0),
    "MLSMOTE": MLSMOTE(k_neighbors=5, random_state=0),
}
fig, ax = plt.subplots(figsize=(9, 4))
width = 0.2
positions = np.arange(Y.shape[1])
ax.bar(positions - 1.5 * width, Y.sum(axis=0), width, label="original")
for i, (name, sampler) in enumerate(samplers.items()):
    X_res, Y_res = sampler.fit_resample(X, Y)
    print(
        f"{name:8} rows {X.shape[0]} -> {X_res.shape[0]} "
        f"({sampler.n_synthetic_} added), MeanIR "
        f"{mean_imbalance_ratio(Y):.2f} -> {mean_imbalance_ratio(Y_res):.2f}"
    )
    ax.bar(positions + (i - 0.5) * width, Y_res.sum(axis=0), width, label=name)
ax.set_xticks(positions, tag_names, rotation=45, ha="right")
ax.set_ylabel("rows holding the tag")
ax.legend()
fig.tight_layout()

# %%
# Which rows came from where: ``sample_indices_`` gives the input row behind
# each returned row and ``synthetic_mask_`` the rows the sampler added. For
# MLSMOTE, a synthetic row lies between its seed row and
# ``reference_indices_``.
smote = samplers["MLSMOTE"]
seeds = smote.sample_indices_[smote.synthetic_mask_]
print(
    "first synthetic rows: seeds", seeds[:5], "references", smote.reference_indices_[:5]
)

# %%
# Does it help the classifier? Resampling belongs inside the pipeline, so
# only the training folds are resampled and the test folds stay real. We
# compare macro-F1 over all tags and the mean F1 of the minority tags.
cv = MultilabelStratifiedKFold(n_splits=5, shuffle=True, random_state=0)
results = {}
for name, sampler in {"none": None, **samplers}.items():
    steps = [StandardScaler()] + ([sampler] if sampler is not None else [])
    model = make_pipeline(*steps, BinaryRelevance(LogisticRegression(max_iter=2000)))
    Y_pred = cross_val_predict(model, X, Y, cv=cv)
    per_tag = f1_score(Y, Y_pred, average=None, zero_division=0)
    results[name] = per_tag
    print(
        f"{name:8} macro-F1 {per_tag.mean():.3f}, "
        f"minority-tag F1 {per_tag[minority].mean():.3f}"
    )

fig, ax = plt.subplots(figsize=(9, 4))
for name, per_tag in results.items():
    ax.plot(positions, per_tag, marker="o", label=name)
ax.set_xticks(positions, tag_names, rotation=45, ha="right")
ax.set_ylabel("F1 (out of fold)")
ax.legend()
fig.tight_layout()

# %%
# The minority tags gain most from over-sampling, because a logistic
# regression fitted on few positives rarely predicts them. Under-sampling
# throws away rows that also carry the rare tags (the rows share tags), so
# here it costs F1. Resampling changes which tags the model predicts; when
# per-tag decision thresholds are tuned anyway
# (``BinaryRelevance(threshold="cv")``), or the data are not very
# imbalanced (MeanIR close to 1), expect little from it.
plt.show()
