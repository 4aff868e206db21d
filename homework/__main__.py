"""`python -m homework` runs the `chainrule` command (see homework.cli)."""

import sys

from homework.cli import main

sys.exit(main())
