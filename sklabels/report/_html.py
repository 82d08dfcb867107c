"""The audit as a self-contained HTML page, built from escaped parts.

Every string that comes from the data (labels, column names, cell values,
annotator names, the sentences that quote them) goes through
:func:`html.escape`; the page holds no script, and its content security
policy forbids any. Figures are PNG images inlined as base64 (matplotlib,
when installed; otherwise the sections are text only).
"""

import base64
import html
import io

import numpy as np
import pandas as pd

__all__ = ["render_fragment", "render_page"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.meta{color:#555}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f4f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.8em;background:#e5e7eb;width:6em;vertical-align:middle}
.bar span{display:block;height:100%}
.sev-low{background:#4caf50}.sev-mid{background:#f0a030}.sev-high{background:#d9534f}
.finding{font-size:1.05em;background:#f8fafc;border-left:4px solid #4c72b0;
padding:.5em .8em}
details{margin:.5em 0;color:#444}
img{max-width:100%;height:auto;display:block;margin:.5em 0}
.skipped{color:#666}
td.sev{white-space:nowrap}
"""

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(value):
    """Escaped text of any value."""
    return html.escape(str(value), quote=True)


def _cell(value):
    if isinstance(value, (bool, np.bool_)):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, np.integer)):
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, (float, np.floating)):
        text = "" if np.isnan(value) else f"{value:.4g}"
        return f'<td class="num">{text}</td>'
    return f"<td>{_e(value)}</td>"


def _table(frame, table_id=None, max_rows=50):
    """An escaped HTML table of ``frame`` (its index is not shown)."""
    ident = f' id="{_e(table_id)}"' if table_id else ""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.head(max_rows).itertuples(index=False, name=None):
        rows.append("<tr>" + "".join(_cell(v) for v in values) + "</tr>")
    more = ""
    if frame.shape[0] > max_rows:
        more = f"<p>{frame.shape[0] - max_rows} more rows not shown.</p>"
    return (
        f"<table{ident}><thead><tr>{head}</tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table>{more}"
    )


def _severity_bar(severity):
    level = "low" if severity < 0.2 else ("mid" if severity < 0.6 else "high")
    width = max(2, round(100 * severity))
    return (
        f'<span class="bar" title="{severity:.2f}"><span class="sev-{level}" '
        f'style="width:{width}%"></span></span> {severity:.2f}'
    )


def _summary_table(audit):
    rows = []
    for name, row in audit.summary_.iterrows():
        rows.append(
            "<tr>"
            f'<td><a href="#check-{_e(name)}">{_e(row["title"])}</a></td>'
            f'<td class="num">{int(row["flagged"])} {_e(row["unit"])}</td>'
            f'<td class="sev">{_severity_bar(float(row["severity"]))}</td>'
            f"<td>{_e(row['message'])}</td>"
            "</tr>"
        )
    return (
        '<table id="summary"><thead><tr><th>check</th><th>flagged</th>'
        "<th>severity</th><th>finding</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _figure(check, data):
    """A base64 PNG ``<img>`` of the check's figure, or "" without matplotlib."""
    if check.plot is None or not data:
        return ""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:  # text only
        return ""
    n = len(data.get("labels", [])) or 5
    height = min(8.0, max(2.6, 0.32 * n + 1.2))
    fig = Figure(figsize=(7.0, height), dpi=96, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    check.plot(data, ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{_e(check.title)} figure" src="data:image/png;base64,{encoded}">'


def _section(check, result):
    parts = [
        f'<section id="check-{_e(check.name)}">',
        f"<h2>{_e(check.title)}</h2>",
        f'<p class="finding">{_e(result.message)}</p>',
        f"<details><summary>How this check works</summary><p>"
        f"{_e(check.description)}</p></details>",
        _figure(check, result.plot),
    ]
    for title, table in result.tables.items():
        if isinstance(table, pd.DataFrame) and table.shape[0]:
            parts.append(f"<h3>{_e(title)}</h3>")
            parts.append(_table(table))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _meta(audit):
    from sklabels import __version__

    n_rows = audit.issues_.shape[0]
    text = (
        f"{n_rows} rows, {audit.n_features_} features, target "
        f"{audit.target_name_!r} ({audit.task_}"
    )
    if audit.classes_ is not None:
        kind = "tags" if audit.task_ == "multilabel" else "classes"
        text += f", {len(audit.classes_)} {kind}"
    text += f"); model: {audit.model_}, cv={audit.cv_!r}; sklabels {__version__}."
    parts = [f'<p class="meta">{_e(text)}</p>']
    if audit.excluded_features_:
        items = "".join(
            f"<li>{_e(repr(k))}: {_e(v)}</li>"
            for k, v in audit.excluded_features_.items()
        )
        parts.append(f"<p>Left out of the model:</p><ul>{items}</ul>")
    return "\n".join(parts)


def _skipped(audit):
    if not audit.skipped_:
        return ""
    items = "".join(
        f"<li><b>{_e(name)}</b>: {_e(why)}</li>" for name, why in audit.skipped_.items()
    )
    return f'<section class="skipped"><h2>Not run</h2><ul>{items}</ul></section>'


def render_page(audit):
    """The whole page."""
    sections = [_section(check, audit._results[check.name]) for check in audit._checks]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Label audit of {_e(audit.target_name_)}</title>",
            f"<style>{_CSS}</style></head><body>",
            f"<h1>Label audit of {_e(audit.target_name_)}</h1>",
            _meta(audit),
            "<h2>Summary</h2>",
            _summary_table(audit),
            *sections,
            _skipped(audit),
            "</body></html>",
        ]
    )


_FRAGMENT_CSS = """
.sklabels-audit table{border-collapse:collapse;margin:.5em 0}
.sklabels-audit th,.sklabels-audit td{border:1px solid #ddd;padding:.2em .5em;
text-align:left;vertical-align:top}
.sklabels-audit td.num{text-align:right}
.sklabels-audit td.sev{white-space:nowrap}
.sklabels-audit .bar{display:inline-block;height:.8em;background:#e5e7eb;width:5em}
.sklabels-audit .bar span{display:block;height:100%}
.sklabels-audit .sev-low{background:#4caf50}
.sklabels-audit .sev-mid{background:#f0a030}
.sklabels-audit .sev-high{background:#d9534f}
"""


def render_fragment(audit):
    """A notebook cell's view: the summary table (no figure, no page).

    Its styles apply inside the ``sklabels-audit`` block only, so the
    notebook around it keeps its own.
    """
    return (
        f'<div class="sklabels-audit"><style>{_FRAGMENT_CSS}</style><p><b>Label '
        f"audit of {_e(audit.target_name_)}</b></p>{_meta(audit)}"
        f"{_summary_table(audit)}</div>"
    )
