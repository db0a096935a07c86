"""Gradient-based optimizers and learning-rate schedules.

Every optimizer updates a list of parameter arrays in place from a matching list of
gradients: ``opt.step(params, grads)``.  State (velocities, running averages) is kept
per parameter, so the same optimizer works for an MLP's weights and for a point (a, b)
on a 2-D loss surface.

Updates, with g the gradient and η the learning rate:

* SGD:       w ← w − η g
* momentum:  v ← μ v − η g;  w ← w + v           (v remembers the previous step)
* Nesterov:  v ← μ v − η g;  w ← w + μ v − η g   (the look-ahead form, see the book)
* Adagrad:   G ← G + g²;  w ← w − η g / (√G + ε)
* RMSProp:   s ← ρ s + (1 − ρ) g²;  w ← w − η g / (√s + ε)
* Adam:      m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
             m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  w ← w − η m̂ / (√v̂ + ε)
"""
from __future__ import annotations

import numpy as np

from ._checks import in_range, lookup, positive


class ConstantLR:
    """η(e) = η₀.  Schedules take e = 0, 1, 2, … , the number of epochs already
    completed (epoch 1 has e = 0)."""

    def __init__(self, lr):
        self.lr0 = positive(lr, "learning rate")

    def __call__(self, epoch):
        return self.lr0

    def __repr__(self):
        return f"{self.lr0:g}"


class StepDecay(ConstantLR):
    """η(e) = η₀ · factor^⌊e / every⌋ (drop by ``factor`` every ``every`` epochs)."""

    def __init__(self, lr, factor=0.5, every=10):
        super().__init__(lr)
        self.factor, self.every = in_range(factor, 0.0, 1.0 + 1e-12,
                                           "decay factor"), int(every)

    def __call__(self, epoch):
        return self.lr0 * self.factor ** (epoch // self.every)

    def __repr__(self):
        return f"StepDecay({self.lr0:g}, factor={self.factor:g}, every={self.every})"


class ExponentialDecay(ConstantLR):
    """η(e) = η₀ · exp(−rate · e)."""

    def __init__(self, lr, rate=0.05):
        super().__init__(lr)
        self.rate = float(rate)

    def __call__(self, epoch):
        return self.lr0 * np.exp(-self.rate * epoch)

    def __repr__(self):
        return f"ExponentialDecay({self.lr0:g}, rate={self.rate:g})"


def schedule(lr):
    """A schedule from a number (constant) or a schedule object."""
    return lr if isinstance(lr, ConstantLR) else ConstantLR(lr)


class Optimizer:
    """Base class: keeps the learning-rate schedule and per-parameter state."""

    def __init__(self, lr):
        self.schedule = schedule(lr)
        self.lr = self.schedule(0)
        self.t = 0  # number of steps taken
        self.state = {}

    def start_epoch(self, completed):
        """Set η from the schedule for the epoch after ``completed`` epochs (``fit``
        calls this, with 0 first)."""
        self.lr = self.schedule(completed)

    def step(self, params, grads):
        """Update every parameter array in place from its gradient."""
        self.check(params, grads)
        self.t += 1
        for i, (w, g) in enumerate(zip(params, grads)):
            self.update(w, g, self.state.setdefault(i, {}))

    @staticmethod
    def check(params, grads):
        """Raise ValueError unless ``grads`` matches ``params`` array for array in
        shape."""
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameters but {len(grads)} gradients")
        for i, (w, g) in enumerate(zip(params, grads)):
            if w.shape != getattr(g, "shape", None):
                raise ValueError(f"shape mismatch: parameter {i} has shape {w.shape} "
                                 f"but its gradient has shape {np.shape(g)}")

    def reset(self):
        self.t, self.state = 0, {}

    def update(self, w, g, state):  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum μ."""

    def __init__(self, lr=0.1, momentum=0.0, nesterov=False):
        super().__init__(lr)
        self.momentum = in_range(float(momentum), 0.0, 1.0, "momentum μ")
        if nesterov and not momentum:
            raise ValueError("nesterov=True needs a momentum μ > 0")
        self.nesterov = bool(nesterov)

    def update(self, w, g, state):
        if not self.momentum:
            w -= self.lr * g
            return
        v = state.get("v")
        if v is None:
            v = state["v"] = np.zeros_like(w)
        v *= self.momentum
        v -= self.lr * g
        if self.nesterov:
            w += self.momentum * v - self.lr * g
        else:
            w += v

    def __repr__(self):
        kind = "Nesterov" if self.nesterov else "momentum"
        extra = f", {kind} {self.momentum:g}" if self.momentum else ""
        return f"SGD(lr={self.schedule!r}{extra})"


class Adagrad(Optimizer):
    def __init__(self, lr=0.1, eps=1e-8):
        super().__init__(lr)
        self.eps = eps

    def update(self, w, g, state):
        G = state.get("G")
        if G is None:
            G = state["G"] = np.zeros_like(w)
        G += g * g
        w -= self.lr * g / (np.sqrt(G) + self.eps)

    def __repr__(self):
        return f"Adagrad(lr={self.schedule!r})"


class RMSProp(Optimizer):
    def __init__(self, lr=0.01, rho=0.9, eps=1e-8):
        super().__init__(lr)
        self.rho, self.eps = in_range(rho, 0.0, 1.0, "decay ρ"), eps

    def update(self, w, g, state):
        s = state.get("s")
        if s is None:
            s = state["s"] = np.zeros_like(w)
        s *= self.rho
        s += (1 - self.rho) * g * g
        w -= self.lr * g / (np.sqrt(s) + self.eps)

    def __repr__(self):
        return f"RMSProp(lr={self.schedule!r}, rho={self.rho:g})"


class Adam(Optimizer):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = in_range(beta1, 0.0, 1.0, "β₁")
        self.beta2 = in_range(beta2, 0.0, 1.0, "β₂")
        self.eps = eps

    def update(self, w, g, state):
        if "m" not in state:
            state["m"], state["v"] = np.zeros_like(w), np.zeros_like(w)
        m, v = state["m"], state["v"]
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** self.t)
        v_hat = v / (1 - self.beta2 ** self.t)
        w -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self):
        return f"Adam(lr={self.schedule!r}, beta1={self.beta1:g}, beta2={self.beta2:g})"


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": lambda lr=0.1, momentum=0.9: SGD(lr, momentum=momentum),
    "nesterov": lambda lr=0.1, momentum=0.9: SGD(lr, momentum=momentum, nesterov=True),
    "adagrad": Adagrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}
NAMES = tuple(OPTIMIZERS)


def get(name, **settings):
    """An optimizer by name ("sgd", "momentum", "nesterov", "adagrad", "rmsprop",
    "adam")."""
    if isinstance(name, Optimizer):
        return name
    return lookup(OPTIMIZERS, name, "optimizer")(**settings)


def minimize(grad, w0, optimizer, steps=100, f=None):
    """Run ``optimizer`` on a function of a vector from ``w0``; return the trajectory.

    ``grad(w)`` gives ∇f(w).  Returns an array of shape (steps + 1, len(w0)) of every
    visited point (fewer rows if w stops being finite: the run ends at the first
    non-finite point), and the values f(w) along it if ``f`` is given.  Used for the 2-D
    loss-surface explorers.
    """
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(int(steps)):
        optimizer.step([w], [np.asarray(grad(w), dtype=float)])
        path.append(w.copy())
        if not np.all(np.isfinite(w)):
            break
    path = np.array(path)
    if f is None:
        return path
    return path, np.array([f(p) for p in path])
