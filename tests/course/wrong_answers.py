"""A catalogue of realistic wrong answers for every problem set, and what each must score.

Each wrong answer is a source transformation of one solution cell of ``solutions/<set>/<set>.ipynb``: the text
``old`` (which must occur exactly once in that cell) is replaced by ``new``.  ``fails`` lists the test cells that
must then fail (all others must still pass), so the intended partial credit is the total minus their points.
``feedback`` lists words the feedback of the first failing cell must contain, so a student learns what went wrong.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WrongAnswer:
    student: str            # used as the nbgrader student id of the submission
    mistake: str            # the mistake, in words
    cell: str               # grade_id of the solution cell that is changed
    old: str
    new: str
    fails: tuple            # grade_ids of the test cells that must fail
    feedback: tuple = ()    # words the failing cells' feedback must contain

    def apply(self, source: str) -> str:
        count = source.count(self.old)
        if count != 1:
            raise ValueError(f"{self.student}: the text to replace occurs {count} times in cell {self.cell!r}")
        return source.replace(self.old, self.new)


WRONG_ANSWERS = {
    "ps01_neuron": [
        WrongAnswer("wrong_step_at_zero", "the step unit fires at s = 0 (s >= 0 instead of s > 0)",
                    "step_sign", "return (s > 0).astype(float)", "return (s >= 0).astype(float)",
                    ("test_step", "test_neuron_general"), ("step", "s = 0")),
        WrongAnswer("wrong_neuron_no_bias", "the neuron forgets the bias weight w0",
                    "neuron", "s = w[0] + X @ w[1:]", "s = X @ w[1:]",
                    ("test_neuron_bipolar", "test_neuron_general"), ("neuron",)),
        WrongAnswer("wrong_hebbian_always", "the Hebbian rule updates on every sample, not only on mistakes",
                    "updates", "    if y != t:\n        return eta * t * x\n    return np.zeros_like(x)",
                    "    return eta * t * x",
                    ("test_hebbian_worked", "test_hebbian_general"), ("correctly classified",)),
        WrongAnswer("wrong_perceptron_sign", "the perceptron rule with the error the wrong way round, (y - t)",
                    "updates", "return eta * (t - y) * x", "return eta * (y - t) * x",
                    ("test_perceptron_worked", "test_perceptron_general"), ("sign error",)),
        WrongAnswer("wrong_epochs_off_by_one", "the epoch count leaves out the final epoch without mistakes",
                    "train", "return w, epoch\n", "return w, epoch - 1\n",
                    ("test_train_and", "test_train_general", "test_epoch_counts"), ("epochs", "expected 6")),
    ],
    "ps02_forward": [
        WrongAnswer("wrong_sigmoid_prime_of_a", "σ'(a) written as σ(a)(1 - a) instead of σ(a)(1 - σ(a))",
                    "sigmoid", "return s * (1 - s)", "return s * (1 - a)",
                    ("test_sigmoid_prime",), ("sigmoid_prime", "σ(a) (1 - σ(a))")),
        WrongAnswer("wrong_tanh_prime_no_square", "tanh'(a) = 1 - tanh(a), the square forgotten",
                    "derivatives", "return 1 - np.tanh(a) ** 2", "return 1 - np.tanh(a)",
                    ("test_tanh_prime",), ("tanh_prime",)),
        WrongAnswer("wrong_relu_prime_at_zero", "ReLU's derivative taken as 1 at a = 0",
                    "derivatives", "return (np.asarray(a) > 0).astype(float)", "return (np.asarray(a) >= 0).astype(float)",
                    ("test_relu_prime",), ("relu_prime", "a > 0")),
        WrongAnswer("wrong_dense_transposed", "the layer multiplies by W instead of Wᵀ (Z_in @ W)",
                    "forward", "A = Z_in @ W.T + b", "A = Z_in @ W + b",
                    ("test_dense_shapes", "test_dense_values", "test_mlp_forward_worked", "test_mlp_forward_general"),
                    # NumPy's message (matmul: ... mismatch) is withheld: hidden tests had run before this one
                    ("raised ValueError", "in your notebook")),
        WrongAnswer("wrong_count_no_biases", "the parameter count leaves out the biases",
                    "count", "n_in * n_out + n_out for", "n_in * n_out for",
                    ("test_count_parameters", "test_n_params_digits"), ("count_parameters", "expected 13")),
    ],
    "ps03_losses": [
        WrongAnswer("wrong_mse_mean_over_all", "MSE averaged over all N·K entries instead of over the N samples",
                    "losses", "return float(np.sum((Y - T) ** 2) / len(Y))", "return float(np.mean((Y - T) ** 2))",
                    ("test_mse",), ("mse", "divide by the number of samples")),
        WrongAnswer("wrong_mse_grad_no_mean", "∂E/∂Y of the MSE without the 1/N (reused by two deltas)",
                    "losses", "return 2 * (Y - T) / len(Y)", "return 2 * (Y - T)",
                    ("test_mse_grad", "test_delta_linear_mse", "test_delta_sigmoid_mse"), ("missing or extra factor",)),
        WrongAnswer("wrong_bce_grad_sign", "the BCE gradient with the wrong sign, (t - y) / (y (1 - y))",
                    "losses", "return (Y - T) / (Y * (1 - Y)) / len(Y)", "return (T - Y) / (Y * (1 - Y)) / len(Y)",
                    ("test_bce_grad",), ("sign error",)),
        WrongAnswer("wrong_softmax_unstable", "softmax without subtracting the row maximum",
                    "softmax", "E = np.exp(A - A.max(axis=1, keepdims=True))", "E = np.exp(A)",
                    ("test_softmax_stable",), ("NaN", "maximum")),
        WrongAnswer("wrong_softmax_axis0", "softmax normalised over the batch axis (axis=0) instead of each row",
                    "softmax", "return E / E.sum(axis=1, keepdims=True)", "return E / E.sum(axis=0, keepdims=True)",
                    ("test_softmax_values", "test_softmax_stable", "test_delta_softmax_ce"), ("softmax",)),
        WrongAnswer("wrong_softmax_ce_no_mean", "the softmax + cross-entropy delta without the 1/N",
                    "deltas", "return (softmax(A) - T) / len(A)", "return softmax(A) - T",
                    ("test_delta_softmax_ce",), ("delta_softmax_ce", "1/N")),
    ],
    "ps04_gradient_descent": [
        WrongAnswer("wrong_dEdb_sign", "∂E/∂b without the minus sign of the inner derivative",
                    "linreg", "-2 * np.mean(r)])", "2 * np.mean(r)])",
                    ("test_dE_db", "test_gd_fit_line"), ("dE_db", "sign error")),
        WrongAnswer("wrong_gradient_sum", "the gradient summed over the points instead of averaged (1/N missing)",
                    "linreg", "return np.array([-2 * np.mean(x * r), -2 * np.mean(r)])",
                    "return np.array([-2 * np.sum(x * r), -2 * np.sum(r)])",
                    ("test_dE_da", "test_dE_db", "test_gd_fit_line"), ("missing or extra factor",)),
        WrongAnswer("wrong_eta_max_no_factor", "the Hessian without its factor 2/N",
                    "eta_max", "H = 2 / len(x) * np.array(", "H = np.array(",
                    ("test_eta_max",), ("eta_max",)),
        WrongAnswer("wrong_momentum_old_velocity", "momentum moves by the old velocity instead of the new one",
                    "momentum", "w_new = w + v_new", "w_new = w + v",
                    ("test_momentum_first_step", "test_momentum_steps"), ("NEW velocity",)),
        WrongAnswer("wrong_minibatch_drop_last", "the last, shorter mini-batch is dropped",
                    "batches", "range(0, N, batch_size)", "range(0, N - batch_size + 1, batch_size)",
                    ("test_minibatches_worked", "test_minibatches_general"), ("number of batches",)),
        WrongAnswer("wrong_iterations_floor", "iterations per epoch rounded down (N // B)",
                    "batches", "return int(-(-N // batch_size))", "return int(N // batch_size)",
                    ("test_iterations",), ("iterations_per_epoch", "round up")),
    ],
    "ps05_backprop": [
        WrongAnswer("wrong_output_delta_sign", "the output delta with (t - y) instead of (y - t)",
                    "blocks", "return y * (1 - y) * (y - t)", "return y * (1 - y) * (t - y)",
                    ("test_output_delta", "test_backprop_231_output_layer", "test_backprop_231_hidden_layer",
                     "test_backprop_231_general"), ("output_delta", "sign error")),
        WrongAnswer("wrong_hidden_delta_no_sigma_prime", "the hidden delta without the factor σ'(a) of sigmoid units",
                    "blocks", "return s * (1 - s) * back", "return back",
                    ("test_hidden_delta_sigmoid", "test_backprop_231_hidden_layer", "test_backprop_231_general",
                     "test_backprop_333_worked", "test_backprop_333_general"), ("hidden_delta", "σ'(a)")),
        WrongAnswer("wrong_weight_gradient_transposed", "∂E/∂W computed as z δᵀ, the transpose of δ zᵀ",
                    "blocks", "return np.outer(delta, z_prev)", "return np.outer(z_prev, delta)",
                    ("test_weight_gradient_shape", "test_weight_gradient_values", "test_backprop_231_output_layer",
                     "test_backprop_231_hidden_layer", "test_backprop_231_general", "test_backprop_333_worked",
                     "test_backprop_333_general"), ("transpose",)),
        WrongAnswer("wrong_backward_no_mean", "the batch output delta without the 1/N of the mean",
                    "batch", "D2 = 2 * (Y - T) / len(X)", "D2 = 2 * (Y - T)",
                    ("test_backward_output_layer", "test_backward_hidden_layer", "test_backward_general",
                     "test_grad_check"), ("missing or extra factor", "grad_check_error")),
        WrongAnswer("wrong_backward_bias_axis", "the output bias gradient summed over the wrong axis",
                    "batch", "db2 = D2.sum(axis=0)", "db2 = D2.sum(axis=1)",
                    ("test_backward_shapes", "test_backward_output_layer", "test_backward_general"), ("db2", "shape")),
        WrongAnswer("claimed_grad_check", "grad_check_error assigned (0.0) instead of computed from the two gradients",
                    "grad_check", "grad_check_error = relative_error(analytic, numeric)", "grad_check_error = 0.0",
                    ("test_grad_check",), ("grad_check_error", "recomputed")),
        WrongAnswer("wrong_forward_difference", "a one-sided difference (E(w + h) - E(w)) / h instead of the central one",
                    "gradcheck", "grad[idx] = (e_plus - e_minus) / (2 * h)", "grad[idx] = (e_plus - mse_loss(X, T, W, b1, W2, b2)) / h",
                    ("test_numerical_gradient", "test_grad_check"), ("central difference",)),
    ],
    "ps06_optimizers": [
        WrongAnswer("wrong_nesterov_as_momentum", "Nesterov written as plain momentum, w + v",
                    "nesterov", "w_new = w + mu * v_new - lr * g", "w_new = w + v_new",
                    ("test_nesterov",), ("Nesterov", "look-ahead")),
        WrongAnswer("wrong_adagrad_no_sqrt", "Adagrad divides by G instead of √G",
                    "adagrad", "w_new = w - lr * g / (np.sqrt(G_new) + eps)", "w_new = w - lr * g / (G_new + eps)",
                    ("test_adagrad_weights", "test_adagrad_question"), ("Adagrad", "square root")),
        WrongAnswer("wrong_rmsprop_swapped", "RMSProp with ρ and 1 − ρ swapped",
                    "rmsprop", "s_new = rho * s + (1 - rho) * g ** 2", "s_new = (1 - rho) * s + rho * g ** 2",
                    ("test_rmsprop_state", "test_rmsprop_weights"), ("RMSProp", "1 - rho")),
        WrongAnswer("wrong_adam_no_bias_correction", "Adam without the bias corrections",
                    "adam", "m_hat = m_new / (1 - beta1 ** t)\n    v_hat = v_new / (1 - beta2 ** t)",
                    "m_hat = m_new\n    v_hat = v_new",
                    ("test_adam_first_step", "test_adam_weights"), ("Adam", "bias corrections")),
        WrongAnswer("wrong_adam_v_not_squared", "Adam's second moment averages g instead of g²",
                    "adam", "v_new = beta2 * v + (1 - beta2) * g ** 2", "v_new = beta2 * v + (1 - beta2) * g",
                    ("test_adam_moments", "test_adam_first_step", "test_adam_weights"), ("g**2",)),
    ],
    "ps07_regularization": [
        WrongAnswer("wrong_penalty_no_half", "the L2 penalty without its factor 1/2",
                    "weight_decay", "return float(0.5 * lam * sum(", "return float(lam * sum(",
                    ("test_l2_penalty",), ("l2_penalty", "lam / 2")),
        WrongAnswer("wrong_l2_gradient_factor_2", "the L2 gradient 2λW (the ½ of the penalty forgotten)",
                    "weight_decay", "return lam * W\n", "return 2 * lam * W\n",
                    ("test_l2_gradient", "test_weight_decay_step"), ("l2_gradient", "the 1/2 cancels the 2")),
        WrongAnswer("wrong_dropout_no_scaling", "dropout without the inverted scaling 1/(1 - p)",
                    "dropout", "return Z * keep / (1 - p)", "return Z * keep",
                    ("test_dropout_forward",), ("dropout_forward", "1 / (1 - p)")),
        WrongAnswer("wrong_dropout_backward_no_mask", "the hidden delta ignores dropout in the backward pass",
                    "dropout", "back = dropout_backward(Delta_next @ W_next, keep, p)", "back = Delta_next @ W_next",
                    ("test_hidden_delta_dropout",), ("hidden_delta_dropout", "dropped units")),
        WrongAnswer("wrong_early_stopping_ties", "an equal validation loss counted as an improvement (<= instead of <)",
                    "early_stopping", "if loss < best:", "if loss <= best:",
                    ("test_early_stopping_worked", "test_early_stopping_general"), ("best epoch", "not an improvement")),
        WrongAnswer("wrong_early_stopping_late", "stopping one epoch late (count > patience)",
                    "early_stopping", "if waited >= patience:", "if waited > patience:",
                    ("test_early_stopping_worked", "test_early_stopping_general"), ("stopping epoch",)),
    ],
}
