"""Answers of the wrong kind: NaN arrays, complex numbers, a bool for an int, an object-dtype array, strings,
an array subclass (np.matrix): each fails its test with a message saying what came back."""
from ._common import MAX_SCORE, answers, graded, student

CODE = {
    "sigmoid": "def sigmoid(a):\n    return np.full(np.shape(a), np.nan)",
    "sigmoid_prime": "def sigmoid_prime(a):\n    return np.array(np.full(np.shape(a), 0.25), dtype=object)",
    "mse": "def mse(Y, T):\n    return complex(float(np.sum((Y - T) ** 2) / len(Y)), 0)",
    "n_params": "n_params = True",
    "minibatches": "def minibatches(N, batch_size):\n    return [str(list(range(N)))]",
    "sgd": "def sgd_step(w, grad, lr):\n    return np.matrix(w - lr * grad)",
}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE - 7       # only numerical_gradient is right
    messages = course.messages(name)
    assert "NaN" in messages["test_sigmoid"]
    assert "dtype object" in messages["test_sigmoid_prime"]
    assert "complex" in messages["test_mse"]
