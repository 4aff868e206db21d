"""The subcommands of ``chainrule``, one module each: ``add_to(subparsers)`` declares its options and
``run(args)`` carries it out, returning the exit status. options.py holds what several share."""
