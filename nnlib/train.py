"""Training loop: ``fit`` runs an optimizer over mini-batches for a number of epochs.

One epoch visits every training sample once.  With N samples and batch size B there are
⌈N / B⌉ iterations (parameter updates) per epoch: B = N is batch gradient descent, B = 1
is stochastic (online) gradient descent, anything between is mini-batch gradient
descent.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import losses
from . import metrics as metric_functions
from . import optim
from ._checks import as_2d


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite."""


@dataclass
class History:
    """What happened during ``fit``: per-epoch loss, validation loss, metrics and
    learning rate.

    Epochs are numbered from 1, as in the book: ``loss[0]`` is the loss of epoch 1,
    ``best_epoch`` is an epoch number (its validation loss is
    ``val_loss[best_epoch - 1]``), and ``epoch_numbers`` is 1, 2, …, ``epochs`` for
    plotting.
    """

    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    lr: list = field(default_factory=list)
    iterations: int = 0
    stopped_early: bool = False
    best_epoch: int | None = None

    @property
    def epochs(self):
        return len(self.loss)

    @property
    def epoch_numbers(self):
        return np.arange(1, self.epochs + 1)

    def __repr__(self):
        last = f", final loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", val loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        stop = (f", stopped early (best epoch {self.best_epoch})"
                if self.stopped_early else "")
        return (f"History({self.epochs} epochs, {self.iterations} "
                f"iterations{last}{val}{stop})")


def visiting_order(N, shuffle=True, rng=None):
    """The order an epoch visits the N samples in: a fresh permutation (``shuffle``) or
    0, 1, …, N − 1."""
    return np.random.default_rng(rng).permutation(N) if shuffle else np.arange(N)


def batches(N, batch_size=None, shuffle=True, rng=None, order=None):
    """Yield index arrays that split range(N) into mini-batches of ``batch_size`` (the
    last may be smaller).

    The samples are taken in ``order`` if given, else in
    ``visiting_order(N, shuffle, rng)``.
    """
    B = N if batch_size is None else int(batch_size)
    if B < 1:
        raise ValueError("batch_size must be ≥ 1 (or None for the full batch), got "
                         f"{batch_size}")
    order = visiting_order(N, shuffle, rng) if order is None else order
    for start in range(0, N, B):
        yield order[start:start + B]


def _check_finite(value, epoch, optimizer):
    if not math.isfinite(value):
        raise TrainingDiverged(
            f"the loss became {value} in epoch {epoch} (learning rate "
            f"{optimizer.lr:g}): training diverged. Try a smaller learning rate (for "
            f"example {optimizer.lr / 10:g}) or standardize the inputs."
        )


def train_epoch(net, X, T, loss, optimizer, batch_size=None, shuffle=True, rng=None,
                outputs=None):
    """One pass over (X, T), already checked by ``net.check_data``: forward, loss,
    backward, step per batch.

    Returns the mean of the mini-batch losses (weighted by batch size), the number of
    updates and the order the samples were visited in.  If ``outputs`` is a list, each
    batch's outputs are appended to it as computed when the batch was trained on (so
    ``np.concatenate(outputs)`` lines up with ``T[order]``, and training metrics need
    no second forward pass).
    """
    params = net.parameters(trainable_only=True)
    order = visiting_order(len(X), shuffle, rng)
    total, updates = 0.0, 0
    # A diverging run is reported by the caller from the returned (NaN or infinite) mean
    # loss.
    with np.errstate(over="ignore", invalid="ignore"):
        for idx in batches(len(X), batch_size, order=order):
            # the rows idx of X and T: take is X[idx] without the general indexing
            # machinery: a 64–128–10 epoch (batch 32) took 15–20 % less time with it
            x, t = X.take(idx, axis=0), T.take(idx, axis=0)
            y = net.forward(x, training=True)
            total += net.current_loss(t, loss) * len(t)
            net.backward(t, loss)
            optimizer.step(params, net.parameter_gradients(trainable_only=True))
            updates += 1
            if outputs is not None:
                # y itself, not a copy: the next batch's forward pass makes new arrays
                outputs.append(y)
    return total / len(X), updates, order


def fit(net, X, T, loss="mse", optimizer=None, epochs=100, batch_size=None,
        shuffle=True, seed=0,
        validation=None, patience=None, restore_best=True, metrics=None, progress=True,
        callback=None):
    """Train ``net`` on (X, T) and return a History.

    * ``optimizer``: an nnlib.optim optimizer (default SGD with η = 0.1).
    * ``batch_size``: None for full-batch, 1 for online SGD, else mini-batches;
      ``shuffle`` reshuffles every epoch with a Generator seeded by ``seed``.
    * ``validation=(X_val, T_val)``: record the validation loss each epoch; with
      ``patience`` stop after that many epochs without improvement and
      (``restore_best``) restore the best weights.
    * ``metrics``: names of label metrics from nnlib.metrics, called as
      ``metric(outputs, targets or their class labels)`` (default: accuracy for
      cross-entropy losses).
    * ``callback(epoch, history, net)``: called after every epoch with its number (1, 2,
      …); return True to stop.

    The recorded training loss and training metrics of an epoch are measured on the
    mini-batches as they were trained on (in training mode, so with dropout if the net
    has any, and with the weights changing during the epoch): the loss is the mean of
    the mini-batch losses (the objective, weight penalty included), a metric compares
    every sample's output in its batch with its class label.  This costs no extra
    forward pass.  For the metrics of the final weights, evaluate them:
    ``accuracy(net.predict(X), T)``.  Validation loss and metrics are computed after the
    epoch, in evaluation mode.
    """
    X, T = net.check_data(X, T)
    if patience is not None and validation is None:
        raise ValueError("early stopping (patience) needs validation=(X_val, T_val)")
    optimizer = optimizer or optim.SGD(lr=0.1)
    loss = losses.get(loss)  # resolved once, not per batch
    if metrics is None:
        metrics = ["accuracy"] if loss.name in ("cross_entropy",
                                                "binary_cross_entropy") else []
    metric_fns = {name: getattr(metric_functions, name) for name in metrics}
    names = list(metrics) + [f"val_{name}" for name in metrics if validation]
    history = History(metrics={name: [] for name in names})
    rng = np.random.default_rng(seed)
    best, best_loss, waited = None, np.inf, 0
    target_labels = metric_functions.labels(T) if metric_fns else None
    bar = _progress(epochs) if progress else None

    for epoch in range(1, int(epochs) + 1):
        # the schedule's η after epoch − 1 completed epochs
        optimizer.start_epoch(epoch - 1)
        outputs = [] if metric_fns else None  # the epoch's batch outputs, in order
        mean_loss, updates, order = train_epoch(net, X, T, loss, optimizer, batch_size,
                                                shuffle, rng, outputs=outputs)
        _check_finite(mean_loss, epoch, optimizer)
        history.loss.append(mean_loss)
        history.iterations += updates
        history.lr.append(float(optimizer.lr))
        if metric_fns:
            outputs, visited_labels = np.concatenate(outputs), target_labels.take(order)
        for name, fn in metric_fns.items():
            history.metrics[name].append(fn(outputs, visited_labels))
        if validation is not None:
            val = net.loss(*validation, loss=loss)
            history.val_loss.append(val)
            for name, fn in metric_fns.items():
                history.metrics[f"val_{name}"].append(fn(net.Y,
                                                         as_2d(validation[1], "T_val")))
            if val < best_loss:
                best_loss, history.best_epoch, waited = val, epoch, 0
                if patience is not None and restore_best:
                    best = net.get_weights()
            else:
                waited += 1
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{history.loss[-1]:.4g}",
                            **({"val": f"{history.val_loss[-1]:.4g}"}
                               if history.val_loss else {}))
        stop = callback(epoch, history, net) if callback else False
        if patience is not None and waited >= patience:
            history.stopped_early = True
            stop = True
        if stop:
            break
    if bar is not None:
        bar.close()
    if history.stopped_early and best is not None:
        net.set_weights(best)
    return history


def _progress(total):
    # The text bar (not tqdm.auto's widget): it works in a terminal and in Jupyter, and
    # an executed notebook keeps its final state ("100% … 50/50") rather than a widget's
    # first frame.
    from tqdm import tqdm

    return tqdm(total=int(total), desc="training", unit="epoch", leave=True)
