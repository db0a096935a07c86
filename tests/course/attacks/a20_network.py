"""Open network connections: to a server on the grading machine's loopback, to a public DNS server, a DNS
lookup. The sandbox has its own empty network namespace: nothing gets out."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

NET = r'''import socket
ok = []
for host, port in [("127.0.0.1", {port}), ("8.8.8.8", 53), ("1.1.1.1", 443)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        ok.append(host)
    except OSError:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    ok.append("dns")
except OSError:
    pass
print("NET:", ok)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(NET.format(port=ctx.port)))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert "NET: []" in course.outputs(name)
    assert ctx.connections == []
    assert course.total(name) == MAX_SCORE
