"""Renderers: one module per output format, each turning the document model (autograd.derive.model)
into text. They only read blocks; every number and formula in them was made by a builder."""
