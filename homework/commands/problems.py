"""``chainrule problems``: list the built-in problems, or print one to start your own file."""

from __future__ import annotations

import sys

from homework.reading import BUILTIN, builtin_text, load


def add_to(commands) -> None:
    p = commands.add_parser("problems", help="list the built-in problems, or print one",
                            description="List the built-in problems, or print one to start your own file: "
                                        "chainrule problems seed002 > mine.toml")
    p.add_argument("name", nargs="?", help="print this built-in problem file")


def run(args) -> int:
    if args.name:
        sys.stdout.write(builtin_text(args.name))
        return 0
    for name in BUILTIN:
        title = load(name).title
        print(f"{name}  {title}")
    print("\nchainrule solve NAME solves one; chainrule problems NAME prints its file to start your own.")
    return 0
