"""Interactive explorers: each is one call in a chapter, live in Jupyter and precomputed
in the HTML book.

Every explorer lives in its own module and returns an ``Explorer`` (see
``explorer.py``).
"""
from .activation import activation_explorer
from .backprop_stepper import backprop_stepper_explorer
from .capacity import capacity_explorer
from .explorer import Explorer, compact
from .gradient_descent import gradient_descent_explorer
from .gradient_descent_batches import gradient_descent_batches_explorer
from .learning_rule import learning_rule_explorer
from .neuron import neuron_explorer
from .optimizer_race import optimizer_race_explorer
from .playground import playground_explorer
from .regularization import regularization_explorer
from .vanishing_gradients import vanishing_gradients_explorer


__all__ = ["Explorer", "compact", "activation_explorer", "backprop_stepper_explorer",
           "capacity_explorer",
           "gradient_descent_explorer", "gradient_descent_batches_explorer",
           "learning_rule_explorer",
           "neuron_explorer", "optimizer_race_explorer", "playground_explorer",
           "regularization_explorer", "vanishing_gradients_explorer"]
