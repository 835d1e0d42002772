import sys

PAYLOAD = "\ud800 <script>alert('xss')</script><img src=x onerror=alert(1)> \u202eSSAP\u202c \x00\x1b[2J"


def affine_forward(x, w, b):
    print(PAYLOAD)
    sys.stderr.write(PAYLOAD.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    raise ValueError(PAYLOAD)


def affine_backward(dout, cache):
    raise ValueError(PAYLOAD)
