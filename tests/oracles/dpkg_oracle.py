#!/usr/bin/python3
"""Debian's own version comparison, for differential tests.

Default mode: reads "A B" lines on stdin and prints -1, 0 or 1 per line, the sign of
apt_pkg.version_compare(A, B) (libapt-pkg, the comparator apt itself uses).

--validity: reads one hex-encoded string per line and prints 1 when
`dpkg --compare-versions -- S eq S` accepts it (dpkg only warns, or is silent), 0 when dpkg
refuses it as bad syntax (exit status 2). Must run under /usr/bin/python3 (python3-apt).
"""
import concurrent.futures
import subprocess
import sys

import apt_pkg


def sign(n):
    return (n > 0) - (n < 0)


def compare_mode():
    apt_pkg.init_system()
    out = []
    for line in sys.stdin.buffer:
        a, b = line.rstrip(b"\n").decode("ascii").split(" ")
        out.append(str(sign(apt_pkg.version_compare(a, b))))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


def dpkg_accepts(s):
    r = subprocess.run(["dpkg", "--compare-versions", "--", s, "eq", s],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1, 2):
        sys.exit("dpkg exited with %d for %r" % (r.returncode, s))
    return "0" if r.returncode == 2 else "1"


def validity_mode():
    strings = [bytes.fromhex(line.strip().decode("ascii")) for line in sys.stdin.buffer]
    # One dpkg process per string; a few at a time, in input order.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        out = list(pool.map(dpkg_accepts, strings))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    validity_mode() if sys.argv[1:] == ["--validity"] else compare_mode()
