"""The curves behind the feedback plots, computed from any implementation through a runner.

A *plots payload* is plain JSON-able data, small enough to store with a result:

    {"sigmoid_depth": {"std 0.1": [float] * L, "std 10": [float] * L},   # ||dW|| per layer
     "dead_relu":     {"before": [float], "after": [float]},               # dead-unit fraction
     "rnn_time":      {"rho 0.9": [float] * T, "rho 1.1": [float] * T},   # ||dx_t|| per step
     "clip_huber":    {"delta": [float] * K, "clip": [float] * K, "huber": [float] * K}}

`plot_payload(runner)` fills it by calling the implementation's own layers through ``runner``
(anything with ``call(module, function, *args, keep=(), **kwargs)``: the grader's
``StudentProcess`` for a student, `ReferenceCaller` for the reference), so every number is
computed in the grader from arrays the implementation returned. A scenario whose functions are
missing or fail is left out of the payload (with its reason under ``"_skipped"``); the grading
side stores the payload as ``SubmissionResult.plots``. Inputs are fixed public seeds: the curves
are illustrations, not hidden checks.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import numpy as np

SIGMOID_STDS = (0.1, 10.0)
SIGMOID_DEPTH = 6
RNN_RADII = (0.9, 1.1)
RNN_STEPS = 50
DEAD_RELU_LR = 10.0  # reference: 11% dead before, 52% after


def _student_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    for name in ("grader.runner.protocol", "grader.runner.client", "grader.checks.results"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        cls = getattr(module, "StudentError", None)
        if isinstance(cls, type) and cls not in found:
            found.append(cls)
    return tuple(found)


class ReferenceCaller:
    """The reference modules behind the runner's ``call`` signature (in the grader process).

    ``modules`` maps a module stem (``"layers"``) to the imported reference module; ``keep`` is
    accepted and ignored, since the cache can stay a plain Python object here.
    """

    def __init__(self, modules: dict[str, Any]):
        self.modules = modules

    def call(self, module: str, function: str, *args, keep: tuple[int, ...] = (), **kwargs):
        return getattr(self.modules[module], function)(*args, **kwargs)


def _has(runner, module: str, function: str) -> bool:
    modules = getattr(runner, "modules", None)
    if modules is None:
        return True  # a real runner: absence shows up as a StudentError(kind="missing")
    return module in modules and hasattr(modules[module], function)


def sigmoid_depth(call: Callable) -> dict[str, list[float]]:
    """||dW_l|| (Frobenius) for each layer l = 1..L of an L-layer affine+sigmoid network.

    Input x: (N=32, D=50) ~ N(0, 1); weights (50, 50) ~ N(0, std^2); upstream gradient of ones.
    At std 10 the sigmoids saturate and the gradient dies on the way down.
    """
    out: dict[str, list[float]] = {}
    for std in SIGMOID_STDS:
        rng = np.random.default_rng(0)
        h = rng.standard_normal((32, 50))
        caches = []
        for _ in range(SIGMOID_DEPTH):
            w, b = rng.standard_normal((50, 50)) * std, np.zeros(50)
            z, c_aff = call("layers", "affine_forward", h, w, b, keep=(1,))
            h, c_sig = call("layers", "sigmoid_forward", z, keep=(1,))
            caches.append((c_aff, c_sig))
        dh = np.ones_like(np.asarray(h, dtype=float))
        norms = []
        for c_aff, c_sig in reversed(caches):
            dz = call("layers", "sigmoid_backward", dh, c_sig)
            dh, dw, _db = call("layers", "affine_backward", dz, c_aff)
            norms.append(float(np.linalg.norm(np.asarray(dw, dtype=float))))
        out[f"std {std:g}"] = norms[::-1]
    return out


def dead_relu(call: Callable) -> dict[str, list[float]]:
    """Fraction of hidden ReLU units dead on the whole batch, before and after one SGD step.

    Net: x (N=256, D=20, positive entries) -> affine (H=100) -> relu -> affine (C=10) -> softmax loss on random
    labels; one step of plain SGD with learning rate `DEAD_RELU_LR` on every parameter.
    """
    rng = np.random.default_rng(1)
    x = np.abs(rng.standard_normal((256, 20))) + 0.5  # positive, like pixel intensities
    y = rng.integers(0, 10, size=256)
    w1, b1 = rng.standard_normal((20, 100)) * np.sqrt(2 / 20), np.zeros(100)
    w2, b2 = rng.standard_normal((100, 10)) * np.sqrt(2 / 100), np.zeros(10)

    def dead_fraction(w, b) -> float:
        z, _ = call("layers", "affine_forward", x, w, b, keep=(1,))
        a, _ = call("layers", "relu_forward", z, keep=(1,))
        return float(np.mean(np.all(np.asarray(a) <= 0, axis=0)))

    before = dead_fraction(w1, b1)
    z, c1 = call("layers", "affine_forward", x, w1, b1, keep=(1,))
    a, c2 = call("layers", "relu_forward", z, keep=(1,))
    scores, c3 = call("layers", "affine_forward", a, w2, b2, keep=(1,))
    _loss, dscores = call("layers", "softmax_loss", scores, y)
    da, _dw2, _db2 = call("layers", "affine_backward", dscores, c3)
    dz = call("layers", "relu_backward", da, c2)
    _dx, dw1, db1 = call("layers", "affine_backward", dz, c1)
    after = dead_fraction(w1 - DEAD_RELU_LR * np.asarray(dw1), b1 - DEAD_RELU_LR * np.asarray(db1))
    return {"before": [before], "after": [after]}


def rnn_time(call: Callable) -> dict[str, list[float]]:
    """||dx_t|| for t = 0..T-1 when only the last hidden state gets gradient (ones), T = 50.

    Wh = rho * Q with Q orthogonal (spectral radius rho); inputs small (1e-3) so tanh stays in
    its linear range and the curve shows rho**(T - t): vanishing below 1, exploding above.
    """
    out: dict[str, list[float]] = {}
    n, t_steps, d, h = 4, RNN_STEPS, 8, 32
    for rho in RNN_RADII:
        rng = np.random.default_rng(2)
        x = rng.standard_normal((n, t_steps, d)) * 1e-3
        q, _ = np.linalg.qr(rng.standard_normal((h, h)))
        wx = rng.standard_normal((d, h)) / np.sqrt(d)
        hs, cache = call("rnn_layers", "rnn_forward", x, np.zeros((n, h)), wx, rho * q,
                         np.zeros(h), keep=(1,))
        dh = np.zeros_like(np.asarray(hs, dtype=float))
        dh[:, -1, :] = 1.0
        dx = np.asarray(call("rnn_layers", "rnn_backward", dh, cache)[0], dtype=float)
        per_step = dx.transpose(1, 0, 2).reshape(t_steps, n * d)  # (T, N*D)
        out[f"rho {rho:g}"] = [float(v) for v in np.linalg.norm(per_step, axis=1)]
    return out


def clip_huber(call: Callable) -> dict[str, list[float]]:
    """d/d(delta) of 1/2 clip(delta, -1, 1)**2 (clip the TD error, then square) against the Huber
    loss's gradient, on a grid of 121 TD errors in [-3, 3]. The first is zero outside [-1, 1]:
    the DQN bug; Huber keeps a gradient of +-1 there."""
    delta = np.linspace(-3.0, 3.0, 121)
    clipped, cache = call("layers", "clip_forward", delta, -1.0, 1.0, keep=(1,))
    grad_clip = np.asarray(call("layers", "clip_backward", np.asarray(clipped, dtype=float), cache))
    _loss, grad_huber = call("layers", "huber_loss", delta, np.zeros_like(delta))
    return {"delta": delta.tolist(), "clip": [float(v) for v in grad_clip],
            "huber": [float(v) for v in np.asarray(grad_huber, dtype=float)]}


#: name -> (functions needed as (module, function), scenario)
SCENARIOS: dict[str, tuple[tuple[tuple[str, str], ...], Callable]] = {
    "sigmoid_depth": ((("layers", "affine_forward"), ("layers", "sigmoid_forward")), sigmoid_depth),
    "dead_relu": ((("layers", "affine_forward"), ("layers", "relu_forward"),
                   ("layers", "softmax_loss")), dead_relu),
    "rnn_time": ((("rnn_layers", "rnn_forward"),), rnn_time),
    "clip_huber": ((("layers", "clip_forward"), ("layers", "huber_loss")), clip_huber),
}


def plot_payload(runner, *, modules: tuple[str, ...] | None = None,
                 strict: bool = False) -> dict[str, Any]:
    """Run every scenario whose modules the assignment has; return the plots payload.

    ``modules``: the assignment's module stems (scenarios on other modules are not attempted).
    ``strict``: let every exception through (the reference: a failure there is our bug). Else a
    student's failure (StudentError, or arrays of the wrong shape) skips that plot only.
    """
    payload: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    errors = _student_errors() + (ValueError, TypeError, IndexError, KeyError,
                                  FloatingPointError)
    for name, (needs, scenario) in SCENARIOS.items():
        if modules is not None and any(m not in modules for m, _ in needs):
            continue
        if not all(_has(runner, m, f) for m, f in needs):
            continue
        try:
            with np.errstate(all="ignore"):
                curves = scenario(runner.call)
        except errors as exc:
            if strict:
                raise
            skipped[name] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        payload[name] = {k: [float(v) if np.isfinite(v) else None for v in vs]
                         for k, vs in curves.items()}
    if skipped:
        payload["_skipped"] = skipped
    return payload
