"""Prints packaging's canonical form (PEP 503) of each PyPI project name read from stdin."""
import sys

from packaging.utils import canonicalize_name

for line in sys.stdin:
    print(canonicalize_name(line.rstrip("\n")))
