"""Behavioural scenarios of the backprop assignment, one module per situation (sigmoid, relu,
batchnorm, dqn, learning; net: the two-layer network they share). Imported only inside hidden
checks (behaviour_checks.py), so the student release never ships them. Building blocks:
grader.checks.behaviour_common."""
