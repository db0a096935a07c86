"""Write forged grader messages ("ok" replies, events, garbage) into every open file descriptor. The grader
rejects anything that does not answer its request and flags the submission; nothing is gained."""
from ._common import add_cells, answers, flag_codes, graded, student

FORGE = r'''import os, json
lines = [json.dumps({"id": "x", "ok": True, "value": 1}), json.dumps({"event": "hello"}),
         json.dumps({"id": None, "ok": True, "value": {"$remote": 0, "type": "x", "callable": True}}), "garbage"]
for fd in range(3, 40):
    for line in lines:
        try:
            os.write(fd, (line + "\n").encode())
        except OSError:
            pass'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(FORGE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == 0
    assert "protocol" in flag_codes(course, name)
    assert "malformed" in course.messages(name)["test_sigmoid"]
