#!/usr/bin/python3
"""Oracle for PythonSite: python_site_oracle.py DIR...

Prints "name<TAB>version" for every distribution importlib.metadata finds in the folders (one
line per record, sorted), then "skipped<TAB>N" for the records whose Name or Version it cannot
read. Python's own reading of the records, to compare scan_python_site with.
"""
import importlib.metadata
import sys

rows = []
skipped = 0
for folder in sys.argv[1:]:
    for dist in importlib.metadata.distributions(path=[folder]):
        try:
            name, version = dist.metadata["Name"], dist.metadata["Version"]
        except Exception:  # unreadable or undecodable metadata
            name = version = None
        if name is None or version is None:
            skipped += 1
        else:
            rows.append((name.strip(), version.strip()))
for name, version in sorted(rows):
    print(f"{name}\t{version}")
print(f"skipped\t{skipped}")
