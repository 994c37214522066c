import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from seeded_sampling import Xoshiro128, sample_categorical  # noqa: E402


class XoshiroTest(unittest.TestCase):
    def test_matches_the_reference_c_implementation(self):
        g = Xoshiro128(0, state=[1, 2, 3, 4])
        self.assertEqual([g.next_uint32() for _ in range(4)], [11520, 0, 5927040, 70819200])

    def test_matches_the_reference_jump(self):
        g = Xoshiro128(0, state=[1, 2, 3, 4])
        for _ in range(4):
            g.next_uint32()
        g.jump()
        self.assertEqual([g.next_uint32() for _ in range(4)], [3046317961, 3130903476, 2327035934, 1140626159])


class SampleCategoricalTest(unittest.TestCase):
    def test_never_draws_removed_tokens_and_follows_the_weights(self):
        logits = np.array([0.0, -np.inf, np.log(3.0), -np.inf], np.float32)
        g = Xoshiro128(5)
        draws = [sample_categorical(logits, g) for _ in range(4000)]
        self.assertEqual(set(draws), {0, 2})
        self.assertAlmostEqual(draws.count(2) / len(draws), 0.75, delta=0.03)

    def test_refuses_a_row_with_nothing_left(self):
        with self.assertRaises(ValueError):
            sample_categorical(np.array([-np.inf, -np.inf], np.float32), Xoshiro128(1))


if __name__ == "__main__":
    unittest.main()
