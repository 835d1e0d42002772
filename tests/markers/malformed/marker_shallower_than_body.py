# expect: 3 spans beyond function
def f(x):
### BEGIN SOLUTION
    y = x + 1
### END SOLUTION
