#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hand-checked cases for cymref.py, so the reference of the differential test is itself
verified: every expected value below is worked out by hand in the comment beside it."""

import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cymref import (Node, RefError, aggregate_one, copeland, exact, impute,  # noqa: E402
                    normalise, pca_weights, rank_scores, run, skew_kurt, treat)

UP = Node("I", "P", direction=1)
DOWN = Node("I", "P", direction=-1)


class Moments(unittest.TestCase):
    def test_g1_g2(self):
        # x = 0,0,0,0,1: mean 0.2, m2 = (4 * 0.04 + 0.64)/5 = 0.16,
        # m3 = (4 * -0.008 + 0.512)/5 = 0.096, m4 = (4 * 0.0016 + 0.4096)/5 = 0.0832;
        # G1 = sqrt(20)/3 * 0.096/0.064 = sqrt(5);
        # G2 = (6 (0.0832/0.0256 - 3) + 6) * 4 / (3 * 2) = (6 * 0.25 + 6) * 4/6 = 5
        g1, g2 = skew_kurt([0, 0, 0, 0, 1])
        self.assertAlmostEqual(g1, math.sqrt(5), places=12)
        self.assertAlmostEqual(g2, 5, places=12)


class Treatment(unittest.TestCase):
    def test_one_step_passes(self):
        # 1..9 and 100 fails (G1 about 3.2, G2 about 10); 100 -> 9 gives 1..9, 9, which passes
        self.assertEqual(treat([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 5, 2, 3.5),
                         [1, 2, 3, 4, 5, 6, 7, 8, 9, 9])

    def test_spread_collapses(self):
        # 0,0,0,0,1 fails (G1 = sqrt 5, G2 = 5); 1 -> 0 leaves no spread: returned untreated
        self.assertEqual(treat([0, 0, 0, 0, 1], 5, 2, 3.5), [0, 0, 0, 0, 1])

    def test_collapse_with_inexact_mean(self):
        # -196.9, -45.9 x 5, 0.162 fails (G1 -2.18, G2 5.58); -196.9 -> -45.9 (low), then
        # 0.162 -> -45.9 (high) ties all seven: untreated, though the seven -45.9s have a
        # rounded double mean of -45.899999999999991
        x = [-196.9] + [-45.9] * 5 + [0.162]
        self.assertEqual(treat(x, 5, 2, 3.5), x)

    def test_log_fallback(self):
        # winmax 0: straight to log(x - min + 0.01 (max - min)) = log(x + 0.01)
        got = treat([0, 0, 0, 0, 1], 0, 2, 3.5)
        self.assertEqual(got, [math.log(0.01)] * 4 + [math.log(1.01)])

    def test_passes(self):
        # |G1| = sqrt 5 >= 2 but G2 = 5 < 6: passes, untouched
        self.assertEqual(treat([0, 0, 0, 0, 1], 5, 2, 6), [0, 0, 0, 0, 1])

    def test_ties_count_once(self):
        # 0 x 20, 1, 2, 100 fails, and so do the states after step 1 (100 -> 2: G1 2.68,
        # G2 6.06, by skew_kurt, checked above) and step 2 (both 2s -> 1: G1 2.35, G2 3.86).
        # After step 2 the points winsorised are 100 and 2, i.e. 2, not 1 + 2 = 3 (the 2 moved
        # first is counted once): with winmax 3 a third step is taken (three 1s -> 0), which
        # leaves no spread, so the values come back untreated; with winmax 2 it still fails
        # and the log of the original values follows
        x = [0] * 20 + [1, 2, 100]
        self.assertEqual(treat(x, 3, 2, 3.5), x)
        self.assertEqual(treat(x, 2, 2, 3.5)[-1], math.log(100 + 1))


class Normalisation(unittest.TestCase):
    def test_minmax_direction(self):
        # the oriented values of raw 2, 4, 6 with direction - are -2, -4, -6
        self.assertEqual(normalise([2, 4, 6], "minmax", 0, 100, UP), [0, 50, 100])
        self.assertEqual(normalise([-2, -4, -6], "minmax", 0, 100, DOWN), [100, 50, 0])
        self.assertEqual(normalise([3, 3], "minmax", 1, 11, UP), [6, 6])  # zero spread

    def test_zscore(self):
        # mean 2, sample sd 1
        self.assertEqual(normalise([1, 2, 3], "zscore", 0, 100, UP), [-1, 0, 1])
        self.assertEqual(normalise([1, 2, 3], "zscore:10,2", 0, 100, UP), [8, 10, 12])
        self.assertEqual(normalise([4, 4], "zscore:10,2", 0, 100, UP), [10, 10])
        # three equal values whose rounded mean is not their value: still no spread
        self.assertEqual(normalise([-48.378] * 3, "zscore:10,2", 0, 100, UP), [10] * 3)

    def test_ranks(self):
        # 5, 3, 3, 9: ranks from the worst, ties the lowest: 3, 1, 1, 4
        self.assertEqual(normalise([5, 3, 3, 9], "rank", 0, 100, UP), [3, 1, 1, 4])
        self.assertEqual(normalise([5, 3, 3, 9], "borda", 0, 100, UP), [2, 0, 0, 3])
        # (rank - 1)/(n - 1) * 100 = 2/3, 0, 0, 1
        got = normalise([5, 3, 3, 9], "percentile", 0, 100, UP)
        self.assertEqual([round(v, 9) for v in got], [66.666666667, 0, 0, 100])

    def test_distances(self):
        # dist2max: 1 - (6 - x)/4 = 0, 0.5, 1
        self.assertEqual(normalise([2, 4, 6], "dist2max", 0, 100, UP), [0, 50, 100])
        # fracmax: x/8
        self.assertEqual(normalise([2, 4, 8], "fracmax", 0, 100, UP), [25, 50, 100])
        # dist2ref, reference 4: 1 - (4 - x)/(4 - 2) = 0, 1, 2; capped 0, 1, 1
        self.assertEqual(normalise([2, 4, 6], "dist2ref:R", 0, 100, UP, [4, 4, 4]),
                         [0, 100, 200])
        self.assertEqual(normalise([2, 4, 6], "dist2ref:R:cap", 0, 100, UP, [4, 4, 4]),
                         [0, 100, 100])
        # the reference has no value: no score for anyone
        self.assertEqual(normalise([2, 4], "dist2ref:R", 0, 100, UP, [None, None]),
                         [None, None])
        # dist2target, target 5: (x - 2)/3 capped = 0, 2/3, 1
        t = Node("I", "P", target=5)
        got = normalise([2, 4, 6], "dist2target", 0, 1, t)
        self.assertEqual([round(v, 12) for v in got], [0, round(2 / 3, 12), 1])
        # direction -: raw 2, 4, 6 and target 3 are -2, -4, -6 and -3: (x + 6)/3 capped
        t = Node("I", "P", direction=-1, target=3)
        got = normalise([-2, -4, -6], "dist2target", 0, 1, t)
        self.assertEqual([round(v, 12) for v in got], [1, round(2 / 3, 12), 0])

    def test_goalposts(self):
        # raw -5, 5, 20 on goalposts 0 -> 10: clipped 0, 0.5, 1
        g = Node("I", "P", goal_lo=0, goal_hi=10)
        self.assertEqual(normalise([-5, 5, 20], "goalposts", 0, 100, g), [0, 50, 100])
        # lower is better: goal_lo 10 scores 0, goal_hi 0 scores 100; raw 5 (oriented -5)
        g = Node("I", "P", direction=-1, goal_lo=10, goal_hi=0)
        self.assertEqual(normalise([-5, -12], "goalposts", 0, 100, g), [50, 0])


class Aggregation(unittest.TestCase):
    def test_means(self):
        # x = 1, 4 with equal weights
        self.assertEqual(aggregate_one("arithmetic", [1, 4], [1, 1]), 2.5)
        self.assertAlmostEqual(aggregate_one("geometric", [1, 4], [1, 1]), 2, places=14)
        self.assertAlmostEqual(aggregate_one("harmonic", [1, 4], [1, 1]), 1.6, places=14)
        self.assertAlmostEqual(aggregate_one("power:2", [1, 4], [1, 1]), math.sqrt(8.5),
                               places=14)
        self.assertEqual(aggregate_one("min", [1, 4], [1, 1]), 1)
        # p = 160 on 100, 50: (0.5 (100^160 + 50^160))^(1/160) = 100 (0.5 (1 + 2^-160))^(1/160)
        # = 100 * 2^(-1/160) to double precision (100^160 alone is beyond doubles)
        self.assertAlmostEqual(aggregate_one("power:160", [100, 50], [1, 1]),
                               100 * 2 ** (-1 / 160), places=11)
        # weights as given: 2 * 1 + 3 * 4
        self.assertEqual(aggregate_one("sum", [1, 4], [2, 3]), 14)
        # weights 1, 3 rescaled to 0.25, 0.75: 0.25 + 3 = 3.25
        self.assertEqual(aggregate_one("arithmetic", [1, 4], [1, 3]), 3.25)

    def test_mazziotta_pareto(self):
        # 1, 3, equal weights: M = 2, S^2 = 1, M - S^2/M = 1.5
        self.assertEqual(aggregate_one("mazziotta-pareto", [1, 3], [1, 1]), 1.5)
        # weights 1, 3: M = 2.5, S^2 = 0.25 * 2.25 + 0.75 * 0.25 = 0.75, 2.5 - 0.3 = 2.2
        self.assertAlmostEqual(aggregate_one("mazziotta-pareto", [1, 3], [1, 3]), 2.2,
                               places=14)

    def test_refusals(self):
        self.assertRaises(RefError, aggregate_one, "geometric", [0, 4], [1, 1])
        self.assertRaises(RefError, aggregate_one, "harmonic", [-1, 4], [1, 1])
        self.assertRaises(RefError, aggregate_one, "mazziotta-pareto", [-1, 1], [1, 1])
        # (1 - 5 + 4)/3 = 0, though 1/3 + -5/3 + 4/3 in doubles is not
        self.assertRaises(RefError, aggregate_one, "mazziotta-pareto", [1, -5, 4], [1, 1, 1])

    def test_copeland_exact_ties(self):
        # weights 0.1, 0.2, 0.3: A beats B on 0.1 and 0.2 and loses on 0.3: a tie (in floats
        # 0.1 + 0.2 - 0.3 = 5.6e-17); both beat C. Scores 1, 1, -2
        w = [exact("0.1"), exact("0.2"), exact("0.3")]
        got = copeland({"A": [(0, 2, w[0]), (1, 2, w[1]), (2, 1, w[2])],
                        "B": [(0, 1, w[0]), (1, 1, w[1]), (2, 2, w[2])],
                        "C": [(0, 0, w[0]), (1, 0, w[1]), (2, 0, w[2])]})
        self.assertEqual(got, {"A": 1, "B": 1, "C": -2})

    def test_pca_two_children(self):
        # two children: the correlation matrix [[1, r], [r, 1]] has the first eigenvector
        # (1, 1)/sqrt 2 whatever r > 0, so the weights are 0.5 each
        w = pca_weights([[1, 2], [2, 3], [3, 7], [4, 5]])
        self.assertAlmostEqual(w[0], 0.5, places=12)
        self.assertAlmostEqual(w[1], 0.5, places=12)


class Imputation(unittest.TestCase):
    Y = [2018, 2019, 2020, 2021]

    def cells(self, vals):
        return {("A", y): v for y, v in zip(self.Y, vals)}

    def test_over_time(self):
        got = impute(self.cells([None, 1, None, 7]), ["A"], self.Y, "linear", {})
        self.assertEqual([got[("A", y)] for y in self.Y], [1, 1, 4, 7])
        got = impute(self.cells([1, None, None, None]), ["A"], self.Y, "locf:2", {})
        self.assertEqual([got[("A", y)] for y in self.Y], [1, 1, 1, None])

    def test_same_year(self):
        cells = {("A", 2020): 1.0, ("B", 2020): 2.0, ("C", 2020): 6.0, ("D", 2020): None}
        groups = {"A": {"g": "x"}, "B": {"g": "y"}, "C": {"g": "y"}, "D": {"g": "y"}}
        units = ["A", "B", "C", "D"]
        self.assertEqual(impute(cells, units, [2020], "mean", groups)[("D", 2020)], 3)
        self.assertEqual(impute(cells, units, [2020], "median", groups)[("D", 2020)], 2)
        self.assertEqual(impute(cells, units, [2020], "group-mean:g", groups)[("D", 2020)], 4)
        self.assertEqual(impute(cells, units, [2020], "constant:0", groups)[("D", 2020)], 0)


class Ranks(unittest.TestCase):
    def test_ties(self):
        s = {"A": 10, "B": 20, "C": 20, "D": 5}
        self.assertEqual(rank_scores(s, "min"), {"A": 3, "B": 1, "C": 1, "D": 4})
        self.assertEqual(rank_scores(s, "dense"), {"A": 2, "B": 1, "C": 1, "D": 3})
        # C's tie-break value is higher; then A < D by code
        self.assertEqual(rank_scores(s, "ordinal", {"A": 0, "B": 1, "C": 2, "D": 0}),
                         {"A": 3, "B": 2, "C": 1, "D": 4})


class Pipeline(unittest.TestCase):
    def test_small_index(self):
        # IDX = arithmetic of P (weight 1) and Q (weight 3); P has U (+) and D (-), equal
        # weights; Q has V only. Countries A, B, C in 2020:
        #   U: 0, 5, 10 -> minmax 0, 50, 100
        #   D: 2, 4, missing -> oriented -2, -4 -> 100, 0, missing
        #   V: 1, 1, 3 -> 0, 0, 100
        #   P: A (0 + 100)/2 = 50, B (50 + 0)/2 = 25, C 100 (D missing: U alone)
        #   IDX: A 0.25*50 + 0.75*0 = 12.5, B 6.25, C 25 + 75 = 100
        nodes = [Node("IDX", ""), Node("P", "IDX", "1"), Node("U", "P"),
                 Node("D", "P", direction=-1), Node("Q", "IDX", "3"), Node("V", "Q")]
        data = {("A", "U", 2020): 0, ("B", "U", 2020): 5, ("C", "U", 2020): 10,
                ("A", "D", 2020): 2, ("B", "D", 2020): 4,
                ("A", "V", 2020): 1, ("B", "V", 2020): 1, ("C", "V", 2020): 3}
        _, s, r = run(nodes, ["A", "B", "C"], {}, data, {})
        self.assertEqual([s[(u, 2020, "P")] for u in "ABC"], [50, 25, 100])
        self.assertEqual([s[(u, 2020, "IDX")] for u in "ABC"], [12.5, 6.25, 100])
        self.assertEqual([r[(u, 2020, "IDX")] for u in "ABC"], [2, 3, 1])
        self.assertEqual([r[(u, 2020, "V")] for u in "ABC"], [2, 2, 1])
        # min-coverage 0.6: C's P has half its weight, so no P; IDX then rests on Q alone
        # (share 0.75 >= 0.6): 100
        _, s, _ = run(nodes, ["A", "B", "C"], {}, data, {"min-coverage": "0.6"})
        self.assertIsNone(s[("C", 2020, "P")])
        self.assertEqual(s[("C", 2020, "IDX")], 100)

    def test_min_coverage_decimal_weights(self):
        # weights 0.6, 0.7, 0.2, 1.5, the last missing: 1.5 of 3 is 0.5, which meets 0.5 (in
        # binary the share is 0.49999999999999994): (0.6 + 0.7 * 2 + 0.2 * 3)/1.5 = 26/15
        nodes = [Node("IDX", ""), Node("A", "IDX", "0.6"), Node("B", "IDX", "0.7"),
                 Node("C", "IDX", "0.2"), Node("D", "IDX", "1.5")]
        data = {("U", "A", 2020): 1, ("U", "B", 2020): 2, ("U", "C", 2020): 3,
                ("V", "D", 2020): 1}
        _, s, _ = run(nodes, ["U", "V"], {}, data, {"normalise": "none", "min-coverage": "0.5"})
        self.assertAlmostEqual(s[("U", 2020, "IDX")], 26 / 15, places=14)
        # V has D alone: 1.5 of 3 as well, its value 1; at 0.6 neither is computed
        self.assertEqual(s[("V", 2020, "IDX")], 1)
        _, s, _ = run(nodes, ["U", "V"], {}, data, {"normalise": "none", "min-coverage": "0.6"})
        self.assertIsNone(s[("U", 2020, "IDX")])
        self.assertIsNone(s[("V", 2020, "IDX")])

    def test_log_on_raw_values_of_lower_is_better(self):
        # one indicator, direction -, raw 0, 0, 0, 0, 1 and winmax 0: the log of the RAW
        # values, log(x + 0.01), then flipped: -log 0.01 (4 times), -log 1.01; normalise none
        nodes = [Node("IDX", ""), Node("D", "IDX", direction=-1)]
        units = ["A", "B", "C", "E", "F"]
        data = {(u, "D", 2020): v for u, v in zip(units, [0, 0, 0, 0, 1])}
        _, s, _ = run(nodes, units, {}, data,
                      {"treat": "winsorise", "winmax": "0", "normalise": "none"})
        self.assertEqual([s[(u, 2020, "D")] for u in units],
                         [-math.log(0.01)] * 4 + [-math.log(1.01)])

    def test_dist2ref_reference_missing_in_one_year(self):
        # panel 2020-2021, reference R has no value in 2021: no score in 2021; in 2020
        # x_ref = 4, panel min 2: 1 - (4 - x)/2 -> A (2) 0, R (4) 100
        nodes = [Node("IDX", ""), Node("X", "IDX")]
        data = {("A", "X", 2020): 2, ("R", "X", 2020): 4, ("A", "X", 2021): 3}
        _, s, _ = run(nodes, ["A", "R"], {}, data, {"normalise": "dist2ref:R"})
        self.assertEqual(s[("A", 2020, "X")], 0)
        self.assertEqual(s[("R", 2020, "X")], 100)
        self.assertIsNone(s[("A", 2021, "X")])
        self.assertIsNone(s[("A", 2021, "IDX")])


if __name__ == "__main__":
    unittest.main()
