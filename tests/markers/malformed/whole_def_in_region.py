# expect: 2 outside a function
### BEGIN SOLUTION
def f(x):
    return x
### END SOLUTION
