"""fit: learns XOR and two moons, counts iterations, stops early, restores weights, fails loudly."""
import numpy as np
import pytest

import nnlib
from nnlib import data, optim


def test_fit_learns_xor():
    X, t = data.logic_gate("xor")
    net = nnlib.MLP([2, 4, 1], hidden="tanh", output="sigmoid", seed=1)
    h = nnlib.fit(net, X, t[:, None], loss="binary_cross_entropy", optimizer=optim.SGD(0.5, momentum=0.9),
                  epochs=400, progress=False)
    assert h.loss[-1] < 0.05
    assert np.array_equal(net.classify(X), t.astype(int))


def test_fit_learns_two_moons_with_minibatches():
    X, y = data.two_moons(300, noise=0.1, seed=0)
    net = nnlib.MLP([2, 16, 16, 2], hidden="relu", output="softmax", seed=0)
    h = nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", optimizer=optim.Adam(0.01), epochs=100,
                  batch_size=32, progress=False)
    assert h.loss[-1] < 0.1 and h.metrics["accuracy"][-1] > 0.97
    assert h.iterations == 100 * 10  # ⌈300 / 32⌉ = 10 iterations per epoch


@pytest.mark.parametrize("batch_size,per_epoch", [(None, 1), (1, 20), (8, 3), (20, 1)])
def test_iterations_per_epoch(batch_size, per_epoch):
    X, y = data.blobs(20, centers=2, seed=0)
    net = nnlib.MLP([2, 2], output="softmax")
    h = nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", epochs=3, batch_size=batch_size, progress=False)
    assert h.iterations == 3 * per_epoch


def test_batches_cover_every_sample_once():
    idx = list(nnlib.batches(10, 4, shuffle=True, rng=0))
    assert [len(b) for b in idx] == [4, 4, 2]
    assert sorted(np.concatenate(idx).tolist()) == list(range(10))


def test_fit_is_reproducible_with_a_seed():
    X, y = data.two_moons(100, seed=1)
    runs = []
    for _ in range(2):
        net = nnlib.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=3)
        runs.append(nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", epochs=5, batch_size=10, seed=7,
                              progress=False).loss)
    assert runs[0] == runs[1]


def test_divergence_stops_with_a_helpful_error():
    x, t = data.linear_regression()
    net = nnlib.MLP([1, 1], output="linear")
    with pytest.raises(nnlib.TrainingDiverged, match=r"epoch \d+.*smaller learning rate"):
        nnlib.fit(net, x[:, None], t[:, None], loss="mse", optimizer=optim.SGD(lr=1.0), epochs=100, progress=False)


def test_early_stopping_restores_the_best_weights():
    X, y = data.two_moons(60, noise=0.35, seed=2)
    (Xtr, ytr), (Xva, yva) = data.split(X, y, (0.5, 0.5), seed=0)
    net = nnlib.MLP([2, 64, 64, 2], hidden="relu", output="softmax", seed=0)
    h = nnlib.fit(net, Xtr, data.one_hot(ytr), loss="cross_entropy", optimizer=optim.Adam(0.02), epochs=500,
                  validation=(Xva, data.one_hot(yva)), patience=10, progress=False)
    assert h.stopped_early and h.epochs == h.best_epoch + 10
    assert net.loss(Xva, data.one_hot(yva), "cross_entropy") == pytest.approx(min(h.val_loss))
    assert len(h.metrics["val_accuracy"]) == h.epochs


def test_frozen_layers_do_not_change():
    X, y = data.blobs(50, centers=3, seed=0)
    net = nnlib.MLP([2, 5, 3], hidden="tanh", output="softmax", seed=0).freeze(1)
    before = net.layers[0].W.copy(), net.layers[1].W.copy()
    nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", epochs=5, progress=False)
    assert np.array_equal(net.layers[0].W, before[0]) and not np.array_equal(net.layers[1].W, before[1])


def test_transfer_from_copies_layers():
    src = nnlib.MLP([4, 6, 3], seed=0)
    dst = nnlib.MLP([4, 6, 2], seed=1).transfer_from(src, 1)
    assert np.array_equal(dst.layers[0].W, src.layers[0].W) and dst.layers[0].frozen and not dst.layers[1].frozen


def test_progress_bar_reports_epochs(capsys):
    X, t = data.logic_gate("and")
    nnlib.fit(nnlib.MLP([2, 1], output="sigmoid"), X, t[:, None], loss="binary_cross_entropy", epochs=3,
              progress=True)
    assert "epoch" in capsys.readouterr().err


def test_learning_rate_schedule_is_recorded():
    X, t = data.logic_gate("and")
    h = nnlib.fit(nnlib.MLP([2, 1], output="sigmoid"), X, t[:, None], loss="binary_cross_entropy", epochs=4,
                  optimizer=optim.SGD(optim.StepDecay(0.4, factor=0.5, every=2)), progress=False)
    assert h.lr == pytest.approx([0.4, 0.4, 0.2, 0.2])


def test_fit_input_errors():
    net = nnlib.MLP([2, 1])
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(3, 1\)"):
        nnlib.fit(net, np.zeros((4, 2)), np.zeros((3, 1)), progress=False)
    with pytest.raises(ValueError, match="validation"):
        nnlib.fit(net, np.zeros((4, 2)), np.zeros((4, 1)), patience=3, progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        nnlib.fit(net, np.zeros((4, 2)), np.zeros((4, 1)), batch_size=0, progress=False)
    with pytest.raises(ValueError, match=r"expects 2 inputs per row.*\(4, 3\)|\(4, 3\).*expects 2 inputs"):
        nnlib.fit(net, np.zeros((4, 3)), np.zeros((4, 1)), progress=False)
    with pytest.raises(ValueError, match=r"1 outputs per row but T has shape \(4, 2\)"):
        nnlib.fit(net, np.zeros((4, 2)), np.zeros((4, 2)), progress=False)
    with pytest.raises(ValueError, match="numeric"):
        nnlib.fit(net, np.array([["a", "b"]] * 4), np.zeros((4, 1)), progress=False)


def test_an_epoch_is_forward_backward_and_a_step_per_shuffled_batch():
    """fit's fast path gives exactly what the textbook loop gives: same weights, same mean loss."""
    X, y = data.two_moons(45, seed=2)
    T = data.one_hot(y, 2)
    net = nnlib.MLP([2, 6, 5, 2], hidden=["relu", "tanh"], output="softmax", seed=4)
    by_hand = net.copy()
    h = nnlib.fit(net, X, T, loss="cross_entropy", optimizer=optim.SGD(0.3), epochs=1, batch_size=7, seed=3,
                  progress=False)
    rng, losses = np.random.default_rng(3), []
    for idx in nnlib.batches(len(X), 7, rng=rng):
        losses.append(by_hand.loss(X[idx], T[idx], "cross_entropy", training=True) * len(idx))
        for (dW, db), layer in zip(by_hand.backward(T[idx], "cross_entropy"), by_hand.layers):
            layer.W -= 0.3 * dW
            layer.b -= 0.3 * db
    assert h.loss[0] == pytest.approx(sum(losses) / len(X), rel=1e-12)
    for mine, theirs in zip(net.parameters(), by_hand.parameters()):
        assert np.allclose(mine, theirs, rtol=1e-12, atol=1e-14)


def test_training_metrics_come_from_the_batches_already_computed():
    """The default call (accuracy for cross-entropy) makes one forward pass per batch and no more."""
    X, y = data.blobs(40, centers=3, seed=0)
    net = nnlib.MLP([2, 5, 3], hidden="tanh", output="softmax", seed=0)
    calls = []
    forward = net.forward
    net.forward = lambda *args, **kwargs: calls.append(1) or forward(*args, **kwargs)
    h = nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", epochs=4, batch_size=16, progress=False)
    assert len(calls) == h.iterations == 4 * 3 and len(h.metrics["accuracy"]) == 4


def test_full_batch_training_accuracy_is_that_of_the_weights_the_epoch_started_with():
    X, y = data.two_moons(60, noise=0.3, seed=0)
    T = data.one_hot(y)
    net = nnlib.MLP([2, 6, 2], hidden="tanh", output="softmax", seed=0)
    before = [nnlib.metrics.accuracy(net.predict(X), T)]
    record = lambda epoch, history, net: before.append(nnlib.metrics.accuracy(net.predict(X), T))
    h = nnlib.fit(net, X, T, loss="cross_entropy", optimizer=optim.SGD(2.0), epochs=8, progress=False,
                  callback=record)
    assert h.metrics["accuracy"] == before[:-1]  # epoch k's single batch ran on the weights after epoch k − 1
    assert len(set(before)) > 1


def test_epochs_are_numbered_from_one_everywhere():
    X, y = data.two_moons(60, noise=0.35, seed=2)
    (Xtr, ytr), (Xva, yva) = data.split(X, y, (0.5, 0.5), seed=0)
    seen = []
    h = nnlib.fit(nnlib.MLP([2, 32, 2], hidden="relu", output="softmax", seed=0), Xtr, data.one_hot(ytr),
                  loss="cross_entropy", optimizer=optim.Adam(0.02), epochs=300, validation=(Xva, data.one_hot(yva)),
                  patience=5, progress=False, callback=lambda epoch, history, net: seen.append(epoch))
    assert seen == list(range(1, h.epochs + 1)) == h.epoch_numbers.tolist()
    assert h.stopped_early and h.val_loss[h.best_epoch - 1] == min(h.val_loss)
    assert f"best epoch {h.best_epoch})" in repr(h)
    # TrainingDiverged names the epoch whose loss was not finite: the one after the last callback.
    x, t = data.linear_regression()
    finished = []
    with pytest.raises(nnlib.TrainingDiverged) as error:
        nnlib.fit(nnlib.MLP([1, 1], output="linear"), x[:, None], t[:, None], loss="mse", optimizer=optim.SGD(1.0),
                  epochs=1000, progress=False, callback=lambda epoch, history, net: finished.append(epoch))
    assert f"in epoch {finished[-1] + 1} " in str(error.value)
    # the single-neuron learning rules count the same way
    Xg, tg = data.logic_gate("or", coding="bipolar")
    trace = nnlib.learning_rules.hebbian(Xg, tg, eta=0.5)
    assert trace.steps[0].epoch == 1 and trace.steps[-1].epoch == trace.epochs


def test_selu_defaults_to_lecun_initialization():
    default = nnlib.MLP([400, 300, 300, 1], hidden="selu", seed=0)
    lecun = nnlib.MLP([400, 300, 300, 1], hidden="selu", seed=0, init="lecun")
    assert all(np.array_equal(a.W, b.W) for a, b in zip(default.layers[:2], lecun.layers[:2]))
    assert np.var(default.layers[0].W) == pytest.approx(1 / 400, rel=0.02)
    # what LeCun is for: the spread stays near 1 through 20 SELU layers (He's grows, see chapter 10)
    deep = nnlib.MLP([100] * 21 + [1], hidden="selu", seed=0)
    deep.predict(np.random.default_rng(0).normal(size=(500, 100)))
    assert 0.8 < deep.layers[19].z.std() < 1.2


def test_labels_pass_integer_labels_through():
    assert nnlib.metrics.labels(np.array([2, 0, 1])).tolist() == [2, 0, 1]
    assert nnlib.metrics.accuracy(np.eye(3)[[2, 0, 0]], np.array([2, 0, 1])) == pytest.approx(2 / 3)
