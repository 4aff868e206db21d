"""The teacher's side of a sheet: the exercise version of a problem (its questions with a blank for
every number, as Markdown and LaTeX), its answer key (the answers file `chainrule check` reads, and
the worked solution), and variants with fresh, well-conditioned numbers, one per student, drawn from
a seed.

Modules: exercise.py (the blank sheet), redraw.py (drawing variants), rewrite.py (their problem
files), files.py (everything for one problem or a set of variants, written to a folder).
"""

from homework.sheet.exercise import exercise
from homework.sheet.files import write, write_variants
from homework.sheet.redraw import variant, variants

__all__ = ["exercise", "write", "write_variants", "variant", "variants"]
