# expect: 3 unclosed region
def f(x):
    ### BEGIN SOLUTION
    y = x + 1
    return y
