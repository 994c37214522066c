"""Constants of the shapes world, spec v1. The single place where the spec's numbers live."""

OBJECT_COLORS = {
    "red": (220, 38, 38),
    "orange": (245, 140, 20),
    "yellow": (240, 210, 30),
    "green": (30, 160, 70),
    "blue": (35, 90, 220),
    "purple": (140, 60, 190),
}
BACKGROUND_COLORS = {
    "white": (245, 245, 240),
    "gray": (128, 128, 128),
    "black": (20, 20, 20),
}
COLOR_NAMES = list(OBJECT_COLORS)
BACKGROUND_NAMES = list(BACKGROUND_COLORS)
SHAPES = ["circle", "square", "triangle", "cross"]

SIZE_EXTENT = {"small": 0.16, "large": 0.28}
SIZE_WORDS = {"small": "small", "little": "small", "large": "large", "big": "large"}
# The judge's size threshold: the larger side of a region's bounding box.
SMALL_LARGE_THRESHOLD = 0.22

JITTER = 0.015
GRID = 3

POSITION_CELLS = {
    "top left": (0, 0), "top": (0, 1), "top right": (0, 2),
    "left": (1, 0), "center": (1, 1), "middle": (1, 1), "right": (1, 2),
    "bottom left": (2, 0), "bottom": (2, 1), "bottom right": (2, 2),
}
RELATIONS = ["above", "below", "to the left of", "to the right of"]

HELD_OUT_PAIRS = {("green", "triangle"), ("purple", "circle"), ("orange", "cross")}

# Objects are regions of at least this fraction of the canvas (spec, judging step 3).
MIN_OBJECT_AREA = 0.3 * 0.16 ** 2 * 0.5


def cell_center(row, col):
    return ((col + 0.5) / GRID, (row + 0.5) / GRID)
