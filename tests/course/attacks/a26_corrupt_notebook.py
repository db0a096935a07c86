"""A submission that is not a notebook (truncated JSON): graded 0, flagged, and the reason is in the report."""
from ._common import flag_codes, student


def submit(course, ctx):
    course.submit(student(__name__), text='{"cells": [{"cell_type": "code", "source": "def sigmoid(')


def check(course, ctx):
    name = student(__name__)
    assert course.entry(name)["status"] == "graded"
    assert course.total(name) == 0 and None not in course.scores(name).values()
    assert "unreadable" in flag_codes(course, name)
    assert "not valid JSON" in course.messages(name)["test_sigmoid"]
