"""Progress of the long steps of an audit, on stderr when ``verbose``."""

import sys
import time
from contextlib import contextmanager

__all__ = ["Progress"]


class Progress:
    """Print one line when a step starts and one when it ends (with its time).

    Silent unless ``verbose`` is true; writes to ``stream`` (stderr by
    default, so that the summary table on stdout stays clean).
    """

    def __init__(self, verbose=0, stream=None, prefix="sklabels audit"):
        self.verbose = verbose
        self.stream = stream
        self.prefix = prefix

    def _write(self, text):
        if self.verbose:
            stream = sys.stderr if self.stream is None else self.stream
            print(f"[{self.prefix}] {text}", file=stream, flush=True)

    def note(self, text):
        """Print one line."""
        self._write(text)

    @contextmanager
    def step(self, text):
        """Time the block: ``with progress.step("fitting the model"): ...``."""
        self._write(f"{text} ...")
        start = time.perf_counter()
        yield
        self._write(f"{text}: done in {time.perf_counter() - start:.1f} s")
