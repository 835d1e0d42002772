"""A two-layer network of the student's layers.py primitives, for the behavioural scenarios."""

from __future__ import annotations

import numpy as np

from grader.checks.behaviour_common import expect_tuple, finite_array


def two_layer_net(student, x: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray], *,
                  student_loss: bool = True, student_affine: bool = True):
    """affine - ReLU - affine - softmax_loss with the student's layers.py primitives (7 calls).

    student_loss=False computes the softmax loss's gradient here instead (numerically stable),
    student_affine=False the affine layers (forward and backward), for checks that judge the
    student's other layers only (a check of one task pays only for that task's functions).

    Inputs: x (N, D), y int (N,), params w1 (D, H), b1 (H,), w2 (H, C), b2 (C,).
    Returns (hidden (N, H), scores (N, C), grads {w1, b1, w2, b2} of the params' shapes).
    Only layers.py is used (not layer_utils), so a lone layers.py submission runs it.
    """
    N = len(x)
    H, C = params["w2"].shape
    if student_affine:
        a, cache_a = student.call("layers", "affine_forward", x, params["w1"], params["b1"],
                                  keep=(1,))
        a = finite_array(a, (N, H), "affine_forward's out")
    else:
        a, cache_a = x @ params["w1"] + params["b1"], None
    h, cache_r = student.call("layers", "relu_forward", a, keep=(1,))
    h = finite_array(h, (N, H), "relu_forward's out")
    if student_affine:
        scores, cache_s = student.call("layers", "affine_forward", h, params["w2"], params["b2"],
                                       keep=(1,))
        scores = finite_array(scores, (N, C), "affine_forward's out")
    else:
        scores = h @ params["w2"] + params["b2"]
    if student_loss:
        result = expect_tuple("softmax_loss", student.call("layers", "softmax_loss", scores, y),
                              ("loss", "dx"))
        dscores = finite_array(result[1], (N, C), "softmax_loss's dx")
    else:
        shifted = scores - scores.max(axis=1, keepdims=True)
        dscores = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        dscores[np.arange(N), y] -= 1
        dscores /= N
    if student_affine:
        dh, dw2, db2 = expect_tuple("affine_backward",
                                    student.call("layers", "affine_backward", dscores, cache_s),
                                    ("dx", "dw", "db"))
        dh = finite_array(dh, (N, H), "affine_backward's dx")
    else:
        dh, dw2, db2 = dscores @ params["w2"].T, h.T @ dscores, dscores.sum(axis=0)
    da = finite_array(student.call("layers", "relu_backward", dh, cache_r), (N, H),
                      "relu_backward's dx")
    if student_affine:
        _, dw1, db1 = expect_tuple("affine_backward",
                                   student.call("layers", "affine_backward", da, cache_a),
                                   ("dx", "dw", "db"))
    else:
        dw1, db1 = x.T @ da, da.sum(axis=0)
    grads = {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
    grads = {k: finite_array(v, params[k].shape, f"affine_backward's d{k[0]}")
             for k, v in grads.items()}
    return h, scores, grads
