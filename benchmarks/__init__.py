"""chainrule's benchmarks: ``python -m benchmarks.run`` times chainrule beside micrograd and plain floats.

workloads.py holds the workloads, each written once and run on every engine's ``Value``; run.py holds
the protocol (interleaved runs, medians, the collector on), the table and the JSON.
"""
