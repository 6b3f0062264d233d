"""`python -m gcmtools`: the same as the `gcmtools` command."""

from gcmtools.cli import main

raise SystemExit(main())
