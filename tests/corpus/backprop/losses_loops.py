# CORRECT: all
# NOTE: softmax and SVM losses with explicit Python loops over examples and classes.
import numpy as np


def softmax_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        scores = x[i] - np.max(x[i])
        exp_scores = np.exp(scores)
        probs = exp_scores / np.sum(exp_scores)
        loss += -np.log(probs[y[i]])
        for j in range(C):
            dx[i, j] = probs[j] - (j == y[i])
    loss /= N
    dx /= N
    return loss, dx


def svm_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        correct = x[i, y[i]]
        for j in range(C):
            if j == y[i]:
                continue
            margin = x[i, j] - correct + 1
            if margin > 0:
                loss += margin
                dx[i, j] += 1
                dx[i, y[i]] -= 1
    return loss / N, dx / N
