# expect: 3 outside a function
import numpy as np
### BEGIN SOLUTION
CONSTANT = 3
### END SOLUTION
