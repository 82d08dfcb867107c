"""Progress lines and once-only warnings, shared by every long step.

:class:`Progress` is the one way an estimator reports progress: it takes the
estimator's ``verbose`` and writes one line per event to ``sys.stderr``,
prefixed with the estimator's class name::

    [ConfidentLearningFilter] cross-fitting 5 folds (n_jobs=None)
    [ConfidentLearningFilter] fold 2/5 fitted (1.3 s)

``verbose=0`` (the default everywhere) writes nothing; ``verbose=1`` writes
one line per stage (start and end of cross-fitting, of an EM run, of a
pseudo-label round); ``verbose=2`` adds one line per fold, per labeling
function or batch of features, and per 10th iteration (``iteration_step``);
``verbose>=3`` per iteration. Parallel work goes through :func:`run_steps`
(folds through ``sklabels.utils._cv.cross_fit``), which collects the
results in the main process as they finish, so the lines do not depend on
``n_jobs`` and joblib's own messages are not needed.

:func:`warn_once` says a warning once per process for each distinct message
(or ``key``), so a warning raised by every fit of a ``GridSearchCV`` or
``cross_val_score`` appears once instead of once per fit.
:func:`reset_warnings_once` forgets what was said.
"""

import sys
import threading
import time
import warnings

from sklearn.utils.parallel import Parallel, delayed

__all__ = [
    "Progress",
    "iteration_step",
    "loss_text",
    "reset_warnings_once",
    "run_steps",
    "warn_once",
]


class Progress:
    """Write ``[Owner] message`` lines to stderr according to ``verbose``.

    Parameters
    ----------
    owner : object or str
        The estimator (its class name prefixes the lines) or a name.
    verbose : int or bool
        0 (or False) writes nothing; 1 (or True) the stages; 2 or more the
        steps too (folds, iterations, chunks).
    """

    def __init__(self, owner, verbose):
        self.name = owner if isinstance(owner, str) else type(owner).__name__
        self.verbose = int(verbose or 0)
        self._start = time.perf_counter()

    def _write(self, message):
        # sys.stderr looked up on each call: it may be replaced (pytest, Jupyter)
        stream = sys.stderr
        stream.write(f"[{self.name}] {message}\n")
        stream.flush()

    @property
    def steps_on(self):
        """Whether per-step lines (``verbose >= 2``) are written."""
        return self.verbose >= 2

    def stage(self, message):
        """One line for a stage, written when ``verbose >= 1``."""
        if self.verbose >= 1:
            self._write(message)

    def step(self, message):
        """One line for a fold, iteration or chunk, when ``verbose >= 2``."""
        if self.verbose >= 2:
            self._write(message)

    def elapsed(self):
        """Seconds since this reporter was made."""
        return time.perf_counter() - self._start

    def done(self, message):
        """A stage line with the time elapsed since the reporter was made."""
        if self.verbose >= 1:
            self._write(f"{message} ({self.elapsed():.1f} s)")


def iteration_step(progress, n_iter, max_iter, text):
    """Report iteration ``n_iter`` of an iterative fit (``verbose >= 2``).

    Under ``verbose == 2`` the first, every 10th and the ``max_iter``-th
    iteration; under ``verbose >= 3`` every one. ``text`` (a callable, so
    that nothing is formatted when nothing is written) describes the state,
    e.g. the loss and its change.
    """
    if not progress.steps_on:
        return
    if progress.verbose == 2 and not (
        n_iter == 1 or n_iter % 10 == 0 or n_iter == max_iter
    ):
        return
    progress.step(f"iteration {n_iter}/{max_iter}: {text()}")


def loss_text(history):
    """ "loss 0.512, change 0.0031" from a list of losses, for ``iteration_step``."""
    text = f"loss {history[-1]:.6g}"
    if len(history) > 1:
        text += f", change {abs(history[-2] - history[-1]):.3g}"
    return text


def _timed(function, args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def run_steps(function, tasks, *, n_jobs, progress, title, unit, verb, names=None):
    """``[function(*args) for args in tasks]`` in parallel, with progress.

    Under ``verbose >= 1``: "<title> <n> <unit>s (n_jobs=...)" before and
    "<n> <unit>s <verb> (<t> s)" after; under ``verbose >= 2`` one line per
    task as its result arrives, "<unit> i/n[ <name>] <verb> (<t> s)" with
    the time of that task. The results are collected in the main process
    (joblib's ``return_as="generator"``), so the lines are the same for any
    ``n_jobs`` and come in the order of ``tasks``.

    Returns
    -------
    results : list
        The results, in the order of ``tasks``.
    """
    tasks = list(tasks)
    total = len(tasks)
    progress.stage(f"{title} {total} {unit}s (n_jobs={n_jobs})")
    start = time.perf_counter()
    outputs = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_timed)(function, args) for args in tasks
    )
    results = []
    for i, (result, seconds) in enumerate(outputs, start=1):
        name = "" if names is None else f" {names[i - 1]}"
        progress.step(f"{unit} {i}/{total}{name} {verb} ({seconds:.1f} s)")
        results.append(result)
    progress.stage(f"{total} {unit}s {verb} ({time.perf_counter() - start:.1f} s)")
    return results


_SAID = set()
_LOCK = threading.Lock()


def warn_once(message, category=UserWarning, *, stacklevel=2, key=None):
    """``warnings.warn`` once per process for each ``(category, key)``.

    ``key`` defaults to ``message``; give another key when the message holds
    a number that changes from fit to fit (a loss) but the advice does not.
    The warning is marked as said before it is issued, so under a filter
    that turns it into an error the second call is silent too.
    Warnings raised in joblib worker processes are said once per worker.

    Parameters
    ----------
    message : str
        The warning text.
    category : type of Warning, default=UserWarning
    stacklevel : int, default=2
        As for ``warnings.warn``, counted from the caller of ``warn_once``.
    key : hashable, default=None
        What identifies "the same warning"; None means ``message``.

    Returns
    -------
    said : bool
        Whether the warning was issued by this call.
    """
    identity = (category, message if key is None else key)
    with _LOCK:
        if identity in _SAID:
            return False
        _SAID.add(identity)
    warnings.warn(message, category, stacklevel=stacklevel + 1)
    return True


def reset_warnings_once():
    """Forget the warnings already said, so that they are said again.

    A warning raised by a fit (a class with fewer rows than folds, an EM
    stopped by ``max_iter``, an ignored parameter) is said once per process
    for each distinct message, so that ``GridSearchCV`` or
    ``cross_val_score``, which fit many times, show it once. Call this to
    see such warnings again, e.g. after changing the data, or between
    tests.

    Examples
    --------
    >>> import warnings
    >>> from sklabels.aggregation import DawidSkene
    >>> from sklabels.utils import reset_warnings_once
    >>> L = [[0, 0, 1], [1, 1, 1], [0, 1, 0], [1, 0, 0]]
    >>> def n_warnings():
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         DawidSkene(max_iter=1).fit(L)
    ...     return len(caught)
    >>> reset_warnings_once()
    >>> n_warnings(), n_warnings()  # did not converge: said the first time only
    (1, 0)
    >>> reset_warnings_once()
    >>> n_warnings()
    1
    """
    with _LOCK:
        _SAID.clear()
