#!/usr/bin/python3
"""rpm's own version comparison, for differential tests.

Reads "A B" lines on stdin, each side an [epoch:]version[-release] string, and prints -1, 0 or 1
per line: rpm.ver() splits each side with rpm's EVR parser, rpm.labelCompare() compares the
(epoch, version, release) tuples with rpmvercmp (a missing epoch is 0, a missing release sorts
before any release). Must run under /usr/bin/python3 (python3-rpm).
"""
import sys

import rpm


def evr(s):
    v = rpm.ver(s)
    return (v.e, v.v, v.r)


def main():
    out = []
    for line in sys.stdin.buffer:
        a, b = line.rstrip(b"\n").decode("ascii").split(" ")
        out.append(str(rpm.labelCompare(evr(a), evr(b))))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
