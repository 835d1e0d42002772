"""gather_forward indexes x[:, idx], selecting whole columns for every row, instead of x[arange(N), idx]."""
ASSIGNMENT = "backprop"
MODULE = "layers"
FAILS = ['backprop/gather_forward']
MAY_FAIL = []
DIAGNOSIS = {'backprop/gather_forward': 'shape_mismatch'}
TAGS = ['forward']

import numpy as np


def gather_forward(x, idx):
    out = x[:, idx]
    cache = (x.shape, idx)
    return out, cache
