"""
Crowdsourcing: aggregating annotators of unequal quality
========================================================

Twelve simulated annotators label 3,000 items of four classes, four
annotators per item. Six are honest but each has its own way of being
wrong (a confusion matrix), three are spammers (two answer at random, one
always answers the same class), one is mediocre and two are adversaries who
shift every answer to the next class. We aggregate their labels with every
aggregator of :mod:`sklabels.aggregation`, compare the accuracy of the
aggregated labels, and compare the confusion matrices that
:class:`~sklabels.aggregation.DawidSkene` estimates, without any true label,
with the true ones.
"""

# %%
# Simulated annotators
# --------------------
# ``confusion[s, k, l]`` is the probability that annotator ``s`` says ``l``
# when the true class is ``k``. The data is a long table (item, annotator,
# label), as crowdsourcing platforms export it.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklabels.aggregation import (
    GLAD,
    MACE,
    DawidSkene,
    MajorityVote,
    WeightedMajorityVote,
    to_label_matrix,
)
from sklabels.metrics import AnnotatorConfusionDisplay

rng = np.random.RandomState(0)
K, n_items, n_annotators, per_item = 4, 3000, 12, 4
classes = np.array(["cat", "dog", "fox", "owl"])
y = rng.choice(K, size=n_items, p=[0.4, 0.3, 0.2, 0.1])

confusion = np.empty((n_annotators, K, K))
kinds = []
for s in range(6):  # honest, with their own confusions
    accuracy = rng.uniform(0.65, 0.9)
    for k in range(K):
        confusion[s, k] = np.insert(
            rng.dirichlet(np.ones(K - 1)) * (1 - accuracy), k, accuracy
        )
    kinds.append("honest")
confusion[6:8] = 1.0 / K  # random spammers
kinds += ["random spammer"] * 2
confusion[8] = np.eye(K)[[2, 2, 2, 2]]  # always "fox"
kinds.append("constant spammer")
confusion[9] = 0.45 * np.eye(K) + 0.55 / K  # mediocre
kinds.append("mediocre")
for s in (10, 11):  # adversaries: the next class, 85 % of the time
    confusion[s] = 0.05
    confusion[s, np.arange(K), (np.arange(K) + 1) % K] = 0.85
    kinds.append("adversary")
confusion /= confusion.sum(axis=2, keepdims=True)

rows = []
for i in range(n_items):
    for s in rng.choice(n_annotators, size=per_item, replace=False):
        rows.append(
            (
                f"item{i}",
                f"annotator{s:02d}",
                classes[rng.choice(K, p=confusion[s, y[i]])],
            )
        )
data = pd.DataFrame(rows, columns=["item", "annotator", "label"])
print(data.head())

# %%
# The label matrix
# ----------------
# :func:`~sklabels.aggregation.to_label_matrix` returns the matrix and the
# ids and classes of its rows, columns and codes.
L, item_ids, annotator_ids, class_names = to_label_matrix(
    data, source="annotator", classes=classes
)
order = np.argsort(annotator_ids)  # columns in annotator order
L, annotator_ids = L[:, order], annotator_ids[order]
truth = y[[int(i[4:]) for i in item_ids]]
print(L.shape, class_names)

# %%
# Accuracy of each aggregator
# ---------------------------
aggregators = {
    "MajorityVote": MajorityVote(random_state=0),
    "WeightedMajorityVote": WeightedMajorityVote(),
    "DawidSkene": DawidSkene(),
    "GLAD": GLAD(),
    "MACE": MACE(random_state=0),
}
accuracy = {}
for name, model in aggregators.items():
    model.fit(L)
    accuracy[name] = np.mean(model.predict(L) == truth)
    print(f"{name:>22}: {accuracy[name]:.3f}")

fig, ax = plt.subplots(figsize=(7, 3))
ax.barh(list(accuracy), list(accuracy.values()), color="tab:blue")
ax.set_xlim(0.5, 1.0)
ax.set_xlabel("accuracy of the aggregated labels")
ax.invert_yaxis()
fig.tight_layout()

# %%
# Dawid-Skene recognises the spammers and turns the adversaries around: an
# adversary's confusion matrix is as informative as an honest annotator's,
# since its answer tells the true class. GLAD and MACE describe mistakes as
# uniform (or as spam) and cannot use the adversaries; the majority vote is
# misled by them.
#
# Estimated and true annotator quality
# ------------------------------------
# The diagonal of each confusion matrix is the annotator's accuracy on each
# class; MACE's competence is the probability that it labels knowingly.
ds, mace, glad = aggregators["DawidSkene"], aggregators["MACE"], aggregators["GLAD"]
quality = pd.DataFrame(
    {
        "kind": kinds,
        "true accuracy": [
            (np.bincount(y, minlength=K) / n_items) @ np.diag(c) for c in confusion
        ],
        "DS accuracy": [ds.class_priors_ @ np.diag(c) for c in ds.confusion_matrices_],
        "GLAD ability": glad.abilities_,
        "MACE competence": mace.competence_,
    },
    index=annotator_ids,
)
print(quality.round(2).to_string())

# %%
# True (top), observed (middle) and estimated (bottom) confusion matrices of
# five annotators: honest, random spammer, constant spammer, mediocre,
# adversary. :class:`~sklabels.metrics.AnnotatorConfusionDisplay` draws them:
# built from the true matrices, ``from_predictions`` counts each annotator's
# answers on items whose true class is known (here all of them), and
# ``from_estimator`` shows what Dawid-Skene estimated without any true label.
# Its estimates come close to the observed matrices, which needed the true
# labels.
shown = [annotator_ids[s] for s in (0, 6, 8, 9, 10)]
fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(11, 9.5))
AnnotatorConfusionDisplay(confusion, names=annotator_ids, classes=classes).plot(
    ax=top, sources=shown, n_cols=5, colorbar=False
)
AnnotatorConfusionDisplay.from_predictions(
    L, truth, names=annotator_ids, classes=classes
).plot(ax=middle, sources=shown, n_cols=5, colorbar=False)
AnnotatorConfusionDisplay.from_estimator(
    ds,
    names=annotator_ids,
    classes=classes,
    sources=shown,
    n_cols=5,
    ax=bottom,
    colorbar=False,
)
for ax, title in [(top, "true"), (middle, "observed"), (bottom, "DawidSkene")]:
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
plt.show()
