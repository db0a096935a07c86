"""Store the hidden inputs a hidden test passes, then replay them where the student still sees something: as the
answers to *later visible* tests (whose failure messages used to quote the value at the largest difference), as
the shape of a wrong array or of a global (quoted by hidden tests' messages), as the "k times the expected one"
factor, and as the name of an exception class.  After the first hidden call, each test may tell the student only a
message of a fixed vocabulary: no hidden value, and none of the numbers the attack encodes, may appear anywhere
the student looks (issue #23, class 1)."""
import numpy as np

from ._common import answers, graded, student

TAG = 7919          # the first dimension of an encoded shape (the code writes it as 7000 + 919)

CODE = {
    "sigmoid": '''H = []
def sigmoid(a):
    a = np.asarray(a, dtype=float)
    if a.size > 2:
        H.extend(a.ravel().tolist())     # the hidden test's (4, 7) input
    return 1 / (1 + np.exp(-a))''',
    "sigmoid_prime": '''def sigmoid_prime(a):
    a = np.asarray(a, dtype=float)
    if H and a.size == 5:                # the visible test, after the hidden one: replay five hidden values
        return np.array(H[:5])
    if H:                                # hidden calls: a shape that spells a hidden value
        return np.zeros((0, 7000 + 919, int(abs(H[0]) * 1e6)))
    s = sigmoid(a)
    return s * (1 - s)''',
    "mse": '''def mse(Y, T):
    if H and len(Y) == 2:                # visible: "expected 0.5, got <a hidden value>"
        return H[5]
    return float(np.sum((Y - T) ** 2) / len(Y)) * H[6]      # hidden: "every value is <H[6]> times ..."''',
    "n_params": "n_params = np.zeros((0, 7000 + 919, int(abs(H[7]) * 1e6))) if H else 13",
    "numgrad": '''def numerical_gradient(f, x, h=1e-5):
    return np.array(H[8:8 + np.asarray(x).size]).reshape(np.shape(x))''',
    "minibatches": '''def minibatches(N, batch_size):
    raise type("E" + str(int(abs(H[9]) * 1e6)), (Exception,), {})()
    yield''',
    "sgd": '''def sgd_step(w, grad, lr):
    w[...] = np.array(H[10:10 + w.size]).reshape(w.shape)''',
}


def _hidden_inputs():
    """The demo's hidden input of test_sigmoid (default_rng(7), shape (4, 7)), computed as the test does."""
    return np.random.default_rng(7).normal(size=(4, 7)).ravel().tolist()


def _forms(x):
    return {f"{x:.6g}", f"{x:.5g}", repr(x)[:8]}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid"] == 1
    shown = course.outputs(name) + ctx.feedback(name) + "\n".join(course.messages(name).values())
    assert ctx.feedback(name), "no feedback was generated"
    hidden = _hidden_inputs()
    for x in hidden[:14]:
        for form in _forms(x):
            assert form not in shown, (form, x)
    encoded = [str(int(abs(hidden[i]) * 1e6)) for i in (0, 7, 9)]
    for number in encoded + [str(TAG)]:
        assert number not in shown, number
