#!/usr/bin/python3
"""Ubuntu roots for distribution scans, and the findings apt itself says they must give.

  deb_root.py build ROOT RECORDS_DIR ECOSYSTEM VERSION_ID VERSION PRO
      Writes ROOT/etc/os-release, ROOT/var/lib/dpkg/status and, when PRO is "attached",
      ROOT/var/lib/ubuntu-advantage/status.json. One source package per name the records give
      for ECOSYSTEM, each with the binaries the record lists (or one of the source's name), at
      a version taken from the record: alternately one the record lists as affected and its
      fix (or, without a fix, the last affected version).
  deb_root.py expect ROOT RECORDS_DIR HOST_ECOSYSTEM
      Reads the status file with apt_pkg.TagFile and prints "binary<TAB>vulnerability<TAB>fixed"
      for every installed binary whose source an advisory applies to, by OSV's rules with
      apt_pkg.version_compare: one line per CVE in `upstream`, or per record without one.

Must run under /usr/bin/python3 (python3-apt). Independent of patchparty's code.
"""
import functools
import json
import pathlib
import sys

import apt_pkg

import osv_ranges

apt_pkg.init_system()


def cmp(a, b):
    return apt_pkg.version_compare(a, b)


def records(directory):
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        with open(path, encoding="utf-8") as f:
            yield json.load(f)


def build(root, records_dir, ecosystem, version_id, version, pro):
    root = pathlib.Path(root)
    chosen = {}
    for rec in records(records_dir):
        for aff in rec["affected"]:
            if aff["package"]["ecosystem"] != ecosystem or aff["package"]["name"] in chosen:
                continue
            listed = sorted(aff.get("versions", []), key=functools.cmp_to_key(cmp))
            fix = osv_ranges.first_fixed(aff.get("ranges", []))
            if not listed and not fix:
                continue
            at_fix = len(chosen) % 2 == 1 and fix
            v = fix if at_fix or not listed else listed[-1]
            binaries = [b["binary_name"] for b in
                        aff.get("ecosystem_specific", {}).get("binaries", [])]
            binaries = binaries or [aff["package"]["name"]]
            chosen[aff["package"]["name"]] = (v, sorted(set(binaries))[:3])
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/os-release").write_text(
        f'ID=ubuntu\nVERSION_ID="{version_id}"\nVERSION="{version}"\n')
    status = []
    for source, (v, binaries) in sorted(chosen.items()):
        for b in binaries:
            status.append(f"Package: {b}\nStatus: install ok installed\nArchitecture: amd64\n"
                          f"Source: {source} ({v})\nVersion: {v}\n")
    (root / "var/lib/dpkg").mkdir(parents=True, exist_ok=True)
    # dpkg ends every stanza, the last included, with a blank line.
    (root / "var/lib/dpkg/status").write_text("".join(s + "\n" for s in status))
    if pro == "attached":
        (root / "var/lib/ubuntu-advantage").mkdir(parents=True, exist_ok=True)
        (root / "var/lib/ubuntu-advantage/status.json").write_text('{"attached": true}')
    print(len(status))


def applies(record_ecosystem, host):
    if record_ecosystem == host:
        return True
    return host.startswith("Ubuntu:Pro:") and record_ecosystem == "Ubuntu:" + host[11:]


def affected(version, aff):
    return version in aff.get("versions", []) or osv_ranges.in_ranges(
        version, aff.get("ranges", []), cmp)


def expect(root, records_dir, host):
    installed = []
    with apt_pkg.TagFile(str(pathlib.Path(root) / "var/lib/dpkg/status")) as tags:
        for s in tags:
            source, _, rest = s.get("Source", s["Package"]).partition(" (")
            installed.append((s["Package"], source, rest.rstrip(")") or s["Version"]))
    found = {}
    for rec in records(records_dir):
        if rec.get("withdrawn"):
            continue
        vulns = [c for c in rec.get("upstream", []) if c.startswith("CVE-")] or [rec["id"]]
        for aff in rec["affected"]:
            if not applies(aff["package"]["ecosystem"], host):
                continue
            for binary, source, version in installed:
                if source != aff["package"]["name"] or not affected(version, aff):
                    continue
                fix = osv_ranges.first_fixed(aff.get("ranges", []))
                for vuln in vulns:
                    key = (binary, vuln)
                    if key not in found or (fix and (not found[key] or cmp(fix, found[key]) > 0)):
                        found[key] = fix
    for (binary, vuln), fix in sorted(found.items()):
        print(f"{binary}\t{vuln}\t{fix}")


def main():
    if sys.argv[1] == "build":
        build(*sys.argv[2:8])
    elif sys.argv[1] == "expect":
        expect(*sys.argv[2:5])
    else:
        sys.exit("usage: deb_root.py build|expect ...")


if __name__ == "__main__":
    main()
