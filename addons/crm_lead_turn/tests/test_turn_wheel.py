import itertools
from collections import Counter

from odoo.tests import BaseCase

from ..models.turn_wheel import turn_wheel


class TestTurnWheel(BaseCase):
    """The cycle of turns, a pure function of the members and their weights."""

    def test_equal_weights_keep_the_members_order(self):
        self.assertEqual(turn_wheel((("a", 1), ("b", 1), ("c", 1))), ("a", "b", "c"))
        self.assertEqual(turn_wheel((("c", 30), ("a", 30))), ("c", "a"))

    def test_weights_give_turns_in_proportion_reduced(self):
        wheel = turn_wheel((("a", 60), ("b", 30), ("c", 30)))
        self.assertEqual(Counter(wheel), {"a": 2, "b": 1, "c": 1})
        self.assertEqual(wheel, ("a", "b", "a", "c"))
        self.assertEqual(len(turn_wheel((("a", 45), ("b", 30)))), 5, "gcd 15: 3 + 2 turns")

    def test_members_without_weight_take_no_turn(self):
        self.assertEqual(turn_wheel((("a", 0), ("b", 2), ("c", 0))), ("b",))
        self.assertEqual(turn_wheel(()), ())
        self.assertEqual(turn_wheel((("a", 0),)), ())

    def test_never_the_same_twice_in_a_row_when_the_weights_allow_it(self):
        """Every weighting of up to five members (weights 1 to 5) where no member holds
        more than half of the turns: no two neighbours of the cycle (the last and the
        first included, the cycle repeats) are the same member."""
        checked = 0
        for size in range(2, 6):
            for weights in itertools.product(range(1, 6), repeat=size):
                wheel = turn_wheel(tuple(zip("abcde", weights, strict=False)))
                total = len(wheel)
                counts = Counter(wheel)
                self.assertEqual(
                    [counts[key] for key in "abcde"[:size]],
                    [weight * total // sum(weights) for weight in weights],
                )
                if max(counts.values()) > total // 2:
                    continue
                checked += 1
                neighbours = [(wheel[i], wheel[(i + 1) % total]) for i in range(total)]
                self.assertFalse(
                    [pair for pair in neighbours if pair[0] == pair[1]], f"{weights}: {wheel}"
                )
        self.assertGreater(checked, 2000)

    def test_a_dominant_member_still_lets_the_others_in(self):
        """Five turns of six for one member cannot all be apart: the others' turns split
        them as evenly as they can (runs of at most three, of the fewest possible)."""
        wheel = turn_wheel((("a", 5), ("b", 1), ("c", 1)))
        self.assertEqual(Counter(wheel), {"a": 5, "b": 1, "c": 1})
        runs, run = [], 0
        for key in wheel + wheel:
            run = run + 1 if key == "a" else 0
            runs.append(run)
        self.assertLessEqual(max(runs), 3)
