# expect: 3 on a line of its own
def f(x):
    y = x + 1  ### BEGIN SOLUTION
    ### END SOLUTION
    return y
