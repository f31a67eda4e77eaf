"""The data of one chart as ``static/js/charts.js`` draws it with Chart.js.

A page puts the dict in a ``json_script`` tag and a ``<canvas data-chart="ID">`` beside
the table that holds the same figures (``templates/includes/chart.html``). Numbers are
sent as strings (Decimal stays exact; the script turns them into numbers to draw)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.functional import Promise


def month_label(month: date) -> str:
    return f"{month:%m.%Y}"


def series(label: str | Promise, values: Iterable, *, kind: str | None = None, dashed: bool = False,
           stack: str | None = None) -> dict:
    """One dataset; ``kind`` ("line" or "bar") overrides the chart's type for a mixed chart."""
    data = {"label": str(label), "data": [None if v is None else str(v) for v in values]}
    if kind:
        data["type"] = kind
    if dashed:
        data["dashed"] = True
    if stack:
        data["stack"] = stack
    return data


def chart(kind: str, labels: Iterable, datasets: list[dict], *, money: bool = False,
          stacked: bool = False, y_max: int | None = None, horizontal: bool = False) -> dict:
    """``kind`` is a Chart.js type ("bar", "line"); ``money`` formats the axis and tooltips in
    euros; ``horizontal`` lays bars sideways (long labels); ``y_max`` is the value axis' top."""
    return {
        "type": kind,
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "money": money,
        "stacked": stacked,
        "yMax": y_max,
        "horizontal": horizontal,
    }
