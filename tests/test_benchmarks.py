"""The benchmarks run and print their tables (a smoke test on small inputs; no timing is asserted)."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_mlp_benchmark_prints_a_row_per_candidate(monkeypatch):
    bench = load("bench_mlp")
    monkeypatch.setattr(bench, "SHAPES", [((12, 9, 4), 8, 64)])
    results = bench.measure(rounds=1, threads=1)
    text = bench.table(results)
    for name in ("numpy loop (float64)", "nnlib (float64)", "numpy loop (float32)", "nnlib (float32)",
                 "scikit-learn MLPClassifier (float64)"):
        assert name in text
        assert results[0]["ms_per_epoch"][name] > 0
    assert "12–9–4, batch 8, 64 samples, 1 interleaved rounds, 1 thread(s) each" in text


def test_mlp_benchmark_times_the_default_fit_call(monkeypatch):
    """The nnlib row is the call students make: no metrics=[] or other switch that skips fit's default work."""
    bench = load("bench_mlp")
    calls = []
    real_fit = bench.nnlib.fit
    monkeypatch.setattr(bench.nnlib, "fit", lambda *args, **kwargs: calls.append(kwargs) or real_fit(*args, **kwargs))
    epoch = bench.nnlib_fit((12, 9, 4), 8, "float64")
    X, _, T = bench.synthetic((12, 9, 4), 64)
    epoch(X, T)
    assert calls and set(calls[0]) == {"loss", "optimizer", "epochs", "batch_size", "progress"}
    assert calls[0]["progress"] is False  # only the progress bar is off: it would print inside the timing


@pytest.mark.slow
def test_watch_benchmark_prints_latency_and_burst_throughput(capsys):
    from tests.conftest import require
    require("bwrap", "sandboxed grading")
    bench = load("bench_watch")
    times, runs = bench.main(["--n", "3", "--latency", "1", "--no-reference"])
    text = capsys.readouterr().out
    assert len(times) == 1 and all(fetched >= released > 0 for released, fetched in times)
    assert "throughput ratio per round" in text and len(runs[1]) == len(runs[2]) == 1
