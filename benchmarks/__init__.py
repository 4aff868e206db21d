"""chainrule's benchmark suite: the workloads of issue 7 run against chainrule and its peers.

``python -m benchmarks.run`` measures them in one process and prints the table; workloads.py holds the
workloads, one function per engine, so that what is timed can be read side by side.
"""
