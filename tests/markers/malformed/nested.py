# expect: 5 nested marker
def f(x):
    ### BEGIN SOLUTION
    y = x + 1
    ### BEGIN SOLUTION
    y = y * 2
    ### END SOLUTION
    return y
