"""`python -m radar.cli` runs the `radar` command."""

from radar.cli import main

main()
