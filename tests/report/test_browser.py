"""The HTML report in a real browser: headless Chromium.

Skipped when Chromium is not installed; ``.ci/run`` installs Debian's
``chromium`` package on CI.
"""

import re
import shutil
import struct
import subprocess
import zlib

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from sklabels.report import audit
from sklabels.report._cli import main

CHROMIUM = next(
    (
        shutil.which(name)
        for name in ("chromium", "chromium-browser", "google-chrome")
        if shutil.which(name)
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); "
    ".ci/run installs it on CI",
)


def _chromium(tmp_path, *args):
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # root in containers
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *map(str, args),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _png_pixels(path):
    """RGB(A) pixels of an 8-bit PNG, decoded with zlib (no imaging library)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), "8-bit RGB or RGBA expected"
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    for y in range(height):  # PNG filters work row by row
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        above = out[y - 1] if y else np.zeros(stride, dtype=np.int32)
        if kind == 0:
            out[y] = line
        elif kind == 2:
            out[y] = (line + above) % 256
        else:
            for x in range(stride):
                left = out[y, x - channels] if x >= channels else 0
                corner = above[x - channels] if x >= channels else 0
                if kind == 1:
                    pred = left
                elif kind == 3:
                    pred = (left + above[x]) // 2
                else:  # Paeth
                    p = left + above[x] - corner
                    pa, pb, pc = abs(p - left), abs(p - above[x]), abs(p - corner)
                    pred = (
                        left
                        if pa <= pb and pa <= pc
                        else (above[x] if pb <= pc else corner)
                    )
                out[y, x] = (line[x] + pred) % 256
    return out.reshape(height, width, channels)[..., :3]


def _pixels(path):
    try:
        from matplotlib.image import imread
    except ImportError:
        return _png_pixels(path)
    return np.asarray(imread(path))[..., :3] * 255.0


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    page = root / "demo.html"
    assert main(["audit", "--demo", "--html", str(page)]) == 0
    return page


def test_browser_screenshot_of_the_demo_report_is_not_blank(demo_page, tmp_path):
    shot = tmp_path / "shot.png"
    _chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", demo_page.as_uri()
    )
    pixels = _pixels(shot)
    assert pixels.shape[:2] == (1600, 1200)
    assert pixels.std() > 10  # not one colour
    not_white = (pixels < 200).any(axis=-1).mean()
    assert not_white > 0.02  # text, tables and figures drawn


def test_browser_png_decoder_agrees_with_matplotlib(demo_page, tmp_path):
    pytest.importorskip("matplotlib")
    shot = tmp_path / "small.png"
    _chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=300,200", demo_page.as_uri()
    )
    from matplotlib.image import imread

    expected = np.round(np.asarray(imread(shot))[..., :3] * 255).astype(int)
    np.testing.assert_array_equal(_png_pixels(shot), expected)


def test_browser_dom_of_the_demo_report_has_the_summary_table(demo_page, tmp_path):
    dom = _chromium(tmp_path, "--dump-dom", demo_page.as_uri())
    assert '<table id="summary">' in dom
    for check in ("label_issues", "duplicates", "leakage", "annotator_quality"):
        assert f'href="#check-{check}"' in dom
    assert "<title>Label audit of cultivar</title>" in dom


def test_browser_runs_no_script_from_the_data(tmp_path):
    X, y = load_iris(return_X_y=True, as_frame=True)
    labels = np.array(
        [
            "<script>alert(1)</script>",
            "<script>document.title='pwned'</script>",
            "<img src=x onerror=\"document.title='pwned too'\">",
        ],
        dtype=object,
    )
    y = pd.Series(labels[y], name="<script>document.title='owned'</script>")
    X = X.rename(columns={"petal width (cm)": "<script>document.title='col'</script>"})
    page = tmp_path / "injected.html"
    audit(X, y, cv=3).to_html(page)
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == (
        "Label audit of &lt;script&gt;document.title='owned'&lt;/script&gt;"
    )
    assert "<script" not in dom and '<img src="x"' not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text
    assert "&lt;img src=x onerror=" in dom
