# expect: 4 spans beyond function
def f(x):
    y = x
    ### BEGIN SOLUTION
    return y


def g(x):
    ### END SOLUTION
    return x
