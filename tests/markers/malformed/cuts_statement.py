# expect: 4 leaves invalid Python
def f(x):
    y = (x +
    ### BEGIN SOLUTION
         1)
    ### END SOLUTION
    return y
