import numpy as np


def negate(x):
    """x: float64 array of any shape. Returns -x, same shape."""
    ### BEGIN SOLUTION
    return -np.asarray(x)
    ### END SOLUTION
