"""Reference answers from python's packaging.version, for the differential tests.

Input, one request a line, fields separated by U+001F:
  cmp <a> <b>  -> lt | eq | gt | invalid
One output line per input line. Needs Debian's /usr/bin/python3 with python3-packaging.
"""
import sys

from packaging.version import InvalidVersion, Version


def answer(line):
    fields = line.split("\x1f")
    if len(fields) != 3 or fields[0] != "cmp":
        return "bad-request"
    try:
        a, b = Version(fields[1]), Version(fields[2])
    except InvalidVersion:
        return "invalid"
    return "lt" if a < b else ("gt" if a > b else "eq")


def main():
    data = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    out = [answer(line) for line in data.split("\n")[:-1]]
    sys.stdout.write("".join(o + "\n" for o in out))


if __name__ == "__main__":
    main()
