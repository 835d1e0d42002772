# CORRECT: all
# WRONG: batchnorm_forward
# NOTE: vectorised batchnorm forward using the unbiased variance (ddof=1).
import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    rm = bn_param.get("running_mean", np.zeros(D))
    rv = bn_param.get("running_var", np.zeros(D))
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0, ddof=1)
        out = gamma * (x - mu) / np.sqrt(var + eps) + beta
        rm = momentum * rm + (1 - momentum) * mu
        rv = momentum * rv + (1 - momentum) * var
    else:
        out = gamma * (x - rm) / np.sqrt(rv + eps) + beta
    bn_param["running_mean"], bn_param["running_var"] = rm, rv
    return out, None
