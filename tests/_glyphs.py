"""Rendered characters and lines with exact boxes, for the charnet and segment tests.

Uses fixed Debian font files (fonts-dejavu, fonts-liberation2), not ocrkit.synth's
random pick, so every test sees the same pixels.
"""
import os

import numpy as np
import pytest

PIL = pytest.importorskip("PIL")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

FONT_FILES = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "sans-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
}


def font(name, px):
    path = FONT_FILES[name]
    if not os.path.exists(path):
        pytest.fail(f"font {path} missing: apt-get install fonts-dejavu fonts-liberation2")
    return ImageFont.truetype(path, px)


def render_char(ch, name="sans", px=40, pad=6, ink=20, paper=235):
    """One character on a ground of `paper`, `pad` pixels around its ink box."""
    f = font(name, px)
    x0, y0, x1, y1 = f.getbbox(ch)
    img = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), paper)
    ImageDraw.Draw(img).text((pad - x0, pad - y0), ch, font=f, fill=ink)
    return np.asarray(img).copy()


def render_line(text, name="sans", px=40, gap=8, margin=10, ink=20, paper=235):
    """A line of characters `gap` pixels apart; returns (image, ink boxes (x, y, w, h)).

    Each box is measured from the character's own rendering, so it is exact."""
    f = font(name, px)
    ascent, descent = f.getmetrics()
    height = ascent + descent + 2 * margin
    boxes, x = [], margin
    pens = []
    for ch in text:
        if ch == " ":
            x += px // 2
            continue
        b = f.getbbox(ch)
        pens.append((ch, x - b[0]))
        x += b[2] - b[0] + gap
    width = x - gap + margin
    img = Image.new("L", (width, height), paper)
    d = ImageDraw.Draw(img)
    for ch, pen in pens:
        one = Image.new("L", (width, height), 0)
        ImageDraw.Draw(one).text((pen, margin), ch, font=f, fill=255)
        a = np.asarray(one)
        ys, xs = np.nonzero(a > 127)
        boxes.append((xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1))
        d.text((pen, margin), ch, font=f, fill=ink)
    return np.asarray(img).copy(), np.array(boxes, np.int32)
