"""Training loop: ``fit`` runs an optimizer over mini-batches for a number of epochs.

One epoch visits every training sample once.  With N samples and batch size B there are ⌈N / B⌉
iterations (parameter updates) per epoch: B = N is batch gradient descent, B = 1 is stochastic
(online) gradient descent, anything between is mini-batch gradient descent.
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
    """What happened during ``fit``: per-epoch loss, validation loss, metrics and learning rate."""

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

    def __repr__(self):
        last = f", final loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", val loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        stop = f", stopped early (best epoch {self.best_epoch})" if self.stopped_early else ""
        return f"History({self.epochs} epochs, {self.iterations} iterations{last}{val}{stop})"


def batches(N, batch_size=None, shuffle=True, rng=None):
    """Yield index arrays that split range(N) into mini-batches of ``batch_size`` (the last may be smaller)."""
    B = N if batch_size is None else int(batch_size)
    if B < 1:
        raise ValueError(f"batch_size must be ≥ 1 (or None for the full batch), got {batch_size}")
    order = np.random.default_rng(rng).permutation(N) if shuffle else np.arange(N)
    for start in range(0, N, B):
        yield order[start:start + B]


def _check_finite(value, epoch, optimizer):
    if not math.isfinite(value):  # a Python float: math is 15× quicker than np.isfinite here
        raise TrainingDiverged(
            f"the loss became {value} in epoch {epoch} (learning rate {optimizer.lr:g}): training diverged. "
            f"Try a smaller learning rate (for example {optimizer.lr / 10:g}) or standardize the inputs."
        )


def train_epoch(net, X, T, loss, optimizer, batch_size=None, shuffle=True, rng=None):
    """One pass over (X, T), already checked by ``net.check_data``: forward, loss, backward, step per batch.

    Returns the mean of the mini-batch losses (weighted by batch size) and the number of updates.
    """
    params = net.parameters(trainable_only=True)
    forward, current_loss, backpropagate = net.forward, net.current_loss, net.backpropagate
    gradients, step = net.parameter_gradients, optimizer.step
    total, updates = 0.0, 0
    # A diverging run is reported by the caller from the returned (NaN or infinite) mean loss.
    with np.errstate(over="ignore", invalid="ignore"):
        for idx in batches(len(X), batch_size, shuffle, rng):
            x, t = X.take(idx, axis=0), T.take(idx, axis=0)  # = X[idx], T[idx], about twice as quick
            forward(x, True, True)  # training=True, checked=True: X and T were checked once
            total += current_loss(t, loss, True) * len(t)
            backpropagate(t, loss)
            step(params, gradients(True), True)  # checked: the gradients have the parameters' shapes
            updates += 1
    return total / len(X), updates


def fit(net, X, T, loss="mse", optimizer=None, epochs=100, batch_size=None, shuffle=True, seed=0,
        validation=None, patience=None, restore_best=True, metrics=None, progress=True, callback=None):
    """Train ``net`` on (X, T) and return a History.

    * ``optimizer``: an nnlib.optim optimizer (default SGD with η = 0.1).
    * ``batch_size``: None for full-batch, 1 for online SGD, else mini-batches; ``shuffle`` reshuffles
      every epoch with a Generator seeded by ``seed``.
    * ``validation=(X_val, T_val)``: record the validation loss each epoch; with ``patience`` stop
      after that many epochs without improvement and (``restore_best``) restore the best weights.
    * ``metrics``: names from nnlib.metrics (default: accuracy for cross-entropy losses).
    * ``callback(epoch, history, net)``: called after every epoch; return True to stop.

    The recorded training loss of an epoch is the mean of its mini-batch losses (the objective
    including weight decay), measured as the batches were trained on.
    """
    X, T = net.check_data(X, T)
    if patience is not None and validation is None:
        raise ValueError("early stopping (patience) needs validation=(X_val, T_val)")
    optimizer = optimizer or optim.SGD(lr=0.1)
    loss = losses.get(loss)  # resolved once, not per batch
    if metrics is None:
        metrics = ["accuracy"] if loss.name in ("cross_entropy", "binary_cross_entropy") else []
    metric_fns = {name: getattr(metric_functions, name) for name in metrics}
    history = History(metrics={name: [] for name in metrics} | {f"val_{name}": [] for name in metrics if validation})
    rng = np.random.default_rng(seed)
    best, best_loss, waited = None, np.inf, 0
    bar = _progress(epochs) if progress else None

    for epoch in range(int(epochs)):
        optimizer.start_epoch(epoch)
        mean_loss, updates = train_epoch(net, X, T, loss, optimizer, batch_size, shuffle, rng)
        _check_finite(mean_loss, epoch, optimizer)
        history.loss.append(mean_loss)
        history.iterations += updates
        history.lr.append(float(optimizer.lr))
        if metric_fns:
            Y = net.predict(X)
            for name, fn in metric_fns.items():
                history.metrics[name].append(fn(Y, T))
        if validation is not None:
            val = net.loss(*validation, loss=loss)
            history.val_loss.append(val)
            for name, fn in metric_fns.items():
                history.metrics[f"val_{name}"].append(fn(net.Y, as_2d(validation[1], "T_val")))
            if val < best_loss:
                best_loss, history.best_epoch, waited = val, epoch, 0
                if patience is not None and restore_best:
                    best = net.get_weights()
            else:
                waited += 1
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{history.loss[-1]:.4g}", **({"val": f"{history.val_loss[-1]:.4g}"}
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
    # The text bar (not tqdm.auto's widget): it works in a terminal and in Jupyter, and an executed
    # notebook keeps its final state ("100% … 50/50") rather than a widget's first frame.
    from tqdm import tqdm

    return tqdm(total=int(total), desc="training", unit="epoch", leave=True)
