"""Majority votes weighted by each source's agreement with the consensus:
Wawa and Zero-Based Skill (the methods of the same names in crowd-kit)."""

from numbers import Integral, Real

import numpy as np

from sklabels.aggregation._base import (
    BaseAggregator,
    agreement_with_labels,
    fill_doc,
)
from sklabels.aggregation._matrix import argmax_max_rows, argmax_rows, bincount
from sklabels.aggregation._voting import _vote_fractions
from sklabels.utils._compat import Interval
from sklabels.utils._progress import Progress, iteration_step

__all__ = ["Wawa", "ZeroBasedSkill"]


def _skill_vote(votes, skills, n_classes, labels=True, proba=True):
    """Labels (None unless ``labels``) and probabilities of the skill-weighted
    vote.

    The probabilities are the skill-weighted vote fractions. An item whose
    voters all have skill 0 has no weighted vote: it gets its plain vote
    fractions (crowd-kit returns NaN there). A source without a skill (no
    vote in ``fit``) has weight 0.
    """
    weights = np.nan_to_num(skills, nan=0.0)
    # F-ordered when counted from the votes: argmax_rows is fastest there
    scores = votes.counts(n_classes, weights, by_class=True)
    codes = top = None
    if labels:
        codes, top = argmax_max_rows(scores)
    if proba or top is None or not np.all(weights >= 0):
        scores = np.ascontiguousarray(scores)
        empty = scores @ np.ones(n_classes) <= 0
    else:  # non-negative weights: the sum is 0 exactly when the largest is
        empty = top <= 0
    if empty.any():
        plain = votes.counts(n_classes)
        scores[empty] = plain[empty]
        if labels:
            codes[empty] = argmax_rows(scores[empty])
    fractions = None
    if proba:
        fractions = _vote_fractions(scores, np.full(n_classes, 1.0 / n_classes))
    return codes, fractions


def _label_priors(labels, n_classes):
    """Class frequencies of the labels (-1: none, not counted), plus one
    (Laplace)."""
    counts = bincount(labels + 1, minlength=n_classes + 1)[1:] + 1.0
    return counts / counts.sum()


class _SkillVote(BaseAggregator):
    """A vote weighted by per-source skills: what Wawa and ZBS share."""

    _votes_input = True

    def _predict_proba(self, L):
        return _skill_vote(L, self.skills_, self.n_classes_, labels=False)[1]

    def _codes(self, L):
        # The labels straight from the weighted votes (the fractions are not
        # needed); the same as the argmax of predict_proba.
        labels = _skill_vote(L, self.skills_, self.n_classes_, proba=False)[0]
        return np.where(L.no_vote(), -1, labels).astype(np.int64, copy=False)

    def _source_quality(self, L):
        return self.skills_

    def _finish(self, L, skills):
        """Store the skills and the class priors of the weighted vote; return
        the codes of the training items (for ``fit_predict``)."""
        self.skills_ = skills
        labels = _skill_vote(L, skills, self.n_classes_, proba=False)[0]
        labels = np.where(L.no_vote(), -1, labels).astype(np.int64, copy=False)
        self.class_priors_ = _label_priors(labels, self.n_classes_)
        return labels


@fill_doc
class Wawa(_SkillVote):
    """Wawa (Worker Agreement With Aggregate): a vote weighted by agreement.

    Three steps, as crowd-kit's ``Wawa``: the plain majority vote; each
    source's skill, the fraction of its votes that give the majority label
    of the item; then the majority vote weighted by the skills. A source
    that often disagrees with the crowd counts less, without a model of
    its errors. Ties are broken towards the class with the smallest code,
    as crowd-kit does (its classes are sorted).

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    %(n_classes)s

    %(classes)s

    Attributes
    ----------
    skills_ : ndarray of shape (n_sources,)
        Fraction of each source's votes that give the (plain) majority
        label of the item (NaN for a source without a vote, whose votes
        then have weight 0).

    class_priors_ : ndarray of shape (n_classes,)
        Frequencies of the weighted-vote labels of the items of ``fit``,
        plus one each: given to the items without a vote.

    %(source_quality_)s
        Here ``skills_``: the agreement with the majority vote, which is
        biased towards 1 for sources that vote with the majority (its own
        vote is part of it) and is a lower bound of the accuracy only when
        the majority vote is mostly right.

    %(classes_)s

    See Also
    --------
    ZeroBasedSkill : The same vote, the skills refined iteratively.
    WeightedMajorityVote : Log-odds weights estimated against the others.

    Notes
    -----
    ``predict_proba`` is the skill-weighted vote fractions (each class's
    share of the skills of the item's voters). An item whose voters all
    have skill 0 gets its plain vote fractions (crowd-kit returns NaN
    there). %(no_vote)s Gold labels ``y`` are accepted for a uniform API
    and not used.

    References
    ----------
    .. [1] Appen (CrowdFlower), "Worker Agreement with Aggregate (WAWA)",
       the agreement metric of its quality control; implemented in D.
       Ustalov et al., "Learning from Crowds with Crowd-Kit", Journal of
       Open Source Software, 9(96), 6227, 2024.

    Examples
    --------
    >>> from sklabels.aggregation import Wawa
    >>> L = [[0, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0]]
    >>> wawa = Wawa().fit(L)
    >>> wawa.skills_.round(2)
    array([0.75, 1.  , 0.5 ])
    >>> wawa.predict(L)
    array([0, 1, 1, 0])
    """

    def __init__(self, *, n_classes=None, classes=None):
        self.n_classes = n_classes
        self.classes = classes

    def _fit(self, L, y):
        counts = L.counts(self.n_classes_, by_class=True)
        labels = np.where(L.no_vote(), -1, argmax_rows(counts))
        return self._finish(L, agreement_with_labels(L, labels, L.shape[1]))


@fill_doc
class ZeroBasedSkill(_SkillVote):
    """Zero-Based Skill: skill-weighted votes, the skills refined by steps.

    As crowd-kit's ``ZeroBasedSkill``: every source starts with the skill
    ``1 / K' + eps`` (``K'`` the number of classes that received a vote);
    each of ``n_iter`` rounds takes the skill-weighted majority vote and
    moves every skill towards the source's agreement with it,
    ``skill += lr * (agreement - skill)``, the step ``lr`` starting at
    ``lr_init`` and multiplied by ``lr_reduce_factor`` every
    ``lr_steps_to_reduce`` rounds. The final labels are the vote weighted
    by the final skills. Ties are broken towards the class with the
    smallest code, as crowd-kit does.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    n_iter : int, default=100
        Number of rounds; all are run (as in crowd-kit).

    lr_init : float, default=1.0
        Initial step size.

    lr_steps_to_reduce : int, default=20
        The step size is reduced at every round whose number is a multiple
        of this.

    lr_reduce_factor : float, default=0.5
        Factor applied to the step size at those rounds.

    eps : float, default=1e-5
        Added to the initial skill ``1 / K'``.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 a line at the end, 2 the change of
        the skills at the first and every 10th round, 3 at every round.

    Attributes
    ----------
    skills_ : ndarray of shape (n_sources,)
        Final skill of each source (NaN for a source without a vote, whose
        votes then have weight 0).

    class_priors_ : ndarray of shape (n_classes,)
        Frequencies of the weighted-vote labels of the items of ``fit``,
        plus one each: given to the items without a vote.

    n_iter_ : int
        Number of rounds run (``n_iter``).

    %(source_quality_)s
        Here ``skills_``, which tends to the source's agreement with the
        skill-weighted vote.

    %(classes_)s

    See Also
    --------
    Wawa : One round of the same idea.
    WeightedMajorityVote : Log-odds weights estimated against the others.

    Notes
    -----
    Each round is one pass over the votes. ``predict_proba`` is the
    skill-weighted vote fractions; an item whose voters all have skill 0
    gets its plain vote fractions (crowd-kit returns NaN there).
    %(no_vote)s Gold labels ``y`` are accepted for a uniform API and not
    used.

    References
    ----------
    .. [1] D. Ustalov, N. Pavlichenko and B. Tseitlin, "Learning from
       Crowds with Crowd-Kit", Journal of Open Source Software, 9(96), 6227,
       2024 (the method's reference implementation).

    Examples
    --------
    >>> from sklabels.aggregation import ZeroBasedSkill
    >>> L = [[0, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0]]
    >>> zbs = ZeroBasedSkill().fit(L)
    >>> zbs.skills_.round(2)
    array([0.75, 1.  , 0.5 ])
    >>> zbs.predict(L)
    array([0, 1, 1, 0])
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "lr_init": [Interval(Real, 0, None, closed="neither")],
        "lr_steps_to_reduce": [Interval(Integral, 1, None, closed="left")],
        "lr_reduce_factor": [Interval(Real, 0, None, closed="neither")],
        "eps": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        n_iter=100,
        lr_init=1.0,
        lr_steps_to_reduce=20,
        lr_reduce_factor=0.5,
        eps=1e-5,
        n_classes=None,
        classes=None,
        verbose=0,
    ):
        self.n_iter = n_iter
        self.lr_init = lr_init
        self.lr_steps_to_reduce = lr_steps_to_reduce
        self.lr_reduce_factor = lr_reduce_factor
        self.eps = eps
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _fit(self, L, y):
        K, n_sources = self.n_classes_, L.shape[1]
        _, sources, labels = L.triples
        voted = bincount(sources, minlength=n_sources) > 0
        n_used = max(np.unique(labels).size, 1)
        skills = np.where(voted, 1.0 / n_used + self.eps, np.nan)
        no_vote = L.no_vote()
        lr = self.lr_init
        progress = Progress(self, self.verbose)
        for round_ in range(1, self.n_iter + 1):
            if round_ % self.lr_steps_to_reduce == 0:
                lr *= self.lr_reduce_factor
            consensus = np.where(no_vote, -1, _skill_vote(L, skills, K, proba=False)[0])
            step = lr * (agreement_with_labels(L, consensus, n_sources) - skills)
            skills = skills + step
            iteration_step(
                progress,
                round_,
                self.n_iter,
                lambda s=step: (
                    f"largest skill change {np.nanmax(np.abs(s), initial=0.0):.3g}"
                ),
            )
        progress.done(f"{self.n_iter} round(s)")
        self.n_iter_ = self.n_iter
        return self._finish(L, skills)
