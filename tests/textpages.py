"""Small, fast text images for the job tests: clean DejaVu text Tesseract reads
exactly, so a test failing means the pipeline, not the OCR, went wrong."""
import numpy as np

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

LINES = [
    "Invoice number 4471 was paid",
    "The quick brown fox jumps over",
    "the lazy dog near the river bank",
    "Total amount due is zero euros",
    "Please keep this page for records",
    "Thank you for your kind business",
]


def render_lines(lines=LINES, size=30, margin=40, spacing=1.6, bg=235, ink=20):
    """A gray page (H×W uint8) with the lines drawn; returns (img, word boxes).

    word boxes: list of (word, (x, y, w, h)) in page pixels.
    """
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(FONT, size)
    width = int(max(font.getlength(t) for t in lines)) + 2 * margin
    step = int(size * spacing)
    height = margin * 2 + step * len(lines)
    im = Image.new("L", (width, height), bg)
    d = ImageDraw.Draw(im)
    boxes = []
    for k, line in enumerate(lines):
        y = margin + k * step
        x = margin
        for word in line.split():
            l, t, r, b = d.textbbox((x, y), word, font=font)
            d.text((x, y), word, fill=ink, font=font)
            boxes.append((word, (l, t, r - l, b - t)))
            x += font.getlength(word + " ")
    return np.asarray(im, np.uint8).copy(), boxes


def on_desk(page, angle=0.0, pad=120, desk=(70, 90, 60)):
    """The page as BGR, turned by `angle` degrees counter-clockwise and laid on a
    dark desk with `pad` pixels around it; returns (img, corners 4×2 float)."""
    import ocrkit
    h, w = page.shape
    canvas = np.empty((h + 2 * pad, w + 2 * pad, 3), np.uint8)
    canvas[...] = desk
    canvas[pad:pad + h, pad:pad + w] = page[:, :, None]
    corners = np.array([(pad, pad), (pad + w - 1, pad), (pad + w - 1, pad + h - 1),
                        (pad, pad + h - 1)], np.float64)
    if angle:
        H, W = canvas.shape[:2]
        m = np.asarray(ocrkit.get_rotation_matrix_2d(((W - 1) / 2, (H - 1) / 2), angle, 1.0))
        out = ocrkit.rotate(canvas, angle, border_value=desk)
        m[0, 2] += (out.shape[1] - W) / 2
        m[1, 2] += (out.shape[0] - H) / 2
        corners = np.hstack([corners, np.ones((4, 1))]) @ m.T
        canvas = out
    return canvas, corners.astype(np.float32)
