"""grader: auto-graded numpy backprop assignments.

Instructors build a student release from reference solutions, students check and submit their
layers, TAs batch-grade submissions in a sandbox. See README.md and docs/ARCHITECTURE.md.
"""

__version__ = "0.1.0"
