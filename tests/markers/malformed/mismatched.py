# expect: 5 does not match
def f(x):
    ### BEGIN SOLUTION
    y = x + 1
    ### END HIDDEN TESTS
    return y
