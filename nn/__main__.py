"""`python -m nn` runs the `chainrule` command (see nn.cli)."""

import sys

from nn.cli import main

sys.exit(main())
