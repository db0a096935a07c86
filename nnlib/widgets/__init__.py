"""Interactive explorers: each is one call in a chapter, live in Jupyter and precomputed in the HTML book.

Every explorer lives in its own module and returns an ``Explorer`` (see ``explorer.py``).
"""
from .activation import activation_explorer
from .capacity import capacity_explorer
from .explorer import Explorer, compact
from .gradient_descent import gradient_descent_explorer
from .learning_rule import learning_rule_explorer
from .neuron import neuron_explorer

__all__ = ["Explorer", "compact", "activation_explorer", "capacity_explorer", "gradient_descent_explorer",
           "learning_rule_explorer", "neuron_explorer"]
