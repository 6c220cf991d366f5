#!/usr/bin/python3
"""Oracle for parse_cargo_lock: Python's own TOML reader (tomllib) over a whole Cargo.lock.

Prints "name<TAB>version" for every [[package]] whose source is a registry ("registry+" or
"sparse+"), the packages patchparty keeps; workspace members, path and git crates are left out.
Exit 2 when the file is not valid TOML.
"""
import sys
import tomllib

with open(sys.argv[1], "rb") as f:
    try:
        doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        print(f"invalid TOML: {e}", file=sys.stderr)
        sys.exit(2)
for package in doc.get("package", []):
    source = package.get("source", "")
    if source.startswith("registry+") or source.startswith("sparse+"):
        print(f"{package['name']}\t{package['version']}")
