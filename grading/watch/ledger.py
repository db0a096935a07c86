"""The watcher's durable record: an append-only JSON-lines file (``grading.journal.Journal``: one line per
event, flushed and fsynced before the next step), replayed at start-up into what each submission has reached.

Events, in the order one submission goes through them (``id`` is the inbound folder's name):

``seen``     noticed and copied into the course folder (student, owner uid, nbgrader's timestamp, the time)
``run``      a feedback run is charged to the student (written *before* grading starts: two runs at once cannot
             both slip under the budget, and a restart regrades it without charging again)
``same``     the same files as an earlier graded submission of the student's: its preview again, no charge
``over``     over the budget: not graded now; ``next`` is when a run is available again
``graded`` / ``failed``   the preview is saved in the course folder (before this line)
``sent``     the feedback file is in the exchange

A ``kill -9`` between two steps is resumed at the step after the last line: a submission with ``run`` but no
``graded`` is graded again (its first grade never finished); one with ``graded`` but no ``sent`` is released from
the saved preview, never regraded.  A line cut short by the kill is ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..journal import Journal

FINAL = ("graded", "failed")


@dataclass
class Submission:
    id: str
    student: str = ""
    owner: int = -1
    timestamp: str = ""
    seen: float = 0.0
    key: str = ""                    # hash of the submitted files and the tests (secret and timestamp left out)
    events: dict = field(default_factory=dict)     # event name -> its line

    @property
    def step(self):
        """The last step reached: seen, run, same, over, graded, failed or sent."""
        order = ("sent", "graded", "failed", "same", "over", "run", "seen")
        return next(name for name in order if name in self.events)

    @property
    def charged_at(self):
        run = self.events.get("run")
        return run["t"] if run else None


class Ledger(Journal):
    """Every submission the watcher has seen, by id, in the order it saw them."""

    def __init__(self, path):
        super().__init__(path)
        self.submissions = {}
        for event in self.entries():
            if isinstance(event.get("id"), str) and isinstance(event.get("e"), str):
                self._apply(event)

    def _apply(self, event):
        submission = self.submissions.get(event["id"])
        if submission is None:
            if event["e"] != "seen":
                return
            submission = self.submissions[event["id"]] = Submission(
                event["id"], event.get("student", ""), event.get("owner", -1), event.get("timestamp", ""),
                event.get("t", 0.0), event.get("key", ""))
        submission.events.setdefault(event["e"], event)

    def record(self, e, id, **fields):
        event = dict(fields, e=e, id=id)
        self.append(event)
        self._apply(event)

    def pending(self):
        """Submissions to decide or grade (seen, or charged but not finished), in the order they were seen."""
        return [s for s in self.submissions.values() if s.step in ("seen", "run")]

    def unsent(self):
        return [s for s in self.submissions.values() if s.step in FINAL + ("same", "over")]
