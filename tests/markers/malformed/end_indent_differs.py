# expect: 5 indented unlike its begin marker
def f(x):
    ### BEGIN SOLUTION
    y = x + 1
        ### END SOLUTION
    return y
