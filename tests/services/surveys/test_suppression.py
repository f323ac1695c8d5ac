"""The suppression rule: groups below k are hidden, and so is any group whose difference to another shown one is below k."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from services.surveys.suppression import Group, shown_groups

DAY = datetime.date(2030, 7, 1)


def group(path: str, count: int, round_id: int = 1, opens_on: datetime.date = DAY, days: int = 13) -> Group:
    return Group(round_id=round_id, unit_id=path, path=path, count=count, opens_on=opens_on,
                 last_day=opens_on + datetime.timedelta(days=days))


def test_a_group_below_k_is_not_shown():
    assert shown_groups([group("0001", 4)], k=5) == set()
    assert shown_groups([group("0001", 5)], k=5) == {(1, "0001")}


def test_a_single_respondent_is_never_shown():
    assert shown_groups([group("0001", 1), group("00010001", 1)], k=5) == set()


def test_a_unit_and_its_parent_differing_by_fewer_than_k_hide_the_smaller():
    shown = shown_groups([group("0001", 12), group("00010001", 10)], k=5)
    assert shown == {(1, "0001")}


def test_a_parent_minus_all_its_shown_children_must_not_reveal_a_small_group():
    # 6 + 6 shown children of 14: the remaining 2 would be revealed, so one child goes too.
    shown = shown_groups([group("0001", 14), group("00010001", 6), group("00010002", 6)], k=5)
    assert shown == {(1, "0001"), (1, "00010002")} or shown == {(1, "0001"), (1, "00010001")}


def test_a_difference_of_zero_or_at_least_k_is_allowed():
    shown = shown_groups([group("0001", 10), group("00010001", 10), group("00010001" + "0001", 5)], k=5)
    assert shown == {(1, "0001"), (1, "00010001"), (1, "000100010001")}


def test_overlapping_rounds_of_one_unit_differing_by_fewer_than_k_hide_the_smaller():
    first = group("0001", 8, round_id=1)
    overlapping = group("0001", 10, round_id=2, opens_on=DAY + datetime.timedelta(days=7))
    later = group("0001", 9, round_id=3, opens_on=DAY + datetime.timedelta(days=28))
    assert shown_groups([first, overlapping, later], k=5) == {(2, "0001"), (3, "0001")}


@st.composite
def survey_worlds(draw):
    """A random unit tree with random numbers of answers per unit, in up to three rounds that may overlap."""
    size = draw(st.integers(min_value=1, max_value=12))
    parents = [None] + [draw(st.integers(min_value=0, max_value=index - 1)) for index in range(1, size)]
    paths = []
    for index, parent in enumerate(parents):
        paths.append(f"{index + 1:04d}" if parent is None else paths[parent] + f"{index + 1:04d}")
    groups = []
    for round_id in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
        opens_on = DAY + datetime.timedelta(days=draw(st.integers(min_value=0, max_value=30)))
        own = [draw(st.integers(min_value=0, max_value=9)) for _ in paths]
        for path in paths:
            count = sum(n for other, n in zip(paths, own, strict=True) if other.startswith(path))
            if count:
                groups.append(group(path, count, round_id=round_id, opens_on=opens_on))
    return groups, draw(st.integers(min_value=2, max_value=6))


@settings(max_examples=300, deadline=None)
@given(survey_worlds())
def test_no_two_shown_groups_reveal_a_group_smaller_than_k(world):
    groups, k = world
    shown = [item for item in groups if item.key in shown_groups(groups, k=k)]
    assert all(item.count >= k for item in shown)
    for item in shown:
        for other in shown:
            if item.contains(other) or item.overlaps_in_time(other):
                assert not 0 < abs(item.count - other.count) < k, (item, other)
        below = [other for other in shown if item.contains(other)]
        nearest = [other for other in below if not any(middle.contains(other) for middle in below)]
        if nearest:
            assert not 0 < item.count - sum(other.count for other in nearest) < k


@settings(max_examples=100, deadline=None)
@given(survey_worlds())
def test_suppression_only_hides_what_the_rule_demands_of_groups_standing_alone(world):
    groups, k = world
    shown = shown_groups(groups, k=k)
    # A group of at least k that nests with nothing and overlaps nothing is always shown.
    for item in groups:
        alone = not any(item.contains(other) or other.contains(item) or item.overlaps_in_time(other)
                        for other in groups if other is not item)
        if alone and item.count >= k:
            assert item.key in shown
