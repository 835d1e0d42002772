import numpy as np


def double(x):
    """x: float64 array of any shape. Returns 2 * x, same shape."""
    ### BEGIN SOLUTION
    return 2.0 * np.asarray(x)
    ### END SOLUTION
