"""``python3 -m timeline_service``: the command line, wherever pip put the console script."""

from .cli import main

main(prog_name="timeline-service")
