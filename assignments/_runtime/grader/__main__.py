"""`python -m grader ...`: the command line (see grader/cli.py)."""

from grader.cli import main

raise SystemExit(main())
