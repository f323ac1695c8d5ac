"""The trend of a unit's results over rounds as a server-rendered SVG line chart (no JavaScript).

Only shown rounds become points; a suppressed round is a gap. The same figures stand in a table beside the chart.
"""

from dataclasses import dataclass

from services.surveys.models import SCALE_MAX, SCALE_MIN

WIDTH = 480
HEIGHT = 200
MARGIN = 32


@dataclass(frozen=True)
class Series:
    name: str
    index: int
    segments: list[str]
    dots: list[tuple[float, float, float]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[int, float]]
    x_ticks: list[tuple[int, float]]


def _y(value: float) -> float:
    span = HEIGHT - 2 * MARGIN
    return round(HEIGHT - MARGIN - (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * span, 1)


def trend_chart(unit_result, categories) -> Chart:
    rounds = unit_result.rounds
    step = (WIDTH - 2 * MARGIN) / max(len(rounds) - 1, 1)
    xs = [round(MARGIN + index * step, 1) for index in range(len(rounds))]
    series = []
    for index, category in enumerate(categories):
        segments, current, dots = [], [], []
        for x, item in zip(xs, rounds, strict=True):
            value = item.means[index] if item.shown else None
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{x},{_y(value)}")
            dots.append((x, _y(value), value))
        if current:
            segments.append(" ".join(current))
        series.append(Series(name=category.name, index=index % 6, segments=segments, dots=dots))
    return Chart(width=WIDTH, height=HEIGHT, series=series,
                 y_ticks=[(value, _y(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)],
                 x_ticks=[(item.survey_round.number, x) for x, item in zip(xs, rounds, strict=True)])
