"""The benchmarks run and print their tables (a smoke test on small inputs; no timing is asserted)."""
from __future__ import annotations

import importlib.util
import sys

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
