#!/usr/bin/env python3
"""评星定级 — star-rating campaigns for Party branches and members.

``python process.py <command>``: the command line (the same as the ``pingxing`` command that
``pip install .`` gives). The commands are in :mod:`pingxing.cli`, over :mod:`pingxing.api`.
"""

from pingxing.cli import cli, main

__all__ = ["cli", "main"]

if __name__ == "__main__":
    main()
