"""Mutation testing of an assignment's checks: does each hidden check catch the bugs students make?

`grader.mutants.generate` makes one-fault copies of the reference solution regions with
numpy-backprop operators (`grader.mutants.operators`); `grader.mutants.run` grades each through
the batch pool (`grader.mutants.probe` records what every check saw) and judges it killed,
survived or equivalent; `grader.mutants.report` prints and renders the kill rates and every
survivor. docs/MUTANTS.md explains the choices. Grader only: never released.
"""
