"""One epoch of plain mini-batch SGD with cross-entropy, side by side in one process:

  nnlib's default ``fit`` call (float64 and float32), which also records the epoch's training loss and
  training accuracy and checks that the loss is finite · a minimal hand-written NumPy loop · PyTorch on
  the CPU (if installed) · scikit-learn's MLPClassifier (partial_fit = one epoch)

on two textbook-sized networks: 784–256–10 with batch 128 and 64–128–10 with batch 32 (ReLU hidden
layer, softmax output), synthetic data.  The candidates are interleaved round by round so that a noisy,
shared machine slows all of them alike; the table gives the median and the best ms per epoch, their
ratios to the minimal NumPy loop of the same dtype, and the median of the per-round ratios.

Every candidate gets the same number of threads (``--threads``, default 1): NumPy's and scikit-learn's
BLAS through threadpoolctl, PyTorch through ``torch.set_num_threads``.  Unequal thread counts make the
comparison unfair both ways: spare BLAS threads spin and slow PyTorch down, and on two cores a second
thread halves the large network's matrix products.

    .venv/bin/python benchmarks/bench_mlp.py [--rounds 21] [--threads 1] [--json results.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

import nnlib

SHAPES = [((784, 256, 10), 128, 4096), ((64, 128, 10), 32, 4096)]  # sizes, batch size, samples
LR = 0.05


def synthetic(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    return X, y, nnlib.data.one_hot(y, sizes[-1])


def numpy_loop(sizes, batch, dtype):
    """The least code that trains the same network: no checks, no loss, no bookkeeping."""
    rng = np.random.default_rng(0)
    W1 = (rng.normal(size=(sizes[1], sizes[0])) * np.sqrt(2 / sizes[0])).astype(dtype)
    W2 = (rng.normal(size=(sizes[2], sizes[1])) * np.sqrt(2 / sizes[1])).astype(dtype)
    b1, b2 = np.zeros(sizes[1], dtype), np.zeros(sizes[2], dtype)

    def epoch(X, T):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            x, t = X[idx], T[idx]
            a1 = x @ W1.T + b1
            z1 = np.maximum(a1, 0)
            a2 = z1 @ W2.T + b2
            e = np.exp(a2 - a2.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
            d2 = (y - t) / len(x)
            d1 = (d2 @ W2) * (a1 > 0)
            # in-place updates (the arrays belong to the enclosing function)
            np.subtract(W2, LR * (d2.T @ z1), out=W2)
            np.subtract(b2, LR * d2.sum(0), out=b2)
            np.subtract(W1, LR * (d1.T @ x), out=W1)
            np.subtract(b1, LR * d1.sum(0), out=b1)

    return epoch


def nnlib_fit(sizes, batch, dtype):
    """The call a student makes: ``fit``'s defaults, so it also records the epoch's training loss and
    (the default metric for cross-entropy) training accuracy, checks the loss is finite and counts updates."""
    net = nnlib.MLP(sizes, hidden="relu", output="softmax", seed=0, dtype=dtype)
    opt = nnlib.optim.SGD(lr=LR)

    def epoch(X, T):
        nnlib.fit(net, X, T, loss="cross_entropy", optimizer=opt, epochs=1, batch_size=batch, progress=False)

    return epoch


def torch_loop(sizes, batch):
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(),
                                torch.nn.Linear(sizes[1], sizes[2]))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(X, y):
        order = torch.randperm(len(X))
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            opt.zero_grad()
            loss_fn(model(X[idx]), y[idx]).backward()
            opt.step()

    return epoch


def sklearn_mlp(sizes, batch):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(sizes[1],), activation="relu", solver="sgd", learning_rate_init=LR,
                        momentum=0.0, nesterovs_momentum=False, alpha=0.0, batch_size=batch, random_state=0)
    classes = np.arange(sizes[2])

    def epoch(X, y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.partial_fit(X, y, classes=classes)

    return epoch


def candidates(sizes, batch, n, threads):
    X, y, T = synthetic(sizes, n)
    out = {}
    for dtype, tag in [(np.float64, "float64"), (np.float32, "float32")]:
        Xd, Td = X.astype(dtype), T.astype(dtype)
        out[f"numpy loop ({tag})"] = (numpy_loop(sizes, batch, dtype), (Xd, Td))
        out[f"nnlib ({tag})"] = (nnlib_fit(sizes, batch, dtype), (Xd, Td))
    try:
        import torch

        torch.set_num_threads(threads)
        out["PyTorch CPU (float32)"] = (torch_loop(sizes, batch),
                                        (torch.tensor(X, dtype=torch.float32), torch.tensor(y)))
    except ImportError:
        print("PyTorch is not installed: `make benchmark` installs the optional extra (pip install torch==2.13.0)")
    out["scikit-learn MLPClassifier (float64)"] = (sklearn_mlp(sizes, batch), (X, y))
    return out


def measure(rounds, threads=1):
    results = []
    for sizes, batch, n in SHAPES:
        cands = candidates(sizes, batch, n, threads)
        for fn, args in cands.values():  # warm-up
            fn(*args)
        times = {name: [] for name in cands}
        for _ in range(rounds):
            for name, (fn, args) in cands.items():
                start = time.perf_counter()
                fn(*args)
                times[name].append((time.perf_counter() - start) * 1000)
        reference = {name: times[f"numpy loop ({'float32' if 'float32' in name else 'float64'})"] for name in times}
        results.append({"net": "–".join(map(str, sizes)), "batch": batch, "samples": n, "rounds": rounds,
                        "threads": threads,
                        "ms_per_epoch": {k: statistics.median(v) for k, v in times.items()},
                        "best_ms_per_epoch": {k: min(v) for k, v in times.items()},
                        # each round's time over the same round's loop: adjacent runs share the machine's load
                        "median_round_ratio": {k: statistics.median(a / b for a, b in zip(v, reference[k]))
                                               for k, v in times.items()}})
    return results


def table(results):
    """Median and best (minimum) ms per epoch, each divided by the NumPy loop's of the same dtype.

    The median is the typical epoch on this shared machine; the best is the least disturbed one,
    the estimate ``timeit`` recommends; the per-round ratio compares runs made one after the other,
    under the same load.  All are printed because the machine is noisy.
    """
    lines = []
    for r in results:
        med, best = r["ms_per_epoch"], r["best_ms_per_epoch"]
        lines.append(f"\n{r['net']}, batch {r['batch']}, {r['samples']} samples, {r['rounds']} interleaved rounds, "
                     f"{r['threads']} thread(s) each")
        lines.append(f"{'candidate':<38}{'median ms':>10}{'÷ loop':>8}{'best ms':>10}{'÷ loop':>8}"
                     f"{'per round':>11}{'median ÷ nnlib f64':>20}")
        for name in med:
            dtype = "float32" if "float32" in name else "float64"
            ref = f"numpy loop ({dtype})"
            lines.append(f"{name:<38}{med[name]:>10.1f}{med[name] / med[ref]:>8.2f}{best[name]:>10.1f}"
                         f"{best[name] / best[ref]:>8.2f}{r['median_round_ratio'][name]:>11.2f}"
                         f"{med[name] / med['nnlib (float64)']:>20.2f}")
    lines.append("\n÷ loop: ratio to the minimal NumPy loop of the same dtype (the target is ≤ 1.10 for nnlib);"
                 "\nper round: the median over the rounds of (this round's time ÷ the same round's loop time).")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=21,
                        help="interleaved rounds (default 21: medians of fewer rounds wander on a busy machine)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--threads", type=int, default=1, help="threads per candidate (BLAS and PyTorch)")
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads):
        results = measure(args.rounds, args.threads)
    print(table(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
