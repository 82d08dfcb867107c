"""Built-in data with planted problems, for ``sklabels audit --demo``.

The wine data of scikit-learn (178 wines of three cultivars, 13 chemical
measurements), as a table with human class names, a categorical column and
the problems an audit should find: flipped labels, copies of rows with
another label, a row-id column, a column computed from the label (a leak),
a test set with other class shares and a spamming annotator among five.
"""

import numpy as np
import pandas as pd
from sklearn.datasets import load_wine

from sklabels.datasets import make_crowd_labels, make_noisy_labels

__all__ = ["make_demo"]

_NAMES = np.array(["barolo", "grignolino", "barbera"], dtype=object)
ANNOTATORS = ["ana", "bruno", "chiara", "dario", "quickclick"]
SPAMMER = "quickclick"


def make_demo(random_state=0):
    """The demo data and what was planted in it.

    Returns
    -------
    data : dict
        ``train`` (DataFrame with the target column ``cultivar``, the row
        ids ``record_id``, an undeclared id column ``lab_sample``, a
        ``cellar`` group column and the features),
        ``test`` (same columns), ``annotations`` (long table item /
        annotator / label, items are ``record_id`` values) and ``planted``:
        ``flipped`` and ``conflicting`` (record ids), ``id_column``,
        ``leak_column``, ``spammer``, ``shifted_class``.
    """
    rng = np.random.RandomState(random_state)
    X, y = load_wine(return_X_y=True, as_frame=True)
    X.columns = [c.replace("od280/od315_of_diluted_wines", "od280_od315") for c in X]
    X = X.round(3)
    # a categorical feature: barrel type, loosely tied to the cultivar
    barrel = np.where(
        rng.rand(len(y)) < 0.7,
        np.array(["oak", "steel", "chestnut"])[y],
        rng.choice(["oak", "steel", "chestnut"], len(y)),
    )
    X.insert(0, "barrel", barrel)

    # test rows: held out, mostly barolo (a shifted test set)
    test_pos = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == 0), 30, replace=False),
            rng.choice(np.flatnonzero(y == 1), 6, replace=False),
            rng.choice(np.flatnonzero(y == 2), 4, replace=False),
        ]
    )
    train_pos = np.setdiff1d(np.arange(len(y)), test_pos)
    X_train, y_train = X.iloc[train_pos].reset_index(drop=True), y.iloc[train_pos]
    y_true = y_train.to_numpy()

    # flipped labels
    noisy, flipped = make_noisy_labels(y_true, noise_rate=0.08, random_state=rng)
    noisy = np.asarray(noisy)
    # copies of rows with another label
    sources = rng.choice(np.flatnonzero(~flipped), 4, replace=False)
    copies = X_train.iloc[sources].copy()
    copy_labels = (noisy[sources] + 1 + rng.randint(0, 2, 4)) % 3
    X_train = pd.concat([X_train, copies], ignore_index=True)
    noisy = np.concatenate([noisy, copy_labels])
    y_true = np.concatenate([y_true, y_true[sources]])
    flipped = np.concatenate([flipped, np.zeros(4, dtype=bool)])
    n = len(noisy)

    frame = X_train.copy()
    # row ids, shuffled: an identifier, not a leak
    ids = rng.permutation(np.arange(1001, 1001 + n))
    frame.insert(0, "record_id", ids)
    frame.insert(1, "cultivar", _NAMES[noisy])
    # an undeclared identifier: the lab's sample number, unique per row
    frame.insert(2, "lab_sample", rng.permutation(np.arange(50_000, 50_000 + n)))
    # a leak: the tasting score was written down after the label was known
    frame["tasting_score"] = (80 + 5 * noisy + rng.rand(n)).round(2)
    # groups: the cellar the wine was stored in
    frame["cellar"] = rng.choice(["north", "south"], n)

    test = X.iloc[test_pos].reset_index(drop=True)
    y_test = y.iloc[test_pos].to_numpy()
    test.insert(0, "record_id", np.arange(2001, 2001 + len(test_pos)))
    test.insert(1, "cultivar", _NAMES[y_test])
    test.insert(2, "lab_sample", np.arange(60_000, 60_000 + len(test_pos)))
    test["tasting_score"] = (80 + 5 * y_test + rng.rand(len(test_pos))).round(2)
    test["cellar"] = rng.choice(["north", "south"], len(test_pos))

    # five annotators, three labels per wine; the last one clicks at random
    L = make_crowd_labels(
        y_true,
        n_sources=5,
        accuracy=[0.9, 0.85, 0.85, 0.8, 1 / 3],
        labels_per_item=3,
        random_state=rng,
    )
    item, source = np.nonzero(L >= 0)
    annotations = pd.DataFrame(
        {
            "item": ids[item],
            "annotator": np.asarray(ANNOTATORS, dtype=object)[source],
            "label": _NAMES[L[item, source]],
        }
    )
    conflicting = np.concatenate([ids[sources], ids[-4:]])
    return {
        "train": frame,
        "test": test,
        "annotations": annotations,
        "target": "cultivar",
        "id": "record_id",
        "groups": "cellar",
        "planted": {
            "flipped": ids[flipped].tolist(),
            "conflicting": conflicting.tolist(),
            "id_column": "lab_sample",
            "leak_column": "tasting_score",
            "spammer": SPAMMER,
            "shifted_class": "barolo",
        },
    }
