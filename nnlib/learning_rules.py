"""Single-neuron learning rules: Hebbian, Rosenblatt's perceptron rule, and ADALINE
(LMS, Widrow–Hoff).

Each learner goes through the samples one at a time (online learning) and records every
step in a ``Trace``, so a chapter can print the table of every update.  Weights include
the bias weight w₀.

* Hebbian:     Δw = η t x, applied only when the sample is misclassified (or, Hebb's
  rule proper, always).
* Perceptron:  Δw = η (t − y) x with y = h(wᵀx); zero when the sample is right.
* ADALINE:     Δw = η (t − wᵀx) x — the error is measured *before* the threshold, so
  this is stochastic gradient descent on ½ (t − wᵀx)².
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_2d
from .neuron import threshold, with_bias_input


@dataclass
class Step:
    epoch: int
    sample: int
    x: np.ndarray          # the input with x₀ = 1 prepended
    target: float
    output: float          # the neuron's output before the update
    update: np.ndarray     # Δw
    weights: np.ndarray    # w after the update


@dataclass
class Trace:
    """Every step of an online learning run, with the outcome."""

    rule: str
    initial: np.ndarray
    steps: list = field(default_factory=list)
    converged: bool = False
    epochs: int = 0
    # mistakes (or mean squared error, ADALINE) per epoch
    epoch_errors: list = field(default_factory=list)
    # ADALINE only: "converged", "limit cycle", "diverged" or "max_epochs"
    status: str = ""
    # ADALINE, limit cycle: how far the weights move within an epoch
    cycle_size: float = 0.0
    # ADALINE: the learning rate, and 2 / max‖x‖² (every step is stable below it)
    eta: float = 0.0
    eta_bound: float = 0.0

    @property
    def weights(self):
        return self.steps[-1].weights if self.steps else self.initial

    @property
    def n_updates(self):
        return sum(bool(np.any(s.update)) for s in self.steps)

    @property
    def reason(self):
        if self.rule == "ADALINE":
            return self._adaline_reason()
        if not self.converged:
            return f"stopped at max_epochs = {self.epochs} without converging"
        return f"converged: epoch {self.epochs} made no mistake"

    def _adaline_reason(self):
        bound = f"η = {self.eta:g}, bound 2 / max‖x‖² = {self.eta_bound:.3g}"
        if self.status == "converged":
            return f"converged in epoch {self.epochs}: no weight moved ({bound})"
        if self.status == "limit cycle":
            return (f"limit cycle from epoch {self.epochs}: the weights repeat every "
                    f"epoch but move by {self.cycle_size:.3g} within it ({bound})")
        if self.status == "diverged":
            return (f"diverged: the weights grew every epoch up to epoch {self.epochs} "
                    f"({bound}); try a smaller learning rate")
        return (f"stopped at max_epochs = {self.epochs} with the weights still moving "
                f"({bound})")

    def rows(self):
        """One dict per step: epoch, sample, x, t, y, Δw, w."""
        return [dict(epoch=s.epoch, sample=s.sample, x=s.x, t=s.target, y=s.output,
                     dw=s.update, w=s.weights)
                for s in self.steps]

    def table(self, only_updates=False, digits=3):
        """The steps as a Markdown table (every step, or only those that changed w)."""
        def fmt(v):
            return "(" + ", ".join(f"{u:.{digits}g}" for u in np.atleast_1d(v)) + ")"

        lines = ["| epoch | sample | x | t | y | Δw | w after |",
                 "|---|---|---|---|---|---|---|"]
        for s in self.steps:
            if only_updates and not np.any(s.update):
                continue
            lines.append(f"| {s.epoch} | {s.sample} | {fmt(s.x)} | {s.target:g} | "
                         f"{s.output:.{digits}g} | {fmt(s.update)} | {fmt(s.weights)} "
                         "|")
        return "\n".join(lines)

    def _repr_markdown_(self):
        head = f"**{self.rule}**: {self.reason}, {self.n_updates} updates"
        return head + "\n\n" + self.table()


def _setup(X, t, w0, order):
    Xb = with_bias_input(X)
    t = np.asarray(t, dtype=float).ravel()
    if len(t) != len(Xb):
        raise ValueError(f"shape mismatch: X has shape {np.shape(X)} but t has shape "
                         f"{t.shape}")
    w = np.zeros(Xb.shape[1]) if w0 is None else np.array(w0, dtype=float).ravel()
    if w.shape != (Xb.shape[1],):
        raise ValueError(f"shape mismatch: w0 has shape {w.shape} but needs "
                         f"({Xb.shape[1]},): w₀ then one per input")
    order = np.arange(len(Xb)) if order is None else np.asarray(order, dtype=int)
    return Xb, t, w, order


def _check_coding(t, coding):
    allowed = {"binary": {0.0, 1.0}, "bipolar": {-1.0, 1.0}}[coding]
    if not set(np.unique(t)) <= allowed:
        raise ValueError(f"targets {sorted(set(np.unique(t)))} do not match the "
                         f"{coding} coding {sorted(allowed)}")


def _online(rule, update, X, t, eta, w0, coding, max_epochs, order):
    Xb, t, w, order = _setup(X, t, w0, order)
    _check_coding(t, coding)
    trace = Trace(rule, w.copy())
    for epoch in range(1, int(max_epochs) + 1):
        mistakes = 0
        for i in order:
            y = float(threshold(Xb[i] @ w, coding))
            dw = update(Xb[i], t[i], y, eta)
            mistakes += y != t[i]
            w = w + dw
            trace.steps.append(Step(epoch, int(i), Xb[i], t[i], y, dw, w.copy()))
        trace.epochs = epoch
        trace.epoch_errors.append(int(mistakes))
        if mistakes == 0:
            trace.converged = True
            break
    return trace


def hebbian(X, t, eta=0.5, w0=None, coding="bipolar", max_epochs=100, order=None,
            on_mistakes_only=True):
    """Hebbian learning: w ← w + η t x for each misclassified sample, online, until an
    epoch has no mistake.

    ``order`` is the order the samples are visited in each epoch (default 0, 1, …, N−1).
    With ``on_mistakes_only=False`` it is Hebb's rule proper: every sample adds η t x,
    right or wrong (one epoch of it from w = 0 gives w = η Σₙ tₙ xₙ); the run still
    stops after an epoch without mistakes.
    """
    def update(x, t_, y, eta):
        return eta * t_ * x if (y != t_ or not on_mistakes_only) else np.zeros_like(x)

    return _online("Hebbian" if on_mistakes_only else "Hebb (every sample)", update,
                   X, t, eta, w0, coding, max_epochs, order)


def perceptron(X, t, eta=0.1, w0=None, coding="binary", max_epochs=100, order=None):
    """Rosenblatt's rule: w ← w + η (t − y) x for each sample, online, until an epoch
    has no mistake."""
    return _online("perceptron", lambda x, t_, y, eta: eta * (t_ - y) * x, X, t, eta,
                   w0, coding, max_epochs, order)


def perceptron_update(w, x, t, eta=0.1, coding="binary"):
    """One application of the perceptron rule to the input x (bias input included):
    returns Δw."""
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    y = float(threshold(w @ x, coding))
    return eta * (t - y) * x


def adaline(X, t, eta=0.01, w0=None, coding="bipolar", max_epochs=100, order=None,
            tol=1e-6):
    """ADALINE / LMS: w ← w + η (t − wᵀx) x for each sample (stochastic gradient descent
    on ½(t − wᵀx)²).

    One step changes the error on its own sample by the factor 1 − η‖x‖², so every step
    is stable only if 0 < η‖x‖² < 2 for every sample (``eta_bound`` = 2 / max‖x‖²; above
    it the weights usually blow up). With a constant η the weights at the end of an
    epoch approach a fixed point; unless every sample is fitted exactly, the weights
    inside the epoch keep going round the same cycle (a limit cycle, whose size grows
    with η) and never settle at the least-squares weights.  The outcome, in ``status``:

    * ``"converged"``: an epoch moved no weight by more than ``tol`` (every sample is
      fitted exactly);
    * ``"limit cycle"``: the end-of-epoch weights repeat to ``tol`` but move by
      ``cycle_size`` within the epoch;
    * ``"diverged"``: the change of the end-of-epoch weights grew for five epochs in a
      row, or to 100 times its smallest value so far (or overflowed);
    * ``"max_epochs"``: none of these within ``max_epochs``.

    ``epoch_errors`` holds the mean squared error after each epoch; ``output`` in each
    step is wᵀx.
    """
    Xb, t, w, order = _setup(X, t, w0, order)
    _check_coding(t, coding)
    trace = Trace("ADALINE", w.copy(), status="max_epochs")
    trace.eta, trace.eta_bound = float(eta), float(2 / np.max(np.sum(Xb ** 2, axis=1)))
    moves = []   # ‖w at the end of the epoch − w at its start‖, per epoch
    for epoch in range(1, int(max_epochs) + 1):
        start, visited = w, []
        with np.errstate(over="ignore", invalid="ignore"):
            for i in order:
                s = float(Xb[i] @ w)
                dw = eta * (t[i] - s) * Xb[i]
                w = w + dw
                trace.steps.append(Step(epoch, int(i), Xb[i], t[i], s, dw, w.copy()))
                visited.append(w)
            error = float(np.mean((t - Xb @ w) ** 2))
            moves.append(float(np.linalg.norm(w - start)))
        trace.epochs = epoch
        trace.epoch_errors.append(error)
        if not (np.isfinite(error) and np.isfinite(moves[-1])):
            trace.status = "diverged"
            break
        if moves[-1] < tol:
            trace.cycle_size = float(max(np.linalg.norm(v - w) for v in visited))
            trace.status = "converged" if trace.cycle_size < tol else "limit cycle"
            break
        growing = (len(moves) > GROWING_EPOCHS
                   and all(np.diff(moves[-GROWING_EPOCHS - 1:]) > 0))
        if growing or moves[-1] > 100 * min(moves):
            trace.status = "diverged"
            break
    trace.converged = trace.status == "converged"
    return trace


# adaline reports divergence once the epoch-to-epoch change has grown this many times
# running
GROWING_EPOCHS = 5


def errors(w, X, t, coding="binary"):
    """Number of samples a threshold neuron with weights w misclassifies."""
    Xb = with_bias_input(X)
    return int(np.sum(threshold(Xb @ np.asarray(w, float),
                                coding) != np.asarray(t, float).ravel()))
