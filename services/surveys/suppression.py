"""Which groups of a survey's results may be shown: the one rule, pure (no database), tested with hypothesis.

A group is the people of a unit and every unit below it who answered one round. It is shown only when

1. at least k answered (k = SURVEY_MIN_GROUP_SIZE), and
2. no difference of two shown groups reveals a smaller group (complementary suppression):
   - within a round, a shown unit minus its shown sub-units (the nearest shown ones below it) leaves either
     nobody or at least k people — so a unit and its parent, or a unit and all its shown children, never
     differ by 1 … k−1 answers;
   - the same unit in two overlapping rounds never differs by 1 … k−1 answers.

Where a pair breaks the rule the smaller group is suppressed as well, and the check runs again until nothing
breaks it. Counts of suppressed groups are never shown either.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Group:
    """Answers of one round in one unit subtree: `path` is the unit's materialised path (a prefix of those below)."""

    round_id: Hashable
    unit_id: Hashable
    path: str
    count: int
    opens_on: datetime.date
    last_day: datetime.date

    @property
    def key(self) -> tuple:
        return (self.round_id, self.unit_id)

    def contains(self, other: Group) -> bool:
        return self.round_id == other.round_id and other.path != self.path and other.path.startswith(self.path)

    def overlaps_in_time(self, other: Group) -> bool:
        return (self.round_id != other.round_id and self.unit_id == other.unit_id
                and self.opens_on <= other.last_day and other.opens_on <= self.last_day)


def _revealed(difference: int, k: int) -> bool:
    return 0 < difference < k


def _nearest_shown_below(group: Group, shown: list[Group]) -> list[Group]:
    below = [other for other in shown if group.contains(other)]
    return [other for other in below if not any(middle.contains(other) for middle in below)]


def _first_violation(shown: list[Group], k: int) -> Group | None:
    """A group to suppress so that one breach of rule 2 goes away, or None when there is none."""
    by_round: dict[Hashable, list[Group]] = defaultdict(list)
    by_unit: dict[Hashable, list[Group]] = defaultdict(list)
    for group in shown:
        by_round[group.round_id].append(group)
        by_unit[group.unit_id].append(group)
    for same_round in by_round.values():
        for group in same_round:
            nearest = _nearest_shown_below(group, same_round)
            if nearest and _revealed(group.count - sum(other.count for other in nearest), k):
                return min(nearest, key=lambda other: (other.count, other.path))
    for same_unit in by_unit.values():
        for group, other in combinations(same_unit, 2):
            if group.overlaps_in_time(other) and _revealed(abs(group.count - other.count), k):
                return min((group, other), key=lambda item: (item.count, str(item.round_id)))
    return None


def shown_groups(groups: Iterable[Group], *, k: int) -> set[tuple]:
    """The keys (round, unit) of the groups that may be shown."""
    shown = [group for group in groups if group.count >= k]
    while (suppress := _first_violation(shown, k)) is not None:
        shown.remove(suppress)
    return {group.key for group in shown}
