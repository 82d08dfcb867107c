"""Helpers shared by the displays (matplotlib is an optional dependency)."""


def import_pyplot(caller_name):
    """Import matplotlib.pyplot, or say how to install it.

    Parameters
    ----------
    caller_name : str
        The public function or method that draws, named in the message.

    Returns
    -------
    plt : module
        ``matplotlib.pyplot``.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller_name} requires matplotlib, an optional dependency of "
            "sklabels. Install it with `pip install sklabels[plot]` (or "
            "`pip install matplotlib`)."
        ) from exc
    return plt
