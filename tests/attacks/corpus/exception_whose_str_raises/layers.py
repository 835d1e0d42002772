class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no text for you")


def affine_forward(x, w, b):
    raise Unprintable()


def affine_backward(dout, cache):
    raise Unprintable()
