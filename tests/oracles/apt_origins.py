#!/usr/bin/python3
"""A Debian root whose packages come from the distribution and from a third party, with the apt
lists apt itself writes, and what apt's own cache says each installed package's supplier is.

  apt_origins.py build ROOT GZIP_INDEXES
      Builds two repositories under ROOT/../repos with dpkg-deb, dpkg-scanpackages and
      apt-ftparchive: "Debian" (the distribution) and "Example Vendor" (a third party), writes
      ROOT/etc/apt/sources.list naming both, and runs the real `apt-get update` against ROOT, so
      ROOT/var/lib/apt/lists holds exactly what apt keeps (GZIP_INDEXES "true": compressed, as
      container images configure apt). Then writes ROOT/etc/os-release (Debian 9) and
      ROOT/var/lib/dpkg/status. Prints the number of installed packages.
  apt_origins.py expect ROOT ORIGIN...
      Opens ROOT with apt_pkg.Cache (apt's own list, Release and compression handling) and prints
      "name:arch<TAB>supplier<TAB>third_party<TAB>supplier_newest" for every installed package,
      by the rule patchparty documents (collectors/inventory/apt_lists.h), ORIGINs being the
      distribution's Release origins.

Must run under /usr/bin/python3 (python3-apt). Independent of patchparty's code.
"""
import functools
import os
import pathlib
import subprocess
import sys

import apt_pkg

# (package, version, arch, source) offered by each repository.
DEBIAN = [
    ("libssl1.1", "1.1.0l-1~deb9u5", "amd64", "openssl"),
    ("libxml2", "2.9.4+dfsg1-2.2+deb9u7", "amd64", None),
    ("tzdata", "2021a-0+deb9u4", "all", None),
    ("curl", "7.52.1-5+deb9u16", "amd64", None),
]
VENDOR = [
    ("libxml2", "2.9.4+dfsg1-2.2+deb9u6+vendor1", "amd64", None),
    ("libxml2", "2.9.4+dfsg1-2.2+deb9u7+vendor1", "amd64", None),
    ("dpkg", "1.18.25+vendor2", "amd64", None),
    ("curl", "7.52.1-5+deb9u16", "amd64", None),
]
# What is installed: from Debian's list (libssl1.1, curl, which the vendor also offers), only
# from the vendor's (libxml2), an older Debian build no list holds any more (tzdata), and an older
# vendor build of a package only the vendor ships (dpkg).
INSTALLED = [
    ("libssl1.1", "1.1.0l-1~deb9u5", "amd64", "openssl"),
    ("libxml2", "2.9.4+dfsg1-2.2+deb9u6+vendor1", "amd64", None),
    ("tzdata", "2021a-0+deb9u3", "all", None),
    ("dpkg", "1.18.25+vendor1", "amd64", None),
    ("curl", "7.52.1-5+deb9u16", "amd64", None),
]


def run(argv, **kw):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, **kw)


def control(name, version, arch, source):
    text = f"Package: {name}\nVersion: {version}\nArchitecture: {arch}\n"
    if source:
        text += f"Source: {source}\n"
    return text + "Maintainer: Test <test@example.org>\nDescription: test package\n"


def repository(base, origin, packages):
    pool = base / "pool"
    pool.mkdir(parents=True)
    for name, version, arch, source in packages:
        tree = base / "tree" / f"{name}_{version}"
        (tree / "DEBIAN").mkdir(parents=True)
        (tree / "DEBIAN/control").write_text(control(name, version, arch, source))
        run(["dpkg-deb", "-Zgzip", "--root-owner-group", "-b", str(tree),
             str(pool / f"{name}_{version}_{arch}.deb")])
    lists = base / "dists/stretch/main/binary-amd64"
    lists.mkdir(parents=True)
    with open(lists / "Packages", "w") as out:
        subprocess.run(["dpkg-scanpackages", "-m", "pool"], cwd=base, check=True, stdout=out,
                       stderr=subprocess.DEVNULL)
    run(["gzip", "-k", "-n", str(lists / "Packages")])
    with open(base / "dists/stretch/Release", "w") as out:
        subprocess.run(["apt-ftparchive", "-o", f"APT::FTPArchive::Release::Origin={origin}",
                        "-o", f"APT::FTPArchive::Release::Label={origin}",
                        "-o", "APT::FTPArchive::Release::Suite=oldstable",
                        "-o", "APT::FTPArchive::Release::Codename=stretch", "release", "."],
                       cwd=base / "dists/stretch", check=True, stdout=out)


def build(root, gzip_indexes):
    root = pathlib.Path(root)
    repos = root.parent / "repos"
    repository(repos / "debian", "Debian", DEBIAN)
    repository(repos / "vendor", "Example Vendor", VENDOR)
    (root / "etc/apt").mkdir(parents=True)
    (root / "etc/apt/sources.list").write_text(
        f"deb [trusted=yes] file:{repos}/debian stretch main\n"
        f"deb [trusted=yes] file:{repos}/vendor stretch main\n")
    (root / "var/lib/apt/lists/partial").mkdir(parents=True)
    (root / "var/cache/apt").mkdir(parents=True)
    run(["apt-get", "update", "-q", "-o", f"Dir={root}/", "-o", "Dir::State::status=/dev/null",
         "-o", "APT::Architecture=amd64", "-o", "Debug::NoLocking=1",
         "-o", f"Acquire::GzipIndexes={gzip_indexes}"])
    (root / "etc/os-release").write_text(
        'PRETTY_NAME="Debian GNU/Linux 9 (stretch)"\nID=debian\nVERSION_ID="9"\n')
    (root / "var/lib/dpkg").mkdir(parents=True)
    stanzas = [control(n, v, a, s).replace("Package:", "Status: install ok installed\nPackage:", 1)
               for n, v, a, s in INSTALLED]
    (root / "var/lib/dpkg/status").write_text("\n".join(stanzas) + "\n")
    print(len(INSTALLED))


def supplier(pf):
    return pf.origin or pf.label or pf.site or "local repository"


def expect(root, origins):
    apt_pkg.init_config()
    cfg = apt_pkg.config
    cfg.set("Dir", f"{root}/")
    cfg.set("Dir::State::status", f"{root}/var/lib/dpkg/status")
    cfg.set("Dir::Cache::pkgcache", "")
    cfg.set("Dir::Cache::srcpkgcache", "")
    cfg.set("APT::Architecture", "amd64")
    apt_pkg.init_system()
    cache = apt_pkg.Cache(progress=None)
    newer = functools.cmp_to_key(apt_pkg.version_compare)
    for pkg in sorted(cache.packages, key=lambda p: (p.name, p.architecture)):
        cur = pkg.current_ver
        # dpkg's "config-files" left a package's configuration, not the package.
        if not cur or pkg.current_state == apt_pkg.CURSTATE_CONFIG_FILES:
            continue
        exact, offered = [], []  # (supplier, is distribution) / (version, supplier, is dist.)
        for ver in pkg.version_list:
            if ver.arch != cur.arch:
                continue
            for pf, _ in ver.file_list:
                if pf.index_type != "Debian Package Index":
                    continue  # dpkg's status file
                entry = (supplier(pf), pf.origin in origins)
                offered.append((ver.ver_str,) + entry)
                if apt_pkg.version_compare(ver.ver_str, cur.ver_str) == 0:
                    exact.append(entry)
        name, third, newest = "", False, ""
        distro_exact = [s for s, d in exact if d]
        third_exact = sorted(s for s, d in exact if not d)
        third_any = sorted(s for _, s, d in offered if not d)
        if distro_exact:
            name = distro_exact[0]
        elif third_exact or (third_any and not any(d for _, _, d in offered)):
            name, third = (third_exact or third_any)[0], True
            mine = [v for v, s, _ in offered if s == name]
            newest = max(mine, key=newer)
        print(f"{pkg.name}:{cur.arch}\t{name}\t{int(third)}\t{newest}")


def main():
    if sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "expect":
        expect(sys.argv[2], set(sys.argv[3:]))
    else:
        sys.exit("usage: apt_origins.py build ROOT GZIP_INDEXES | expect ROOT ORIGIN...")


if __name__ == "__main__":
    main()
