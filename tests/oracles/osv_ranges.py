"""OSV's ECOSYSTEM range rules, for the distribution oracles (rpm_root.py, deb_root.py): the
events of a range are walked in version order and each one the version has passed decides.
`cmp` is the ecosystem's own comparison (rpm.labelCompare, apt_pkg.version_compare)."""
import functools


def in_ranges(version, ranges, cmp):
    def order(a, b):
        va, vb = next(iter(a.values())), next(iter(b.values()))
        if va == "0" or vb == "0":
            return (va != "0") - (vb != "0")
        return cmp(va, vb)

    for r in ranges:
        if r.get("type") != "ECOSYSTEM":
            continue
        hit = False
        for ev in sorted(r.get("events", []), key=functools.cmp_to_key(order)):
            if "introduced" in ev and (ev["introduced"] == "0" or cmp(version, ev["introduced"]) >= 0):
                hit = True
            elif "fixed" in ev and cmp(version, ev["fixed"]) >= 0:
                hit = False
            elif "last_affected" in ev and cmp(version, ev["last_affected"]) > 0:
                hit = False
        if hit:
            return True
    return False


def first_fixed(ranges):
    return next((ev["fixed"] for r in ranges for ev in r.get("events", []) if "fixed" in ev), "")
