"""Datasets and preprocessing."""
import numpy as np
import pytest

from nnlib import data, linear_regression, metrics
from nnlib.gradcheck import numerical_gradient


@pytest.mark.parametrize("make", [data.two_moons, data.circles, data.spirals, data.blobs])
def test_2d_datasets(make):
    X, y = make(seed=3)
    assert X.ndim == 2 and X.shape[1] == 2 and len(X) == len(y) and y.dtype.kind == "i"
    X2, y2 = make(seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)  # seeded, no global state


def test_logic_gates_in_both_codings():
    X, t = data.logic_gate("xor")
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and t.tolist() == [0, 1, 1, 0]
    Xb, tb = data.logic_gate("nand", coding="bipolar")
    assert set(Xb.ravel()) == {-1.0, 1.0} and tb.tolist() == [1, 1, 1, -1]


def test_digits_ship_with_scikit_learn():
    X, y = data.digits()
    assert X.shape == (1797, 64) and 0 <= X.min() and X.max() <= 1 and set(y) == set(range(10))
    assert data.digits(flatten=False)[0].shape == (1797, 8, 8)


def test_one_hot_and_labels():
    T = data.one_hot(np.array([2, 0, 1]))
    assert T.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert metrics.labels(T).tolist() == [2, 0, 1]
    with pytest.raises(ValueError, match="0 … 1"):
        data.one_hot(np.array([0, 2]), n_classes=2)


def test_standardize_uses_training_statistics():
    rng = np.random.default_rng(0)
    A = rng.normal(3, 2, (100, 3))
    Z, mu, sd = data.standardize(A)
    assert np.allclose(Z.mean(0), 0) and np.allclose(Z.std(0), 1)
    Z2, _, _ = data.standardize(A[:10], mu, sd)
    assert np.allclose(Z2, Z[:10])


def test_split_and_stratify():
    X, y = data.digits()
    parts = data.split(X, y, (0.6, 0.2, 0.2), seed=0, stratify=True)
    assert sum(len(p[0]) for p in parts) == len(X)
    for Xp, yp in parts:
        assert abs(np.mean(yp == 3) - np.mean(y == 3)) < 0.02
    with pytest.raises(ValueError, match="sum to 1"):
        data.split(X, y, (0.5, 0.2))


def test_kfold_partitions_the_samples():
    folds = list(data.kfold(23, k=5, seed=0))
    assert len(folds) == 5
    val = np.concatenate([v for _, v in folds])
    assert sorted(val.tolist()) == list(range(23))
    for train, v in folds:
        assert not set(train) & set(v) and len(train) + len(v) == 23


def test_shift_images():
    img = np.zeros((1, 3, 3))
    img[0, 1, 1] = 1
    assert data.shift_images(img, dx=1)[0, 1, 2] == 1 and data.shift_images(img, dy=-1)[0, 0, 1] == 1
    assert data.shift_images(img, dx=5).sum() == 0


def test_confusion_matrix():
    C = metrics.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    assert C.tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]


def test_linear_regression_gradient_and_minimum():
    x, t = data.linear_regression()
    for a, b in [(0.92, -1.0), (0.11, 2.5), (0.52, -0.1)]:
        w = np.array([a, b])
        numeric = numerical_gradient(lambda v: linear_regression.mse(v[0], v[1], x, t), w)
        assert np.allclose(linear_regression.gradient(a, b, x, t), numeric, rtol=1e-6)
        direct = np.mean((t - (a * x + b)) ** 2)
        assert linear_regression.mse(a, b, x, t) == pytest.approx(direct)
    a_star, b_star = linear_regression.least_squares(x, t)
    assert np.allclose(linear_regression.gradient(a_star, b_star, x, t), 0, atol=1e-9)
    # on a grid, the expanded formula agrees with the direct one
    A, B = np.meshgrid([-2, 0, 4], [-6, 8])
    assert np.allclose(linear_regression.mse(A, B, x, t),
                       [[np.mean((t - (a * x + b)) ** 2) for a in [-2, 0, 4]] for b in [-6, 8]])
