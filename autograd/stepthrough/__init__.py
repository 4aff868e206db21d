"""The step-through page: the forward and then the backward pass of a recorded graph, one node (one
row of the printed forward table and backward trace) at a time, in one self-contained HTML file.

`step_through(root)` returns a `StepThrough`: ``save("steps.html")`` writes the page, and a notebook shows
it inline. frames.py turns the forward table and the trace into frames and finds where each row sits
in the drawing; page.py writes the page (the drawing as inline SVG, the frames as JSON); assets.py
holds its CSS and JavaScript.
"""

from autograd.stepthrough.frames import Frame
from autograd.stepthrough.page import StepThrough, step_through

__all__ = ["Frame", "StepThrough", "step_through"]
