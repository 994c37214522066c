"""Evaluation prompts: reserved for evaluation, satisfiable, of their category, repeatable."""
import json
from pathlib import Path
import random
import subprocess
import sys
import unittest

TRAINING = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAINING))

from world.captions import is_evaluation_caption, normalize, parse  # noqa: E402
from world.judge import judge  # noqa: E402
from world.prompts import (CATEGORIES, category_of, sample_prompts,  # noqa: E402
                            states_held_out_pair)
from world.scene import sample_scene  # noqa: E402

try:
    from world.render import render
except ImportError:
    render = None

N = 200
FORMS = {"one_object": "single", "two_positions": "positions", "relation": "relation"}


class SamplePromptsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prompts = {c: sample_prompts(c, N, seed=0) for c in CATEGORIES}

    def test_reserved_for_evaluation_distinct_and_normalised(self):
        for category, prompts in self.prompts.items():
            with self.subTest(category):
                self.assertEqual(len(prompts), N)
                self.assertEqual(len(set(prompts)), N)
                self.assertTrue(all(map(is_evaluation_caption, prompts)))
                self.assertEqual(prompts, [normalize(p) for p in prompts])

    def test_categories(self):
        for category, prompts in self.prompts.items():
            for text in prompts:
                with self.subTest(category=category, prompt=text):
                    caption = parse(text)
                    self.assertEqual(category_of(text), category)
                    if category == "held_out":
                        self.assertTrue(states_held_out_pair(caption))
                    else:
                        self.assertFalse(states_held_out_pair(caption))
                        self.assertEqual(caption.form, FORMS[category])
                    if caption.form == "positions":
                        cells = [p.cell for p in caption.objects]
                        self.assertNotEqual(cells[0], cells[1])
                    colors = [p.color for p in caption.objects if p.color]
                    self.assertEqual(len(colors), len(set(colors)))

    def test_held_out_prompts_come_in_every_form(self):
        forms = {parse(t).form for t in self.prompts["held_out"]}
        self.assertEqual(forms, {"single", "positions", "relation"})

    def test_satisfiable_by_a_rendered_scene(self):
        """A scene sampled for the prompt, rendered, satisfies it in the judge's eyes."""
        if render is None:
            self.skipTest("numpy is not installed")
        rng = random.Random(1)
        for category, prompts in self.prompts.items():
            for text in prompts[:25]:
                scene = sample_scene(rng, constraints=parse(text),
                                     allow_held_out=category == "held_out")
                with self.subTest(prompt=text, scene=scene):
                    self.assertTrue(judge(render(scene), text)["satisfied"])

    def test_repeatable_per_seed(self):
        self.assertEqual(sample_prompts("relation", 30, seed=0), self.prompts["relation"][:30])
        self.assertNotEqual(sample_prompts("relation", 30, seed=1), self.prompts["relation"][:30])

    def test_unknown_category(self):
        with self.assertRaisesRegex(ValueError, "unknown category"):
            sample_prompts("three_objects", 1, seed=0)


class EvalPromptsCliTest(unittest.TestCase):
    def test_jsonl_per_category(self):
        done = subprocess.run([sys.executable, str(TRAINING / "eval_prompts.py"),
                               "--per-category", "5", "--seed", "3"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        self.assertEqual([r["category"] for r in rows], [c for c in CATEGORIES for _ in range(5)])
        for category in CATEGORIES:
            self.assertEqual([r["prompt"] for r in rows if r["category"] == category],
                             sample_prompts(category, 5, seed=3))


if __name__ == "__main__":
    unittest.main()
