"""Progress of the long steps of an audit, on stderr when ``verbose``.

The same mechanism as every estimator's ``verbose``
(:class:`sklabels.utils._progress.Progress`): lines prefixed
``[sklabels audit]``, plus a timed block for a step.
"""

import time
from contextlib import contextmanager

from sklabels.utils._progress import Progress as _Progress

__all__ = ["Progress"]


class Progress(_Progress):
    """Print one line when a step starts and one when it ends (with its time).

    Silent unless ``verbose`` is true; writes to stderr, so that the summary
    table on stdout stays clean.
    """

    def __init__(self, verbose=0, prefix="sklabels audit"):
        super().__init__(prefix, verbose)

    def note(self, text):
        """Print one line."""
        self.stage(text)

    @contextmanager
    def timed(self, text):
        """Time the block: ``with progress.timed("fitting the model"): ...``."""
        self.stage(f"{text} ...")
        start = time.perf_counter()
        yield
        self.stage(f"{text}: done in {time.perf_counter() - start:.1f} s")
