"""The scene judge (spec, "Judging an image against a caption"). Standard library only.

Reads a PNG, recovers the scene it shows (background and objects with colour, shape, size
and cell) and decides whether a caption describes it. Works at any square resolution.

Choices where the spec is silent (also in JUDGE.md):
- Pixels are 8-bit sRGB. 16-bit samples are rounded to 8 bits, grey is replicated to RGB,
  alpha is ignored (the world's images are opaque). Interlaced PNGs are rejected.
- Step 1: with noise, no two border pixels share a colour, so "the most common border
  colour" is taken per background colour: each border pixel that lies within
  BACKGROUND_TOLERANCE of a background colour votes for it, and the most voted wins. On a
  clean render this is exactly the spec's rule. When no border pixel is that close, the
  spec's literal rule applies (the background colour nearest to the most common one).
- Step 2: "the line from the background" is the segment from the background colour to the
  object colour (blends lie between the two). A pixel also has to lie within MAX_OFF_LINE
  of that segment, half the distance between the two closest object colours, so that
  colours far from every blend (a brown blob, a white blob on grey) are not objects.
- Step 4, shape: the mask says which pixels form the object and gives its bounding box;
  the shape comes from the object's coverage around the mask (each pixel's position t
  along the object colour's line, the same t that makes the mask at t >= 1/2), because
  the mask alone cannot tell a small circle from a small square once blur rounds
  corners. Each ideal shape is placed where the coverage says it must be (its area gives
  the side e, its centroid the box centre; both survive blur and noise to a fraction of a
  pixel), rasterised sharp and also blurred by 0.6 px, and scored by the soft IoU of its
  coverage with the object's (sum of minima over sum of maxima). The best score wins; an
  exact tie goes to the earlier shape in spec.SHAPES.
- Step 4, size and cell use the mask's bounding box in pixels divided by the canvas side;
  a centre on a cell border goes to the lower cell (only possible off-world).
"""
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import accumulate
import math
import os
import struct
import zlib

from .captions import Caption, parse
from .scene import SceneObject, phrase_matches, satisfies
from .spec import (BACKGROUND_COLORS, GRID, MIN_OBJECT_AREA, OBJECT_COLORS, POSITION_CELLS,
                   SHAPES, SMALL_LARGE_THRESHOLD)


class PngError(ValueError):
    pass


# ---- PNG reading ----

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_BIT_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}


def read_png(path):
    """(pixels, width, height) of a PNG file; pixels are (r, g, b) tuples, row-major."""
    with open(path, "rb") as f:
        return decode_png(f.read())


def decode_png(data):
    """(pixels, width, height) of PNG bytes; PngError says what is wrong with them."""
    if not data.startswith(_PNG_SIGNATURE):
        raise PngError("not a PNG file")
    header, palette, idat = _read_chunks(data)
    width, height, depth, color_type, _, _, interlace = header
    if interlace:
        raise PngError("interlaced PNGs are not supported")
    if width == 0 or height == 0:
        raise PngError("the PNG has no pixels")
    if depth not in _BIT_DEPTHS.get(color_type, ()):
        raise PngError(f"unsupported PNG format (colour type {color_type}, bit depth {depth})")
    if color_type == 3 and palette is None:
        raise PngError("palette PNG without a PLTE chunk")
    bits_per_pixel = _CHANNELS[color_type] * depth
    stride = (width * bits_per_pixel + 7) // 8
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        raise PngError(f"corrupt PNG image data ({e})") from None
    if len(raw) < height * (stride + 1):
        raise PngError("truncated PNG image data")
    rows = _unfilter(raw, height, stride, max(1, bits_per_pixel // 8))
    return _to_rgb(rows, width, depth, color_type, palette), width, height


def _read_chunks(data):
    header = palette = None
    idat = []
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) < length or len(crc) < 4:
            raise PngError("truncated PNG file")
        if zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            raise PngError(f"corrupt PNG ({kind.decode('latin-1')} chunk fails its checksum)")
        pos += 12 + length
        if kind == b"IHDR":
            if length != 13:
                raise PngError("bad PNG header")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, length - length % 3, 3)]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None or not idat:
        raise PngError("PNG without a header or image data")
    return header, palette, b"".join(idat)


def _unfilter(raw, height, stride, bpp):
    """Undo the five PNG row filters; bpp is the byte distance to the pixel on the left."""
    rows = []
    prior = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1:start + 1 + stride]
        if kind == 0:
            row = line
        elif kind == 1:
            row = bytearray(stride)
            for k in range(bpp):    # each byte lane is a running sum mod 256
                row[k::bpp] = bytes(v & 255 for v in accumulate(line[k::bpp]))
        elif kind == 2:
            row = bytes((a + b) & 255 for a, b in zip(line, prior))
        elif kind == 3:
            row = bytearray(line)
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prior[i]) >> 1)) & 255
        elif kind == 4:
            row = _unpaeth(line, prior, bpp)
        else:
            raise PngError(f"bad PNG filter type {kind} in row {y}")
        rows.append(row)
        prior = row
    return rows


def _unpaeth(line, prior, bpp):
    row = bytearray(line)
    for i in range(len(line)):
        b = prior[i]
        if i >= bpp:
            a, c = row[i - bpp], prior[i - bpp]
        else:
            a = c = 0
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        row[i] = (row[i] + predictor) & 255
    return row


def _to_rgb(rows, width, depth, color_type, palette):
    if depth == 16:    # round to 8 bits
        flat = b"".join(rows)
        samples = bytes((hi * 256 + lo + 128) // 257 for hi, lo in zip(flat[0::2], flat[1::2]))
    elif depth == 8:
        samples = b"".join(rows)
    else:
        samples = _unpack_bits(rows, width, depth, scale=color_type == 0)
    if color_type == 0:
        return list(zip(samples, samples, samples))
    if color_type == 4:
        grey = samples[0::2]
        return list(zip(grey, grey, grey))
    if color_type == 2:
        return list(zip(samples[0::3], samples[1::3], samples[2::3]))
    if color_type == 6:
        return list(zip(samples[0::4], samples[1::4], samples[2::4]))
    if max(samples) >= len(palette):
        raise PngError("palette index out of range")
    return [palette[i] for i in samples]


def _unpack_bits(rows, width, depth, scale):
    """Sub-byte samples (one channel) as bytes; grey levels are scaled to 0..255."""
    per_byte = 8 // depth
    top = (1 << depth) - 1
    shifts = [8 - depth * (k + 1) for k in range(per_byte)]
    out = bytearray()
    for row in rows:
        values = [(byte >> s) & top for byte in row for s in shifts][:width]
        out += bytes(v * 255 // top for v in values) if scale else bytes(values)
    return bytes(out)


# ---- reading the scene (spec steps 1-4) ----

_OBJECT_NAMES = list(OBJECT_COLORS)
_OBJECT_RGB = list(OBJECT_COLORS.values())


# Half the smallest gap between an object colour and a background colour: a border pixel
# this close to a background colour cannot be at least half an object.
BACKGROUND_TOLERANCE = min(math.dist(o, b) for o in _OBJECT_RGB
                           for b in BACKGROUND_COLORS.values()) / 2
# Half the gap between the two closest object colours (orange and yellow).
MAX_OFF_LINE = min(math.dist(p, q) for i, p in enumerate(_OBJECT_RGB)
                   for q in _OBJECT_RGB[i + 1:]) / 2


def _nearest_background(rgb):
    return min(BACKGROUND_COLORS, key=lambda name: math.dist(rgb, BACKGROUND_COLORS[name]))


def read_background(pixels, width, height):
    """Spec step 1, tolerant to noise (see the module docstring)."""
    border = (pixels[:width] + pixels[-width:]
              + pixels[width:-width:width] + pixels[2 * width - 1:-width:width])
    counts = Counter(border)
    votes = Counter()
    for rgb, count in counts.items():
        name = _nearest_background(rgb)
        if math.dist(rgb, BACKGROUND_COLORS[name]) <= BACKGROUND_TOLERANCE:
            votes[name] += count
    if votes:
        return votes.most_common(1)[0][0]
    return _nearest_background(counts.most_common(1)[0][0])


def _color_lines(background):
    """Per object colour, the line from the background to it: (vector, squared length)."""
    base = BACKGROUND_COLORS[background]
    lines = []
    for rgb in _OBJECT_RGB:
        v = tuple(c - b for c, b in zip(rgb, base))
        lines.append((v, v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))
    return lines


def _along(d, line):
    """(t, squared distance) of colour offset d from the background along a colour's line:
    t is the position of d's projection (0 at the background, 1 at the colour), the distance
    is to the segment between them."""
    v, vv = line
    t = (d[0] * v[0] + d[1] * v[1] + d[2] * v[2]) / vv
    along = min(max(t, 0.0), 1.0)
    return t, ((d[0] - along * v[0]) ** 2 + (d[1] - along * v[1]) ** 2
               + (d[2] - along * v[2]) ** 2)


def _nearest_line(d, lines):
    """(squared distance, t, index) of the object colour whose line passes nearest d."""
    return min((off2, t, index) for index, (t, off2) in
               enumerate(_along(d, line) for line in lines))


def _color_labels(colors, background):
    """Spec step 2 for each distinct colour: index of its object colour, or -1."""
    base = BACKGROUND_COLORS[background]
    lines = _color_lines(background)
    # A pixel this close to the background is under halfway along every line.
    background_radius2 = min(vv for _, vv in lines) / 4
    labels = {}
    for rgb in colors:
        d = (rgb[0] - base[0], rgb[1] - base[1], rgb[2] - base[2])
        labels[rgb] = -1
        if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= background_radius2:
            off2, t, index = _nearest_line(d, lines)
            if t >= 0.5 and off2 <= MAX_OFF_LINE ** 2:
                labels[rgb] = index
    return labels


def _regions(labels, width, height):
    """Spec step 3: 8-connected regions of one label, as (label, [pixel indices])."""
    seen = set()
    regions = []
    for start, label in enumerate(labels):
        if label < 0 or start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            i = stack.pop()
            members.append(i)
            y, x = divmod(i, width)
            for ny in (y - 1, y, y + 1):
                if 0 <= ny < height:
                    for nx in (x - 1, x, x + 1):
                        j = ny * width + nx
                        if 0 <= nx < width and j not in seen and labels[j] == label:
                            seen.add(j)
                            stack.append(j)
        regions.append((label, members))
    return regions


def _row_half_width(shape, v):
    """Half the width of a shape's row at height v in box units (v grows down); -1 outside."""
    if abs(v) > 0.5:
        return -1.0
    if shape == "square":
        return 0.5
    if shape == "circle":
        return math.sqrt(0.25 - v * v)
    if shape == "triangle":    # apex at the top centre, base along the bottom
        return (v + 0.5) / 2
    return 0.5 if abs(v) <= 1 / 6 else 1 / 6    # cross: bars of thickness e/3


# Area of each shape in units of e^2, and how far its centroid lies below its box centre.
_AREA = {"square": 1.0, "circle": math.pi / 4, "triangle": 0.5, "cross": 5 / 9}
_CENTROID_DROP = {"square": 0.0, "circle": 0.0, "triangle": 1 / 6, "cross": 0.0}
# An object's coverage is read this far (px) around its mask: blur spreads it.
_COVERAGE_MARGIN = 2
# A pixel under halfway along a colour's line but at least this far along is a faint edge
# of an object of that colour (rather than noise on the background).
_FAINT = 0.15
# Sub-rows per pixel row when computing an ideal shape's pixel coverage.
_SUBROWS = 8
# Each ideal shape is tried sharp and softened by Gaussian blurs of these widths (px): a
# decoder or a resampling rounds a small square's corners and eats a triangle's tips.
_BLUR_SIGMAS = (0.0, 0.6)


@dataclass
class ObjectCoverage:
    """How much of each pixel around an object's mask the object covers (t along its
    colour's line, in [0, 1]), and the coverage's area and centroid in pixels."""
    left: int
    top: int
    rows: list
    area: float
    centroid: tuple


def object_coverage(pixels, labels, region, color_index, background, width, bbox):
    """The coverage of the object whose mask is `region` (pixel indices), over the mask's
    bounding box grown by _COVERAGE_MARGIN.

    Pixels of other objects, and faint edges nearer another colour's line, count 0. For the
    area and centroid t is clamped to [-0.5, 1.5] only, so that noise averages out while
    off-palette pixels cannot dominate.
    """
    base = BACKGROUND_COLORS[background]
    lines = _color_lines(background)
    x0, y0, x1, y1 = bbox
    left, top = max(x0 - _COVERAGE_MARGIN, 0), max(y0 - _COVERAGE_MARGIN, 0)
    right, bottom = min(x1 + _COVERAGE_MARGIN + 1, width), min(y1 + _COVERAGE_MARGIN + 1, width)
    rows = []
    t_of = {}    # (colour, unlabelled) -> t, computed once per colour
    area = sum_x = sum_y = 0.0
    for y in range(top, bottom):
        row = [0.0] * (right - left)
        for x in range(left, right):
            i = y * width + x
            if labels[i] >= 0 and i not in region:
                continue
            rgb = pixels[i]
            key = (rgb, labels[i] < 0)
            if key not in t_of:
                t_of[key] = _object_t(rgb, labels[i] < 0, color_index, base, lines)
            t = t_of[key]
            if t is None:
                continue
            row[x - left] = min(max(t, 0.0), 1.0)
            t = min(max(t, -0.5), 1.5)
            area += t
            sum_x += t * (x + 0.5)
            sum_y += t * (y + 0.5)
        rows.append(row)
    if area < 0.5 * len(region):
        # Only off-palette surroundings can pull t this low: fall back to [0, 1] coverage.
        area = sum(map(sum, rows))
        sum_x = sum(t * (x + 0.5) for row in rows for x, t in enumerate(row, left))
        sum_y = sum(t * (y + 0.5) for y, row in enumerate(rows, top) for t in row)
    return ObjectCoverage(left, top, rows, area, (sum_x / area, sum_y / area))


def _object_t(rgb, unlabelled, color_index, base, lines):
    """A pixel's position t along the object colour's line; None for a faint edge of
    another colour (an unlabelled pixel nearer that colour's line)."""
    d = (rgb[0] - base[0], rgb[1] - base[1], rgb[2] - base[2])
    t, off2 = _along(d, lines[color_index])
    # Only a pixel this far from the background can be _FAINT along another line.
    far = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= _FAINT ** 2 * min(vv for _, vv in lines)
    if unlabelled and far:
        nearest_off2, nearest_t, nearest = _nearest_line(d, lines)
        if nearest != color_index and nearest_t >= _FAINT and nearest_off2 < off2:
            return None
    return t


def shape_scores(coverage):
    """Spec step 4, shape: how well each ideal shape explains the object, in [0, 1].

    Each shape is placed where the object's coverage says it must be: its side from the
    coverage area, its box centre from the coverage centroid (both survive blur and noise
    to a fraction of a pixel). Its own pixel coverage, sharp or blurred, is then compared
    with the object's: the score is the soft IoU, sum of minima over sum of maxima.
    """
    total = sum(map(sum, coverage.rows))
    scores = {}
    for shape in SHAPES:
        e = math.sqrt(coverage.area / _AREA[shape])
        cx, cy = coverage.centroid[0], coverage.centroid[1] - _CENTROID_DROP[shape] * e
        scores[shape] = max(_soft_iou(coverage, total, *_raster(shape, cx, cy, e, sigma))
                            for sigma in _BLUR_SIGMAS)
    return scores


def _soft_iou(coverage, total, left, top, grid):
    """Sum of minima over sum of maxima of the object's and a raster's pixel coverage."""
    overlap = 0.0
    width = len(coverage.rows[0])
    for y, row in enumerate(grid, top):
        if 0 <= y - coverage.top < len(coverage.rows):
            lo, hi = max(left, coverage.left), min(left + len(row), coverage.left + width)
            if lo < hi:
                seen = coverage.rows[y - coverage.top][lo - coverage.left:hi - coverage.left]
                overlap += sum(map(min, row[lo - left:hi - left], seen))
    ideal = sum(map(sum, grid))
    return overlap / (total + ideal - overlap)


def _raster(shape, cx, cy, e, sigma):
    """(left, top, rows of pixel coverages) of an ideal shape blurred by sigma px.

    Coverage is exact along each of _SUBROWS sub-rows per pixel row."""
    margin = math.ceil(3 * sigma)
    left, top = math.floor(cx - e / 2) - margin, math.floor(cy - e / 2) - margin
    width = math.ceil(cx + e / 2) + margin - left
    grid = []
    for y in range(top, math.ceil(cy + e / 2) + margin):
        # Per pixel, the count of sub-rows covering it whole (as a difference array) and
        # the covered lengths of the sub-rows that end inside it.
        whole = [0] * (width + 1)
        partial = [0.0] * (width + 1)
        for sub in range(_SUBROWS):
            half = _row_half_width(shape, (y + (sub + 0.5) / _SUBROWS - cy) / e) * e
            if half < 0:
                continue
            a, b = cx - half - left, cx + half - left
            first, last = math.floor(a), math.floor(b)
            if first == last:
                partial[first] += b - a
                continue
            partial[first] += first + 1 - a
            partial[last] += b - last
            whole[first + 1] += 1
            whole[last] -= 1
        grid.append([(n + p) / _SUBROWS for n, p in zip(accumulate(whole), partial[:width])])
    if sigma:
        grid = _blur(grid, sigma, margin)
    return left, top, grid


def _blur(grid, sigma, radius):
    """Separable Gaussian blur of a grid of coverages (zero beyond it)."""
    weights = [math.exp(-k * k / (2 * sigma * sigma)) for k in range(-radius, radius + 1)]
    weights = [w / sum(weights) for w in weights]

    def blur_line(line):
        padded = [0.0] * radius + list(line) + [0.0] * radius
        out = [0.0] * len(line)
        for k, w in enumerate(weights):
            out = [o + w * p for o, p in zip(out, padded[k:k + len(line)])]
        return out

    grid = [blur_line(row) for row in grid]
    return [list(row) for row in zip(*[blur_line(column) for column in zip(*grid)])]


def read_scene(pixels, width, height):
    """(background, [SceneObject]) that the image shows, spec steps 1-4; sorted by cell."""
    if width != height:
        raise ValueError(f"the canvas must be square, not {width}x{height}")
    if len(pixels) != width * height:
        raise ValueError("pixel count does not match the image size")
    if pixels and not (isinstance(pixels[0], tuple) and len(pixels[0]) == 3):
        pixels = [tuple(p[:3]) for p in pixels]    # hashable RGB, alpha dropped
    background = read_background(pixels, width, height)
    table = _color_labels(set(pixels), background)
    labels = [table[p] for p in pixels]
    objects = []
    for label, members in _regions(labels, width, height):
        if len(members) < MIN_OBJECT_AREA * width * height:
            continue    # a speck of noise
        objects.append(_read_object(pixels, labels, label, members, background, width))
    objects.sort(key=lambda o: (o.row, o.col, o.color))
    return background, objects


def _read_object(pixels, labels, label, members, background, side):
    xs, ys = [i % side for i in members], [i // side for i in members]
    bbox = x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    coverage = object_coverage(pixels, labels, set(members), label, background, side, bbox)
    scores = shape_scores(coverage)
    shape = max(SHAPES, key=scores.get)    # a tie goes to the earlier shape
    longer_side = max(x1 - x0, y1 - y0) + 1
    size = "small" if longer_side / side < SMALL_LARGE_THRESHOLD else "large"
    cx, cy = (x0 + x1 + 1) / 2 / side, (y0 + y1 + 1) / 2 / side
    return SceneObject(_OBJECT_NAMES[label], shape, size, min(int(cy * GRID), GRID - 1),
                       min(int(cx * GRID), GRID - 1), round(cx, 4), round(cy, 4))


# ---- judging (spec step 5) ----

def load_image(image):
    """(pixels, width, height) from a PNG path, PNG bytes, a (pixels, width, height) triple,
    or an H x W x 3|4 array of 0..255 values (anything with .shape and .tolist(): numpy)."""
    if isinstance(image, (str, os.PathLike)):
        return read_png(image)
    if isinstance(image, (bytes, bytearray)):
        return decode_png(bytes(image))
    if hasattr(image, "shape") and hasattr(image, "tolist"):
        height, width = image.shape[:2]
        return [tuple(p[:3]) for row in image.tolist() for p in row], width, height
    pixels, width, height = image
    return pixels, width, height


def judge(image, caption):
    """Whether the image satisfies the caption (text or parsed), with what the judge read.

    Raises CaptionError for a caption outside the grammar, PngError for a bad PNG.
    """
    parsed = caption if isinstance(caption, Caption) else parse(caption)
    background, objects = read_scene(*load_image(image))
    satisfied = satisfies(objects, background, parsed)
    return {
        "satisfied": satisfied,
        "background": background,
        "objects": [asdict(o) for o in objects],
        "reason": "satisfied" if satisfied else _failure_reason(objects, background, parsed),
    }


_CELL_NAMES = {}
for _name, _cell in POSITION_CELLS.items():
    _CELL_NAMES.setdefault(_cell, _name)


def _phrase_text(phrase):
    words = " ".join(w for w in (phrase.size, phrase.color, phrase.shape) if w)
    return words + (f" in the {_CELL_NAMES[phrase.cell]}" if phrase.cell else "")


def _failure_reason(objects, background, caption):
    """Why `satisfies` said no, in words, checking in the order a reader would."""
    if len(objects) != len(caption.objects):
        named, found = len(caption.objects), len(objects)
        return f"the caption names {named} object{'s' * (named > 1)}, the image holds {found}"
    if caption.background is not None and caption.background != background:
        return f"the background is {background}, not {caption.background}"
    for phrase in caption.objects:
        if not any(phrase_matches(phrase, o) for o in objects):
            text = _phrase_text(phrase)
            return f"no object is {'an' if text[0] in 'aeiou' else 'a'} {text}"
    if caption.relation is not None:
        return f"'{caption.relation}' does not hold"
    return "the phrases cannot be matched to different objects"
