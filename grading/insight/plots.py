"""The item analysis's plots (matplotlib, embedded in the page as PNG): pass rates, scores, concepts."""
from __future__ import annotations

import numpy as np

from .page import figure_png, new_figure


def pass_rates(stats):
    """Horizontal bars: the share of the class that passed each test cell."""
    labels = [s.item.grade_id for s in stats]
    rates = [100 * (s.pass_rate or 0) for s in stats]
    figure = new_figure(8, 0.8 + 0.28 * len(stats))
    axes = figure.subplots()
    y = np.arange(len(stats))
    axes.barh(y, rates, color="#4878a8")
    axes.set_yticks(y, labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("students who passed (%)")
    for yi, rate in zip(y, rates):
        axes.text(min(rate + 1, 92), yi, f"{rate:.0f}", va="center", fontsize=8)
    return figure_png(figure, "pass rate of each test cell")


def score_histogram(totals, max_score):
    figure = new_figure(7, 3)
    axes = figure.subplots()
    top = max(max_score, max(totals, default=0))
    bins = np.arange(0, np.floor(top) + 2) - 0.5 if top <= 60 else 30
    axes.hist(totals, bins=bins, color="#6a9f58", edgecolor="white")
    axes.set_xlabel(f"total score (of {max_score:g})")
    axes.set_ylabel("students")
    return figure_png(figure, "histogram of the total scores")


def concept_heat_map(concepts, share):
    """Concepts (rows) × assignments (columns): the class's share of each concept's points; blank where untested."""
    names = sorted(concepts)
    assignments = sorted({a for by_assignment in concepts.values() for a in by_assignment})
    values = np.full((len(names), len(assignments)), np.nan)
    for i, concept in enumerate(names):
        for j, assignment in enumerate(assignments):
            if assignment in concepts[concept]:
                values[i, j] = 100 * share(concepts[concept][assignment])
    figure = new_figure(1.6 + 1.1 * len(assignments), 0.8 + 0.32 * len(names))
    axes = figure.subplots()
    image = axes.imshow(values, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(range(len(assignments)), assignments, rotation=30, ha="right")
    axes.set_yticks(range(len(names)), names)
    for (i, j), value in np.ndenumerate(values):
        if not np.isnan(value):
            axes.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=8)
    figure.colorbar(image, ax=axes, label="share of the points (%)")
    return figure_png(figure, "concept by assignment heat map of the class's share of the points")
