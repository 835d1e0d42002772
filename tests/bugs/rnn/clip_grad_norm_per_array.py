"""clip_grad_norm clips each array to max_norm on its own instead of scaling all of them by the global norm."""
ASSIGNMENT = "rnn"
MODULE = "rnn_layers"
FAILS = ['rnn/clip_grad_norm']

import numpy as np


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(float(np.sum(g ** 2)) for g in grads.values())))
    clipped = {}
    for name, g in grads.items():
        norm = float(np.sqrt(np.sum(g ** 2)))
        clipped[name] = g * (max_norm / norm) if norm > max_norm else g.copy()
    return clipped, total_norm
