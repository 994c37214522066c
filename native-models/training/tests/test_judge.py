"""The scene judge: its PNG reader, its reading of rendered scenes, its verdicts, its CLI.

Renders need numpy (render.py); those tests skip without it. JUDGE_ACCURACY_SCENES sets the
number of clean scenes of the accuracy measure (default 2000; a quarter of that each for
blurred and noisy).
"""
import itertools
import json
import os
from pathlib import Path
import random
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

TRAINING = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAINING))

from world.captions import CaptionError, parse  # noqa: E402
from world.judge import PngError, decode_png, judge, read_png, read_scene  # noqa: E402
from world.scene import Scene, SceneObject, relation_holds, sample_scene, satisfies  # noqa: E402
from world.spec import (BACKGROUND_NAMES, COLOR_NAMES, POSITION_CELLS, RELATIONS,  # noqa: E402
                        SHAPES, cell_center)

try:
    import numpy as np
    from world.render import render
except ImportError:
    np = None

needs_numpy = unittest.skipIf(np is None, "numpy is not installed")
ACCURACY_SCENES = int(os.environ.get("JUDGE_ACCURACY_SCENES", "2000"))


# ---- a tiny PNG encoder, independent of the reader ----

def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _filter_row(kind, row, prior, bpp):
    def left(i, line):
        return line[i - bpp] if i >= bpp else 0
    predict = {
        0: lambda i: 0,
        1: lambda i: left(i, row),
        2: lambda i: prior[i],
        3: lambda i: (left(i, row) + prior[i]) // 2,
        4: lambda i: _paeth(left(i, row), prior[i], left(i, prior)),
    }[kind]
    return bytes([kind]) + bytes((row[i] - predict(i)) & 255 for i in range(len(row)))


def _pack_row(samples, depth):
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in samples)
    if depth == 8:
        return bytes(samples)
    per_byte = 8 // depth
    padded = list(samples) + [0] * (-len(samples) % per_byte)
    return bytes(sum(v << (8 - depth * (k + 1)) for k, v in enumerate(padded[i:i + per_byte]))
                 for i in range(0, len(padded), per_byte))


def encode_png(rows, width, color_type, depth, filters=(0,), palette=None, interlace=0,
               idat_pieces=3):
    """PNG bytes of rows of samples (channels interleaved); row y uses filters[y % len]."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    bpp = max(1, channels * depth // 8)
    raw, prior = b"", None
    for y, samples in enumerate(rows):
        packed = _pack_row(samples, depth)
        prior = prior or bytes(len(packed))
        raw += _filter_row(filters[y % len(filters)], packed, prior, bpp)
        prior = packed
    data = zlib.compress(raw)
    step = len(data) // idat_pieces + 1
    header = struct.pack(">IIBBBBB", width, len(rows), depth, color_type, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + (_chunk(b"PLTE", bytes(c for rgb in palette for c in rgb)) if palette else b"")
            + b"".join(_chunk(b"IDAT", data[i:i + step]) for i in range(0, len(data), step))
            + _chunk(b"IEND", b""))


def png_of(image, filters=(4,)):
    """An RGB uint8 array as PNG bytes."""
    return encode_png([list(row.reshape(-1)) for row in image], image.shape[1], 2, 8, filters)


# ---- image degradations ----

def blur(image, sigma=0.6):
    radius = 3
    taps = np.exp(-np.arange(-radius, radius + 1) ** 2 / (2 * sigma * sigma))
    taps /= taps.sum()
    out = image.astype(np.float64)
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in range(3)],
                        mode="edge")
        out = sum(w * np.take(padded, range(k, k + out.shape[axis]), axis=axis)
                  for k, w in enumerate(taps))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def add_noise(image, rng, sigma=6.0):
    return np.clip(np.rint(image + rng.normal(0, sigma, image.shape)), 0, 255).astype(np.uint8)


def conditions(seed):
    """(name, degrade) pairs: clean, blurred (sigma 0.6 px), noisy (sigma 6/255)."""
    noise_rng = np.random.default_rng(seed)
    return [("clean", lambda im: im), ("blurred", blur),
            ("noisy", lambda im: add_noise(im, noise_rng))]


# ---- captions stated in full ----

_CELL_WORD = {cell: word for word, cell in reversed(list(POSITION_CELLS.items()))}


def obj_text(size, color, shape):
    words = " ".join(w for w in (size, color, shape) if w)
    return ("an " if words[0] in "aeiou" else "a ") + words


def full_phrase(obj, **changes):
    """A phrase stating every attribute of obj, with `changes` (color, shape, size, cell)."""
    attrs = {"size": obj.size, "color": obj.color, "shape": obj.shape, "cell": (obj.row, obj.col)}
    attrs.update(changes)
    cell = attrs.pop("cell")
    return obj_text(**attrs) + (f" at the {_CELL_WORD[cell]}" if cell else "")


def on(background):
    return f" on a {background} background"


def read_objects(image):
    background, objects = read_scene(*_pixels(image))
    return background, {(o.color, o.shape, o.size, o.row, o.col) for o in objects}


def _pixels(image):
    return [tuple(p) for p in image.reshape(-1, 3).tolist()], image.shape[1], image.shape[0]


def truth(scene):
    return scene.background, {(o.color, o.shape, o.size, o.row, o.col) for o in scene.objects}


def place(color, shape, size, row, col, rng):
    cx, cy = cell_center(row, col)
    return SceneObject(color, shape, size, row, col,
                       cx + rng.uniform(-0.015, 0.015), cy + rng.uniform(-0.015, 0.015))


class PngReaderTest(unittest.TestCase):
    WIDTH, HEIGHT = 13, 7    # odd width: sub-byte rows end mid-byte

    def samples(self, rng, channels, depth):
        top = (1 << depth) - 1
        return [[rng.randint(0, top) for _ in range(self.WIDTH * channels)]
                for _ in range(self.HEIGHT)]

    def check(self, data, expected):
        pixels, width, height = decode_png(data)
        self.assertEqual((width, height), (self.WIDTH, self.HEIGHT))
        self.assertEqual(pixels, [tuple(p) for row in expected for p in row])

    def test_every_colour_type_depth_and_filter(self):
        rng = random.Random(1)
        formats = [(0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2),
                   (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16)]
        for (color_type, depth), filters in itertools.product(
                formats, [(0,), (1,), (2,), (3,), (4,), (4, 1, 0, 3, 2)]):
            with self.subTest(color_type=color_type, depth=depth, filters=filters):
                channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
                rows = self.samples(rng, channels, depth)
                palette = None
                if color_type == 3:
                    palette = [tuple(rng.randrange(256) for _ in range(3))
                               for _ in range(1 << depth)]
                expected = [self.expected_row(row, color_type, depth, palette) for row in rows]
                self.check(encode_png(rows, self.WIDTH, color_type, depth, filters, palette),
                           expected)

    @staticmethod
    def expected_row(samples, color_type, depth, palette):
        if color_type == 3:
            return [palette[i] for i in samples]
        channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
        if depth == 16:
            samples = [round(v * 255 / 65535) for v in samples]
        elif depth < 8:
            samples = [v * (255 // ((1 << depth) - 1)) for v in samples]
        pixels = [samples[i:i + channels] for i in range(0, len(samples), channels)]
        return [(p[0], p[0], p[0]) if channels <= 2 else tuple(p[:3]) for p in pixels]

    def test_matches_pillow(self):
        try:
            from PIL import Image
        except ImportError:
            self.skipTest("Pillow is not installed")
        import io
        rng = random.Random(2)
        rgba = bytes(rng.randrange(256) for _ in range(self.WIDTH * self.HEIGHT * 4))
        image = Image.frombytes("RGBA", (self.WIDTH, self.HEIGHT), rgba)
        for mode in ["RGB", "RGBA", "L", "LA", "P", "1"]:
            with self.subTest(mode=mode):
                converted = image.convert(mode)
                buffer = io.BytesIO()
                converted.save(buffer, "PNG")
                rgb = converted.convert("RGB").tobytes()
                expected = [tuple(rgb[i:i + 3]) for i in range(0, len(rgb), 3)]
                self.assertEqual(decode_png(buffer.getvalue())[0], expected)

    def test_bad_files_raise_png_error(self):
        good = encode_png([[0] * self.WIDTH] * self.HEIGHT, self.WIDTH, 0, 8)
        corrupt = bytearray(good)
        corrupt[40] ^= 0xFF    # inside IDAT: its checksum fails
        cases = {
            "not a PNG": b"GIF89a" + good[6:],
            "truncated": good[:50],
            "checksum": bytes(corrupt),
            "interlaced": encode_png([[0] * self.WIDTH] * self.HEIGHT, self.WIDTH, 0, 8,
                                     interlace=1),
            "unsupported": encode_png([[0] * self.WIDTH * 3] * self.HEIGHT, self.WIDTH, 2, 4),
            "filter type": self.with_filter_byte(good, 7),
        }
        for name, data in cases.items():
            with self.subTest(name):
                with self.assertRaises(PngError):
                    decode_png(data)
        with self.assertRaisesRegex(PngError, "interlaced"):
            decode_png(cases["interlaced"])

    def with_filter_byte(self, good, kind):
        """`good` (grey, filter 0) re-encoded with an invalid filter type in its first row."""
        raw = bytearray(b"".join(b"\x00" + bytes(self.WIDTH) for _ in range(self.HEIGHT)))
        raw[0] = kind
        header = good[8:33]
        return (good[:8] + header + _chunk(b"IDAT", zlib.compress(bytes(raw)))
                + _chunk(b"IEND", b""))

    def test_read_png_reads_a_file(self):
        rows = [[(x * 20 + y) % 256 for x in range(self.WIDTH * 3)] for y in range(self.HEIGHT)]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "image.png")
            path.write_bytes(encode_png(rows, self.WIDTH, 2, 8, (1, 2, 3, 4)))
            pixels, width, height = read_png(path)
        self.assertEqual((width, height), (self.WIDTH, self.HEIGHT))
        self.assertEqual(pixels[1], tuple(rows[0][3:6]))


@needs_numpy
class ReadSceneTest(unittest.TestCase):
    def test_accuracy_on_random_scenes(self):
        """Reads back every rendered object (colour, shape, size, cell) and the background."""
        rng = random.Random(10)
        counts = {"clean": ACCURACY_SCENES, "blurred": ACCURACY_SCENES // 4,
                  "noisy": ACCURACY_SCENES // 4}
        report = []
        for name, degrade in conditions(11):
            wrong = []
            for _ in range(counts[name]):
                scene = sample_scene(rng, allow_held_out=True)
                if read_objects(degrade(render(scene))) != truth(scene):
                    wrong.append(scene)
            accuracy = 1 - len(wrong) / counts[name]
            report.append(f"{name} {accuracy:.2%} of {counts[name]}")
            with self.subTest(name):
                if name == "clean":
                    self.assertEqual(wrong, [])
                else:
                    self.assertGreaterEqual(accuracy, 0.995, wrong[:3])
        print("\njudge accuracy: " + ", ".join(report), file=sys.stderr)

    def test_any_square_resolution(self):
        rng = random.Random(12)
        for resolution in [64, 80, 96, 128, 256]:
            for _ in range(8 if resolution < 256 else 3):
                scene = sample_scene(rng, allow_held_out=True)
                with self.subTest(resolution=resolution, scene=scene):
                    self.assertEqual(read_objects(render(scene, resolution)), truth(scene))

    def test_every_shape_in_every_cell_and_size(self):
        rng = random.Random(13)
        for shape, size, (row, col) in itertools.product(
                SHAPES, ["small", "large"], itertools.product(range(3), range(3))):
            scene = Scene(rng.choice(BACKGROUND_NAMES),
                          (place(rng.choice(COLOR_NAMES), shape, size, row, col, rng),))
            with self.subTest(scene=scene):
                self.assertEqual(read_objects(render(scene)), truth(scene))

    def test_specks_are_not_objects(self):
        image = render(Scene("white", (place("red", "square", "large", 1, 1, random.Random(1)),)))
        image[2:5, 2:5] = (35, 90, 220)    # 9 blue pixels: under the minimum area
        self.assertEqual(read_objects(image), ("white", {("red", "square", "large", 1, 1)}))

    def test_off_palette_blobs_are_not_objects(self):
        image = render(Scene("gray", ()))
        image[10:30, 10:30] = (245, 245, 240)    # white on grey: on no colour's line
        image[40:60, 40:60] = (120, 80, 40)      # brown
        self.assertEqual(read_objects(image), ("gray", set()))

    def test_rejects_a_canvas_that_is_not_square(self):
        with self.assertRaisesRegex(ValueError, "square"):
            read_scene([(0, 0, 0)] * 12, 4, 3)


@needs_numpy
class VerdictTest(unittest.TestCase):
    """Captions of a rendered scene: right ones pass, wrong ones fail, in every condition."""

    def verdicts(self, scene, captions, seed):
        """{condition: [satisfied per caption]} (the scene is read once per condition)."""
        image = render(scene)
        parsed = [parse(c) for c in captions]
        out = {}
        for name, degrade in conditions(seed):
            background, objects = read_scene(*_pixels(degrade(image)))
            out[name] = [satisfies(objects, background, p) for p in parsed]
        return out

    def assert_verdicts(self, scene, right, wrong, seed=0):
        for name, results in self.verdicts(scene, right + wrong, seed).items():
            for caption, satisfied in zip(right + wrong, results):
                with self.subTest(condition=name, caption=caption, scene=scene):
                    self.assertEqual(satisfied, caption in right)

    def test_described_captions_pass(self):
        from world.captions import describe
        rng = random.Random(20)
        for k in range(60):
            scene = sample_scene(rng, allow_held_out=True)
            self.assert_verdicts(scene, [describe(rng, scene) for _ in range(3)], [], seed=k)

    def test_every_wrong_shape_fails(self):
        rng = random.Random(21)
        for shape, size in itertools.product(SHAPES, ["small", "large"]):
            for k in range(3):
                obj = place(rng.choice(COLOR_NAMES), shape, size, rng.randrange(3),
                            rng.randrange(3), rng)
                scene = Scene(rng.choice(BACKGROUND_NAMES), (obj,))
                wrong = [full_phrase(obj, shape=other) for other in SHAPES if other != shape]
                self.assert_verdicts(scene, [full_phrase(obj)], wrong, seed=k)

    def test_wrong_attributes_fail(self):
        rng = random.Random(22)
        for k in range(40):
            scene = sample_scene(rng, n_objects=1 + k % 2, allow_held_out=True)
            first, others = scene.objects[0], scene.objects[1:]
            right = " and ".join(full_phrase(o) for o in scene.objects) + on(scene.background)
            other_color = rng.choice([c for c in COLOR_NAMES if c != first.color])
            other_size = "large" if first.size == "small" else "small"
            taken = {(o.row, o.col) for o in scene.objects}
            other_cell = rng.choice([cell for cell in _CELL_WORD if cell not in taken])
            other_background = rng.choice([b for b in BACKGROUND_NAMES if b != scene.background])
            rest = "".join(" and " + full_phrase(o) for o in others)
            wrong = [
                full_phrase(first, color=other_color) + rest + on(scene.background),
                full_phrase(first, size=other_size) + rest + on(scene.background),
                full_phrase(first, cell=other_cell) + rest + on(scene.background),
                right.replace(on(scene.background), on(other_background)),
            ]
            if others:    # an extra object in the image
                wrong.append(full_phrase(first))
            else:         # a missing object
                wrong.append(right.replace(on(scene.background), "") + " and "
                             + full_phrase(place(other_color, "circle", "small", *other_cell, rng))
                             + on(scene.background))
            self.assert_verdicts(scene, [right], wrong, seed=k)

    def test_relations(self):
        rng = random.Random(23)
        for k in range(30):
            scene = sample_scene(rng, n_objects=2, allow_held_out=True)
            a, b = scene.objects
            holds = [r for r in RELATIONS if relation_holds(r, a.row, a.col, b.row, b.col)]
            phrase_a, phrase_b = full_phrase(a, cell=None), full_phrase(b, cell=None)
            right = [f"{phrase_a} {r} {phrase_b}" for r in holds]
            wrong = [f"{phrase_a} {r} {phrase_b}" for r in RELATIONS if r not in holds]
            self.assert_verdicts(scene, right, wrong, seed=k)


@needs_numpy
class JudgeApiTest(unittest.TestCase):
    scene = Scene("black", (SceneObject("orange", "cross", "large", 0, 2, 5 / 6, 1 / 6),
                            SceneObject("purple", "circle", "small", 2, 0, 1 / 6, 5 / 6)))

    def test_result_fields_and_every_input_form(self):
        image = render(self.scene)
        data = png_of(image)
        caption = "an orange cross above a purple circle"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "scene.png")
            path.write_bytes(data)
            results = [judge(source, caption) for source in
                       (image, data, str(path), path, _pixels(image))]
        for result in results:
            self.assertEqual(result, results[0])
        self.assertEqual(set(results[0]), {"satisfied", "background", "objects", "reason"})
        self.assertTrue(results[0]["satisfied"])
        self.assertEqual(results[0]["reason"], "satisfied")
        read = [(o["color"], o["shape"], o["row"], o["col"]) for o in results[0]["objects"]]
        self.assertEqual(read, [("orange", "cross", 0, 2), ("purple", "circle", 2, 0)])

    def test_reasons(self):
        image = render(self.scene)
        for caption, reason in [
            ("a cross", "the caption names 1 object, the image holds 2"),
            ("a cross above a circle on a white background", "the background is black, not white"),
            ("a cross below a circle", "'below' does not hold"),
            ("a green cross above a circle", "no object is a green cross"),
            ("an orange cross at the top right and a circle at the top",
             "no object is a circle in the top"),
        ]:
            with self.subTest(caption):
                result = judge(image, caption)
                self.assertFalse(result["satisfied"])
                self.assertEqual(result["reason"], reason)

    def test_bad_caption_raises(self):
        with self.assertRaises(CaptionError):
            judge(render(self.scene), "a cross beside a circle")

    def test_speed(self):
        """Pure Python: a 64 px PNG (Paeth-filtered, the slowest) judged in well under 20 ms."""
        rng = random.Random(30)
        images = [png_of(render(sample_scene(rng))) for _ in range(40)]
        start = time.perf_counter()
        for data in images:
            judge(data, "a circle")
        per_image = (time.perf_counter() - start) / len(images)
        print(f"\njudge speed: {per_image * 1000:.1f} ms per 64 px PNG", file=sys.stderr)
        self.assertLess(per_image, 0.05)    # loose: the machine may be busy


@needs_numpy
class CliTest(unittest.TestCase):
    CLI = str(TRAINING / "judge.py")

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.png = self.folder / "scene.png"
        scene = Scene("white", (SceneObject("blue", "triangle", "small", 1, 1, 0.5, 0.5),))
        self.png.write_bytes(png_of(render(scene)))

    def run_cli(self, *args, stdin=None):
        return subprocess.run([sys.executable, self.CLI, *map(str, args)], input=stdin,
                              capture_output=True, text=True, timeout=60)

    def assert_bad_input(self, done, message):
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, "")
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertIn(message, done.stderr)

    def test_single_image(self):
        done = self.run_cli(self.png, "A small blue triangle, in the middle!")
        self.assertEqual(done.returncode, 0, done.stderr)
        result = json.loads(done.stdout)
        self.assertTrue(result["satisfied"])
        done = self.run_cli(self.png, "a blue triangle at the top")
        self.assertEqual(done.returncode, 0)
        self.assertFalse(json.loads(done.stdout)["satisfied"])

    def test_batch_keeps_extra_fields(self):
        batch = self.folder / "batch.jsonl"
        lines = [{"png": str(self.png), "caption": "a triangle", "id": 1, "category": "x"},
                 {"png": str(self.png), "caption": "a red triangle", "id": 2}]
        batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
        for args, stdin in [((("--batch", batch)), None), (("--batch", "-"), batch.read_text())]:
            done = self.run_cli(*args, stdin=stdin)
            self.assertEqual(done.returncode, 0, done.stderr)
            results = [json.loads(line) for line in done.stdout.splitlines()]
            self.assertEqual([(r["id"], r["satisfied"]) for r in results], [(1, True), (2, False)])
            self.assertEqual(results[0]["category"], "x")

    def test_bad_input(self):
        not_png = self.folder / "notes.png"
        not_png.write_text("hello")
        batch = self.folder / "batch.jsonl"
        batch.write_text(json.dumps({"png": str(self.png), "caption": "a triangle"})
                         + "\n[1, 2]\n")
        cases = [
            ((self.folder / "missing.png", "a circle"), "no such file"),
            ((not_png, "a circle"), "not a PNG file"),
            ((self.png, "a circle near a square"), "caption 'a circle near a square'"),
            ((self.png,), "give an image and a caption"),
            (("--batch", self.folder / "missing.jsonl"), "cannot read"),
            (("--batch", batch), "line 2: not a JSON object"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                done = self.run_cli(*args)
                if args[0] == "--batch" and "line" in message:
                    self.assertEqual(len(done.stdout.splitlines()), 1)    # line 1 was judged
                    done = subprocess.CompletedProcess(done.args, done.returncode, "", done.stderr)
                self.assert_bad_input(done, message)
                self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
