"""The order of turns of a team, as a pure function of its members and their weights."""

import functools
import math


@functools.lru_cache(maxsize=512)
def turn_wheel(weights):
    """The cycle of turns for ``weights``, a tuple of ``(key, weight)`` pairs in the
    members' order, each weight a positive integer.

    Each key appears ``weight / g`` times in the cycle (``g`` the greatest common divisor
    of the weights, so that weights 30 and 60 make a cycle of three turns, not ninety).
    With equal weights the cycle is the members' order. Otherwise each member's turns are
    spread over the cycle: no two neighbours of the cycle, the last and the first
    included, are the same key whenever that is possible at all (no key holds more than
    half of the turns); when one member holds more, the others' turns split theirs into
    runs as even as can be. A pure function of its argument: every worker and every
    restart computes the same cycle, so the cycle is cached per process.
    """
    weights = tuple((key, int(weight)) for key, weight in weights if int(weight) > 0)
    if not weights:
        return ()
    divisor = functools.reduce(math.gcd, (weight for _key, weight in weights))
    counts = [(key, weight // divisor) for key, weight in weights]
    if all(count == 1 for _key, count in counts):
        return tuple(key for key, _count in counts)
    return tuple(_spread(counts))


def _spread(counts):
    """``counts`` [(key, count)] laid out as a cycle of ``sum(count)`` turns with each
    key's turns as far apart as they can be."""
    # sorted() is stable: among equal counts, the members' order
    ordered = sorted(counts, key=lambda pair: -pair[1])
    size = sum(count for _key, count in ordered)
    top_key, top = ordered[0]
    if 2 * top > size:
        # one member holds more than half of the turns: the others' turns split theirs
        # into runs as even as can be (no two of the others' turns side by side)
        others = _spread(ordered[1:]) if len(ordered) > 1 else []
        if not others:
            return [top_key] * top
        run, longer = divmod(top, len(others))
        wheel = []
        for index, other in enumerate(others):
            wheel += [top_key] * (run + (index < longer)) + [other]
        return wheel
    # the turns, most first, on every other slot, then on the slots in between
    turns = [key for key, count in ordered for _turn in range(count)]
    slots = [*range(0, size, 2), *range(1, size, 2)]
    wheel = [None] * size
    for slot, key in zip(slots, turns, strict=True):
        wheel[slot] = key
    return wheel
