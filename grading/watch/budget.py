"""How many feedback runs a student gets: ``c.Watch.feedback_runs`` per ``c.Watch.budget_hours`` (nbgrader_config.py;
default 3 per 24 h), per student and assignment, counted from the watcher's ledger.

What counts is the ledger's ``run`` events, timed by the watcher's clock when grading was decided — never
file names or nbgrader's timestamps (a student writes both): a renamed notebook, a resubmission of the same
file with a new timestamp, two submissions in the same second are each a folder of their own, and each one that is
graded is a run.  A submission with exactly the files of one already graded for that student (the notebooks and
everything else, byte for byte) costs nothing: it gets that preview again, which tells the student nothing new.

The runs are also counted per owner of the inbound folder (its Unix uid) when that is not the watcher's own uid
(``c.Watch.count_by_owner``, default True): on a shared hub, a student who submits under made-up student ids
still owns the folders.  Turn it off where every student's files have the same uid (containers that all run as
``jovyan``), or they would share one budget.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

DEFAULT_RUNS = 3
DEFAULT_HOURS = 24.0


@dataclass(frozen=True)
class Budget:
    runs: int = DEFAULT_RUNS
    hours: float = DEFAULT_HOURS
    by_owner: bool = True

    @classmethod
    def from_config(cls, config):
        section = config.get("Watch", {}) if hasattr(config, "get") else {}
        runs = section.get("feedback_runs", DEFAULT_RUNS)
        hours = section.get("budget_hours", DEFAULT_HOURS)
        by_owner = section.get("count_by_owner", True)
        if type(runs) is not int or runs < 0 or not isinstance(hours, (int, float)) or hours <= 0 \
                or type(by_owner) is not bool:
            raise ValueError(f"c.Watch.feedback_runs must be an int >= 0, c.Watch.budget_hours a number > 0 and "
                             f"c.Watch.count_by_owner True or False (nbgrader_config.py has {runs!r}, {hours!r} "
                             f"and {by_owner!r})")
        return cls(runs, float(hours), by_owner)

    @property
    def seconds(self):
        return self.hours * 3600

    def charged(self, ledger, submission, now):
        """Times of the runs in the window that count against ``submission``'s student (or its folder's owner)."""
        since = now - self.seconds
        mine = os.getuid() if self.by_owner else submission.owner
        return sorted(other.charged_at for other in ledger.submissions.values()
                      if other.charged_at is not None and other.charged_at > since
                      and (other.student == submission.student
                           or (submission.owner != mine and other.owner == submission.owner)))

    def next_run(self, ledger, submission, now=None):
        """None if a run is available now, else the time (epoch seconds) when the next one is."""
        now = time.time() if now is None else now
        times = self.charged(ledger, submission, now)
        if len(times) < self.runs:
            return None
        if self.runs == 0:
            return float("inf")
        return times[len(times) - self.runs] + self.seconds

    def used(self, ledger, now=None):
        """student -> runs charged in the window, for every student the ledger knows (one pass)."""
        now = time.time() if now is None else now
        used = dict.fromkeys((s.student for s in ledger.submissions.values()), 0)
        for s in ledger.submissions.values():
            if s.charged_at is not None and s.charged_at > now - self.seconds:
                used[s.student] += 1
        return used
