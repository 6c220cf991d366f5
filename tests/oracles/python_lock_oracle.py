#!/usr/bin/python3
"""Oracle for the Python lockfile readers: python_lock_oracle.py FORMAT FILE.

FORMAT is poetry, uv, pdm, pylock or pipenv. Prints one "name<TAB>version<TAB>dev" line per
package the documented rules keep (dev is 0 or 1), sorted; or a single "error<TAB><code>" line
when the rules refuse the file (data_loss, invalid_argument, failed_precondition). Written apart
from the C++ readers, on Python's own tomllib and json, so that the two can disagree.
"""
import json
import sys
import tomllib


class Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def major(version):
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else -1


def token(value):
    return isinstance(value, str) and value != "" and all(" " < c < "\x7f" for c in value)


def need(condition):
    if not condition:
        raise Refused("invalid_argument")


def poetry(doc):
    need("package" in doc or "metadata" in doc)
    meta = doc.get("metadata", {})
    need(isinstance(meta, dict))
    if "lock-version" in meta:
        need(isinstance(meta["lock-version"], str))
        if major(meta["lock-version"]) not in (1, 2):
            raise Refused("failed_precondition")
    rows = []
    for entry in doc.get("package", []):
        need(isinstance(entry, dict) and token(entry.get("name")) and token(entry.get("version")))
        source = entry.get("source", {})
        if source.get("type") in ("git", "directory", "file", "url"):
            continue
        dev = entry.get("category") == "dev"
        if "groups" in entry:
            dev = "main" not in entry["groups"]
        rows.append((entry["name"], entry["version"], dev))
    return rows


def uv(doc):
    need(isinstance(doc.get("version"), int) and not isinstance(doc.get("version"), bool))
    if doc["version"] != 1:
        raise Refused("failed_precondition")
    entries = doc.get("package", [])
    for e in entries:
        need(isinstance(e, dict) and token(e.get("name")) and isinstance(e.get("source"), dict))
        if "registry" in e["source"]:
            need(token(e.get("version")))

    def targets(ref):
        return [j for j, e in enumerate(entries)
                if e["name"] == ref["name"] and ("version" not in ref or e.get("version") == ref["version"])]

    def production_refs(e):
        refs = list(e.get("dependencies", []))
        for group in e.get("optional-dependencies", {}).values():
            refs += group
        return refs

    def closure(start):
        seen = set(start)
        todo = list(start)
        while todo:
            for ref in production_refs(entries[todo.pop()]):
                for j in targets(ref):
                    if j not in seen:
                        seen.add(j)
                        todo.append(j)
        return seen

    roots = [i for i, e in enumerate(entries) if "virtual" in e["source"] or "editable" in e["source"]]
    production = closure(roots)
    dev_start = []
    for i in production:
        for group in entries[i].get("dev-dependencies", {}).values():
            for ref in group:
                dev_start += targets(ref)
    dev_reachable = closure(dev_start)
    return [(e["name"], e["version"], i in dev_reachable and i not in production)
            for i, e in enumerate(entries) if "registry" in e["source"]]


def pdm(doc):
    need("package" in doc or "metadata" in doc)
    meta = doc.get("metadata", {})
    if "lock_version" in meta:
        need(isinstance(meta["lock_version"], str))
        if major(meta["lock_version"]) not in (3, 4):
            raise Refused("failed_precondition")
    rows = []
    for entry in doc.get("package", []):
        need(isinstance(entry, dict) and token(entry.get("name")))
        if any(key in entry for key in ("git", "path", "url")) or "version" not in entry:
            continue
        need(token(entry["version"]))
        dev = "groups" in entry and "default" not in entry["groups"]
        rows.append((entry["name"], entry["version"], dev))
    return rows


def pylock(doc):
    need(isinstance(doc.get("lock-version"), str))
    if major(doc["lock-version"]) != 1:
        raise Refused("failed_precondition")
    rows = []
    for entry in doc.get("packages", []):
        need(isinstance(entry, dict) and token(entry.get("name")))
        if any(key in entry for key in ("vcs", "directory", "archive")) or "version" not in entry:
            continue
        need(token(entry["version"]))
        rows.append((entry["name"], entry["version"], False))
    return rows


def pipenv(doc):
    need(isinstance(doc, dict) and any(k in doc for k in ("_meta", "default", "develop")))
    spec = doc.get("_meta", {}).get("pipfile-spec", 6)
    if spec > 6:
        raise Refused("failed_precondition")
    found = {}
    for section, dev in (("default", False), ("develop", True)):
        for name, entry in (doc.get(section) or {}).items():
            if "version" not in entry:
                continue
            version = entry["version"]
            need(version.startswith("=="))
            version = version[3:] if version.startswith("===") else version[2:]
            found.setdefault((name, version), dev)
    return [(name, version, dev) for (name, version), dev in found.items()]


def main():
    form, path = sys.argv[1], sys.argv[2]
    try:
        with open(path, "rb") as f:
            raw = f.read()
        try:
            doc = json.loads(raw) if form == "pipenv" else tomllib.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise Refused("data_loss")
        rows = {"poetry": poetry, "uv": uv, "pdm": pdm, "pylock": pylock, "pipenv": pipenv}[form](doc)
    except Refused as refused:
        print("error\t" + refused.code)
        return
    for name, version, dev in sorted(rows):
        print(f"{name}\t{version}\t{int(dev)}")


if __name__ == "__main__":
    main()
