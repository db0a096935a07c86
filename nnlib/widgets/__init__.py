"""Interactive explorers: each is one call in a chapter, live in Jupyter and precomputed in the HTML book."""
from .explorer import Explorer, compact
from .gradient_descent import gradient_descent_explorer

__all__ = ["Explorer", "compact", "gradient_descent_explorer"]
