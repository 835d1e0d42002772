# expect: 6 indented less than
def f(x):
    if x:
        ### BEGIN SOLUTION
        y = 1
    y = 2
        ### END SOLUTION
    return y
