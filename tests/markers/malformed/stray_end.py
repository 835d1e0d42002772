# expect: 4 stray end marker
def f(x):
    y = x + 1
    ### END SOLUTION
    return y
