#!/usr/bin/python3
"""Real RPM roots for distribution scans, and the findings rpm itself says they must give.

  rpm_root.py build ROOT RECORDS_DIR ECOSYSTEM OS_ID VERSION_ID
      Makes ROOT/etc/os-release and an rpmdb (rpm's own, via rpmbuild and `rpm -i --justdb`)
      holding one package per binary name the records name for ECOSYSTEM. Each is installed at
      the middle one of the fixed versions the records give it, so some records are fixed on
      it, one is exactly at its fix and the others are not; a package with a single fix is
      installed, every other one, below it (release 0.1). A module build carries the
      MODULARITYLABEL of the stream its record's summary names ("perl:5.32"), every third one
      another stream of that module.
  rpm_root.py expect ROOT RECORDS_DIR ECOSYSTEM_PREFIX [PACKAGES_TSV]
      Reads ROOT's rpmdb with librpm (or, for an NDB database Debian's librpm cannot open, the
      package list rpm printed for it, PACKAGES_TSV) and prints "name<TAB>vulnerability<TAB>fixed" for every
      package an advisory applies to, by OSV's range rules and rpm.labelCompare: one line per
      CVE a record fixes (`upstream`, then `related`), or per record when it lists none, with
      the highest fixed version among the records of that CVE. A module build against a
      non-module fix (or the reverse), or a module build whose label names another stream than
      the record's summary does, is not compared; their number goes to stderr.

Must run under /usr/bin/python3 (python3-rpm). Independent of patchparty's own code: it is
the reference the scan is compared with.
"""
import functools
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import rpm

import osv_ranges


def evr(s):
    v = rpm.ver(s)
    return (v.e or "0", v.v, v.r)


def cmp(a, b):
    return rpm.labelCompare(evr(a), evr(b))


def records(directory):
    for path in sorted(pathlib.Path(directory).rglob("*.json")):
        with open(path, encoding="utf-8") as f:
            yield json.load(f)


def applies(record_ecosystem, host_ecosystem):
    # The rule of docs/configuration.md#ecosystems for the RPM families tested here.
    if record_ecosystem == host_ecosystem:
        return True
    if record_ecosystem.startswith(host_ecosystem + "::"):
        return True
    suse = "SUSE:Linux Enterprise "
    if record_ecosystem.startswith(suse + "Module for ") and host_ecosystem.startswith(suse):
        return record_ecosystem.split()[-2:] == host_ecosystem.split()[-2:]
    return ":" not in record_ecosystem and host_ecosystem.split(":")[0] == record_ecosystem


def build(root, records_dir, ecosystem, os_id, version_id):
    root = pathlib.Path(root)
    fixes = {}    # name -> fixed versions
    streams = {}  # (name, fixed version) -> module streams its record's summary names
    for rec in records(records_dir):
        for aff in rec.get("affected", []):
            if aff["package"]["ecosystem"] != ecosystem:
                continue
            for r in aff.get("ranges", []):
                for ev in r.get("events", []):
                    if "fixed" in ev:
                        fixes.setdefault(aff["package"]["name"], set()).add(ev["fixed"])
                        streams.setdefault((aff["package"]["name"], ev["fixed"]),
                                           module_streams(rec.get("summary", "")))
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/os-release").write_text(f'ID="{os_id}"\nVERSION_ID="{version_id}"\n')
    dbpath = root / "var/lib/rpm"
    dbpath.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as top:
        specs = []
        for i, name in enumerate(sorted(fixes)):
            ordered = sorted(fixes[name], key=functools.cmp_to_key(cmp))
            chosen = ordered[len(ordered) // 2]
            e, v, r = evr(chosen)
            if len(ordered) == 1 and i % 2 == 0:
                # Below the one fix: release "0.1" sorts before any that starts 1-9; a module
                # build stays one, so that it is compared with its module's fix.
                module = r.find(".module")
                r = "0.1" + (r[module:] if module >= 0 else "")
            # A module build is labelled with the stream its record names; every third one with
            # another stream of the same module, as on a host that enabled that stream.
            label = ""
            named = streams.get((name, chosen), [])
            if is_module_build(r) and named:
                label = named[0] + ("-other" if i % 3 == 0 else "") + ":8100020240314082337:9fe1d287"
            spec = pathlib.Path(top) / f"{name}.spec"
            spec.write_text(
                f"Name: {name}\n" + (f"Epoch: {e}\n" if e != "0" else "") +
                f"Version: {v}\nRelease: {r}\nSummary: x\nLicense: MIT\nBuildArch: noarch\n" +
                (f"ModularityLabel: {label}\n" if label else "") +
                "%description\nx\n%files\n")
            specs.append(str(spec))
        subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", f"_topdir {top}",
                        "--define", "__os_install_post %{nil}"] + specs, check=True)
        rpms = sorted(str(p) for p in pathlib.Path(top).rglob("*.noarch.rpm"))
        subprocess.run(["rpm", "--dbpath", str(dbpath.resolve()), "--initdb"], check=True)
        subprocess.run(["rpm", "--dbpath", str(dbpath.resolve()), "-i", "--justdb", "--nodeps",
                        "--nosignature", "--ignorearch", "--ignoreos"] + rpms, check=True)
    print(len(rpms))


def affected(version, ranges):
    return osv_ranges.in_ranges(version, ranges, cmp)


def is_module_build(version):
    return ".module+" in version or ".module_" in version


def module_streams(summary):
    # "Moderate: perl:5.32 security update" -> ["perl:5.32"]; "Moderate:" names no stream.
    return list(dict.fromkeys(re.findall(r"(?<![\w.+:-])([\w.+-]+:[\w.+-]+)(?![\w.+:-])",
                                         summary)))


def stream_mismatch(version, label, ranges, summary):
    # A module build's fix says nothing of a default build of the same name, nor the reverse,
    # nor of another stream of the module when both the header and the advisory name theirs.
    modular = is_module_build(version)
    fixes = [v for r in ranges if r.get("type") == "ECOSYSTEM"
             for ev in r.get("events", []) for v in ev.values() if v != "0"]
    if any(is_module_build(v) != modular for v in fixes):
        return True
    if not modular or not fixes or not label:
        return False
    stream = ":".join(label.split(":")[:2])
    named = [s for s in module_streams(summary) if s.split(":")[0] == stream.split(":")[0]]
    return bool(named) and stream not in named


def listed(tsv):
    # rpm's own listing of a database its Debian build cannot open (NDB):
    # name<TAB>epoch<TAB>version<TAB>release<TAB>arch<TAB>source rpm, epoch 0 for none.
    installed = {}
    for line in pathlib.Path(tsv).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, epoch, version, release = line.split("\t")[:4]
        installed.setdefault(name, []).append(
            ((f"{epoch}:" if epoch != "0" else "") + f"{version}-{release}", ""))
    return installed


def expect(root, records_dir, ecosystem, tsv=None):
    if tsv:
        return report(listed(tsv), records_dir, ecosystem)
    dbpath = pathlib.Path(root) / "var/lib/rpm"
    rpm.addMacro("_dbpath", str(dbpath.resolve()))
    # A Berkeley DB root is read with rpm's read-only backend, the only one Debian builds.
    if (dbpath / "Packages").exists():
        rpm.addMacro("_db_backend", "bdb_ro")
    ts = rpm.TransactionSet()
    ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES)
    installed = {}
    for h in ts.dbMatch():
        if h["name"] == "gpg-pubkey":
            continue
        e = h["epoch"]
        label = h["modularitylabel"] or ""
        installed.setdefault(h["name"], []).append(
            ((f"{e}:" if e is not None else "") + f"{h['version']}-{h['release']}",
             label.decode() if isinstance(label, bytes) else label))
    report(installed, records_dir, ecosystem)


def report(installed, records_dir, ecosystem):
    found = {}
    mismatches = 0
    for rec in records(records_dir):
        if rec.get("withdrawn"):
            continue
        cves = [c for c in rec.get("upstream", []) if c.startswith("CVE-")]
        cves += [c for c in rec.get("related", []) if c.startswith("CVE-") and c not in cves]
        for aff in rec.get("affected", []):
            if not applies(aff["package"]["ecosystem"], ecosystem):
                continue
            for version, label in installed.get(aff["package"]["name"], []):
                if stream_mismatch(version, label, aff.get("ranges", []), rec.get("summary", "")):
                    mismatches += 1
                    continue
                if not affected(version, aff.get("ranges", [])):
                    continue
                fix = osv_ranges.first_fixed(aff["ranges"])
                for vuln in cves or [rec["id"]]:
                    key = (aff["package"]["name"], vuln)
                    if key not in found or (fix and (not found[key] or cmp(fix, found[key]) > 0)):
                        found[key] = fix
    for (name, vuln), fix in sorted(found.items()):
        print(f"{name}\t{vuln}\t{fix}")
    print(f"stream mismatches: {mismatches}", file=sys.stderr)


def main():
    if sys.argv[1] == "build":
        build(*sys.argv[2:7])
    elif sys.argv[1] == "expect":
        expect(*sys.argv[2:6])
    else:
        sys.exit("usage: rpm_root.py build|expect ...")


if __name__ == "__main__":
    main()
