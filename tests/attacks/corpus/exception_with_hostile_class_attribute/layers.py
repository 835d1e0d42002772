class Slippery(PermissionError):
    @property
    def __class__(self):
        raise RuntimeError("which class?")

    def __str__(self):
        return "slippery " * 10000


def affine_forward(x, w, b):
    raise Slippery()


def affine_backward(dout, cache):
    raise Slippery()
