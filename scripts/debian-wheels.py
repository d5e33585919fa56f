#!/usr/bin/env python3
"""Repack Debian 12's Python packages as wheels for a loopback package index.

PyPI is unreachable where rehearse's container tests run, but Debian's apt
archive is not: this downloads the .deb files of the tools the tutorial
pipeline (fixtures/tutorial) installs with pip, and turns each into a wheel
that pip installs like one from PyPI, into any Python 3.9-3.12:

    scripts/debian-wheels.py          # prints the wheelhouse directory

The wheels go to ${REHEARSE_TOOLS_DIR:-~/.cache/rehearse-dev}/wheelhouse/
tutorial, a symlink to tutorial-<key>, where <key> is a hash of the .deb
files (as apt resolves them now) and of this recipe; an unchanged key is
not rebuilt. The .deb files are kept in wheelhouse/.debs. fixtures/loopback
serves the wheelhouse (TutorialWheels, PackageIndex).

How a package becomes a wheel:
- its files under /usr/lib/python3/dist-packages, without compiled
  extension modules: mypy (built with mypyc by Debian) runs interpreted,
  coverage uses its Python tracer, PyYAML its pure-Python loader; symlinks
  into the same package are followed, others (none so far) are reported;
- its metadata: a .dist-info is kept (less RECORD and installer files), an
  .egg-info is converted (PKG-INFO becomes METADATA, requires.txt becomes
  Requires-Dist and Provides-Extra lines, entry_points.txt stays);
- Debian sometimes drops install_requires from the metadata (flake8's names
  neither pyflakes nor pycodestyle); a package's plain Depends on another
  package of this set that the metadata does not require is added as a
  Requires-Dist, with Debian's version bound;
- the tag is py3-none-any, except for the few packages in BINARY, which
  keep their extension modules and are tagged for Debian's Python 3.11 only
  (cryptography and cffi, which twine needs through keyring): they install
  only into CPython 3.11.
Versions are Debian's (flake8 5.0.4, pytest 7.2.1, ...), so requirements
newer than Debian 12 cannot be met (see the list of what is missing at the
end of the output).
"""

import base64
import email.parser
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

RECIPE = "7"  # bump when the repacking changes

# Debian binary packages, grouped by the tutorial job that needs them.
GROUPS = {
    "lint": [
        "python3-flake8", "python3-pyflakes", "python3-pycodestyle", "python3-mccabe",
        "black", "python3-click", "python3-pathspec", "python3-platformdirs",
        "python3-packaging", "python3-mypy-extensions", "python3-typing-extensions",
        "python3-tomli", "python3-isort", "python3-mypy",
    ],
    "test": [
        "python3-pytest", "python3-pluggy", "python3-iniconfig", "python3-attr",
        "python3-exceptiongroup", "python3-pytest-cov", "python3-coverage",
        "python3-pytest-asyncio",
    ],
    "security": [
        "python3-bandit", "python3-git", "python3-gitdb", "python3-smmap", "python3-yaml",
        "python3-stevedore", "python3-pbr", "python3-six", "python3-rich",
        "python3-markdown-it", "python3-mdurl", "python3-pygments",
    ],
    "build": [
        "python3-build", "python3-pep517", "python3-toml", "python3-wheel", "twine",
        "python3-pkginfo", "python3-readme-renderer", "python3-bleach",
        "python3-webencodings", "python3-html5lib", "python3-docutils", "python3-roman", "python3-requests",
        "python3-requests-toolbelt", "python3-urllib3", "python3-idna", "python3-certifi",
        "python3-charset-normalizer", "python3-chardet", "python3-rfc3986",
        "python3-keyring", "python3-jaraco.classes", "python3-more-itertools",
        "python3-secretstorage", "python3-jeepney", "python3-importlib-metadata",
        "python3-zipp", "python3-cryptography", "python3-cffi", "python3-cffi-backend",
        "python3-pycparser",
    ],
}

# Packages whose extension modules are kept: one wheel each, for CPython 3.11
# on x86-64 Linux (Debian 12's Python; the .so files link Debian 12's
# libssl3 and libffi8). A list names the packages that make up one wheel.
BINARY = {
    "python3-cryptography": ["python3-cryptography"],
    "python3-cffi": ["python3-cffi", "python3-cffi-backend"],
}

# Data files Debian moves out of a package into another one (package ->
# [(other package, its directory, directory in the wheel)]), and the edits
# that make the code look for them where the wheel puts them, as upstream
# does (package -> [(file in the wheel, old text, new text)]).
DATA = {
    "python3-docutils": [("docutils-common", "usr/share/docutils", "docutils")],
}
EDITS = {
    "python3-docutils": [("docutils/__init__.py", "_debian_package = 1", "_debian_package = 0")],
}

# What the tutorial asks for that Debian 12 does not have, for the report.
MISSING = [
    "safety (not packaged in Debian 12)",
    "pytest>=7.4.0 (Debian 12: 7.2.1)",
    "pytest-cov>=4.1.0 (4.0.0)",
    "pytest-asyncio>=0.21.0 (0.20.3)",
    "flake8>=6.1.0 (5.0.4)",
    "black>=23.9.0 (23.1.0)",
    "isort>=5.12.0 (5.6.4)",
    "mypy>=1.5.0 (1.0.1)",
    "bandit>=1.7.5 (1.6.2)",
]

DIST_PACKAGES = "usr/lib/python3/dist-packages"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def log(msg):
    print("debian-wheels: " + msg, file=sys.stderr)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def run(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def resolve_debs(packages):
    """The .deb file names and URLs apt would download now."""
    try:
        out = run(["apt-get", "download", "--print-uris", *packages])
    except subprocess.CalledProcessError as e:
        sys.exit("debian-wheels: apt cannot resolve the packages (run apt-get update?):\n" + e.stderr)
    debs = {}
    for line in out.splitlines():
        # 'URL' FILENAME SIZE HASH
        parts = line.split()
        if len(parts) >= 2:
            url, filename = parts[0].strip("'"), parts[1]
            debs[filename.split("_")[0]] = (filename, url)
    missing = [p for p in packages if p not in debs]
    if missing:
        sys.exit("debian-wheels: apt does not know " + ", ".join(missing))
    return debs


def download(debs, cache):
    os.makedirs(cache, exist_ok=True)
    want = [pkg for pkg, (fn, _) in debs.items() if not os.path.exists(os.path.join(cache, fn))]
    if want:
        log("downloading %d packages from Debian's archive" % len(want))
        # apt-get download writes into the working directory.
        # As root, apt downloads as its _apt user, which cannot write here.
        sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
        subprocess.run(["apt-get", "download", "-q", *sandbox, *want], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)


def deb_depends(deb):
    """Plain (no alternatives) Depends of a .deb: {package: version bound or ''}."""
    out = run(["dpkg-deb", "-f", deb, "Depends"])
    deps = {}
    for clause in out.split(","):
        clause = clause.strip()
        if not clause or "|" in clause:
            continue
        m = re.match(r"([a-z0-9.+-]+)(?::any)?\s*(?:\(\s*(<<|<=|=|>=|>>)\s*([^)\s]+)\s*\))?$", clause)
        if not m:
            continue
        name, op, ver = m.groups()
        bound = ""
        if op and re.fullmatch(r"\d+(\.\d+)*", ver):
            bound = {"<<": "<", ">>": ">", "=": "=="}.get(op, op) + ver
        deps[name] = bound
    return deps


def parse_requires_txt(text):
    """requires.txt of an .egg-info: ([Requires-Dist values], [extras])."""
    reqs, extras = [], []
    extra, marker = "", ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            extra, _, marker = section.partition(":")
            extra, marker = extra.strip(), marker.strip()
            if extra and extra not in extras:
                extras.append(extra)
            continue
        conds = []
        if marker:
            conds.append("(%s)" % marker if " or " in marker else marker)
        if extra:
            conds.append('extra == "%s"' % extra)
        reqs.append(line + ("; " + " and ".join(conds) if conds else ""))
    return reqs, extras


def split_metadata(text):
    """The header lines and the body (the description) of a METADATA text."""
    head, _, body = text.partition("\n\n")
    return head.rstrip("\n").splitlines(), body


def join_metadata(lines, body):
    return "\n".join(lines) + "\n" + ("\n" + body if body.strip() else "")


def read_metadata(info_dir):
    """METADATA text of a .dist-info, or one converted from an .egg-info."""
    if info_dir.endswith(".dist-info"):
        with open(os.path.join(info_dir, "METADATA"), encoding="utf-8") as f:
            return f.read()
    pkg_info_path = info_dir if os.path.isfile(info_dir) else os.path.join(info_dir, "PKG-INFO")
    with open(pkg_info_path, encoding="utf-8") as f:
        head, body = split_metadata(f.read())
    lines = [line for line in head if not line.startswith(("Requires-Dist:", "Provides-Extra:"))]
    if lines and lines[0].startswith("Metadata-Version:"):
        # Requires-Dist needs 1.2, Provides-Extra 2.1.
        if lines[0].split(":", 1)[1].strip() in ("1.0", "1.1", "1.2", "2.0"):
            lines[0] = "Metadata-Version: 2.1"
    req_path = os.path.join(info_dir, "requires.txt")
    if os.path.exists(req_path):
        with open(req_path, encoding="utf-8") as f:
            reqs, extras = parse_requires_txt(f.read())
        lines += ["Provides-Extra: " + e for e in extras]
        lines += ["Requires-Dist: " + r for r in reqs]
    return join_metadata(lines, body)


def metadata_field(text, name):
    msg = email.parser.HeaderParser().parsestr(text)
    return msg.get(name)


def required_names(text):
    msg = email.parser.HeaderParser().parsestr(text)
    return {canonical(re.match(r"[A-Za-z0-9._-]+", r.strip()).group(0))
            for r in msg.get_all("Requires-Dist") or []}


def add_requires(text, extra_reqs):
    head, body = split_metadata(text)
    return join_metadata(head + ["Requires-Dist: " + r for r in extra_reqs], body)


class Package:
    """The Python distribution one or more extracted .deb files hold."""

    def __init__(self, names, roots, data=()):
        self.names = names  # Debian package names
        self.roots = roots  # extraction roots, one per .deb
        self.files = {}  # path in the wheel -> source path
        self.info_dir = None
        self.binary = False
        for root, src, dest in data:
            self._collect(root, os.path.join(root, src), dest)
        for root in roots:
            base = os.path.join(root, DIST_PACKAGES)
            if not os.path.isdir(base):
                continue
            for entry in sorted(os.listdir(base)):
                path = os.path.join(base, entry)
                if entry.endswith((".dist-info", ".egg-info")):
                    # cryptography's .deb has both; the .dist-info is the real
                    # one. An .egg-info may be a file (PKG-INFO alone).
                    if self.info_dir is None or entry.endswith(".dist-info"):
                        self.info_dir = path
                    continue
                if os.path.isfile(path) and not entry.endswith((".py", ".pth", ".so")):
                    # pycparser's .deb has a stray dist-packages/ast.
                    log("%s: leaving out %s (not a module)" % (names[0], entry))
                    continue
                self._collect(root, path, entry)
        if self.info_dir is None:
            raise SystemExit("debian-wheels: %s has no Python metadata" % " ".join(names))

    def _collect(self, root, path, rel):
        if os.path.islink(path):
            target = os.readlink(path)
            real = (os.path.join(root, target.lstrip("/")) if os.path.isabs(target)
                    else os.path.join(os.path.dirname(path), target))
            if not os.path.exists(real):
                log("%s: leaving out %s (a link to %s outside the package)" % (self.names[0], rel, target))
                return
            path = real
        if os.path.isdir(path):
            for entry in sorted(os.listdir(path)):
                if entry == "__pycache__":
                    continue
                self._collect(root, os.path.join(path, entry), rel + "/" + entry)
            return
        if rel.endswith((".pyc", ".pyo")):
            return
        if rel.endswith(".so") or ".so." in rel:
            self.binary = True
        self.files[rel] = path

    def build(self, outdir, known, depends, keep_binary):
        meta = read_metadata(self.info_dir)
        name = metadata_field(meta, "Name")
        version = metadata_field(meta, "Version")
        # Debian's Depends fill in requirements its metadata lost.
        have = required_names(meta) | {canonical(name)}
        added = []
        for dep, bound in sorted(depends.items()):
            dist = known.get(dep)
            if dist and dist not in have:
                added.append(dist + bound)
                have.add(dist)
        if added:
            log("%s: adding Requires-Dist %s (from Debian's Depends)" % (name, ", ".join(added)))
            meta = add_requires(meta, added)
        files = dict(self.files)
        tag = "py3-none-any"
        if self.binary and keep_binary:
            abi3 = all(".abi3." in f for f in files if f.endswith(".so"))
            tag = "cp311-abi3-linux_x86_64" if abi3 else "cp311-cp311-linux_x86_64"
        else:
            files = {k: v for k, v in files.items() if not (k.endswith(".so") or ".so." in k)}
        base = re.sub(r"[-_.]+", "_", name).lower()
        ver = version.replace("-", "_")
        info = "%s-%s.dist-info" % (base, ver)
        contents = {}
        for rel, src in files.items():
            with open(src, "rb") as f:
                contents[rel] = (f.read(), os.access(src, os.X_OK))
        for n in self.names:
            for rel, old, new in EDITS.get(n, []):
                data, executable = contents[rel]
                if old.encode() not in data:
                    raise SystemExit("debian-wheels: %s: %r is not in %s" % (n, old, rel))
                contents[rel] = (data.replace(old.encode(), new.encode()), executable)
        skip = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json", "WHEEL", "METADATA",
                "PKG-INFO", "requires.txt", "SOURCES.txt", "dependency_links.txt",
                "not-zip-safe", "zip-safe", "installed-files.txt"}
        for entry in sorted(os.listdir(self.info_dir)) if os.path.isdir(self.info_dir) else []:
            src = os.path.join(self.info_dir, entry)
            if entry in skip or not os.path.isfile(src):
                continue
            with open(src, "rb") as f:
                contents[info + "/" + entry] = (f.read(), False)
        contents[info + "/METADATA"] = (meta.encode("utf-8"), False)
        wheel = ("Wheel-Version: 1.0\nGenerator: rehearse debian-wheels.py (from Debian %s)\n"
                 "Root-Is-Purelib: %s\nTag: %s\n" % (", ".join(self.names),
                                                     "false" if "linux" in tag else "true", tag))
        contents[info + "/WHEEL"] = (wheel.encode(), False)
        record = io.StringIO()
        for rel in sorted(contents):
            data = contents[rel][0]
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.write("%s,sha256=%s,%d\n" % (rel, digest, len(data)))
        record.write(info + "/RECORD,,\n")
        contents[info + "/RECORD"] = (record.getvalue().encode(), False)
        filename = "%s-%s-%s.whl" % (base, ver, tag)
        # Fixed dates and order: the same inputs give the same bytes.
        with zipfile.ZipFile(os.path.join(outdir, filename), "w", zipfile.ZIP_DEFLATED) as z:
            ordered = sorted(k for k in contents if not k.startswith(info + "/"))
            ordered += sorted(k for k in contents if k.startswith(info + "/") and not k.endswith("/RECORD"))
            ordered.append(info + "/RECORD")
            for rel in ordered:
                data, executable = contents[rel]
                zi = zipfile.ZipInfo(rel, ZIP_DATE)
                zi.external_attr = (0o100755 if executable else 0o100644) << 16
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, data)
        return filename, name, version, tag


def main():
    tools = os.environ.get("REHEARSE_TOOLS_DIR") or os.path.expanduser("~/.cache/rehearse-dev")
    base = os.path.join(tools, "wheelhouse")
    cache = os.path.join(base, ".debs")
    packages = sorted({p for group in GROUPS.values() for p in group})
    support = sorted({other for extra in DATA.values() for other, _, _ in extra})
    debs = resolve_debs(packages + support)
    key = hashlib.sha256(("recipe=%s\n" % RECIPE + "".join(
        "%s\n" % debs[p][0] for p in packages + support)).encode()).hexdigest()[:16]
    final = os.path.join(base, "tutorial-" + key)
    link = os.path.join(base, "tutorial")
    if not os.path.isdir(final):
        download(debs, cache)
        os.makedirs(base, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".tutorial-%s.tmp." % key, dir=base)
        try:
            build_all(packages, support, debs, cache, work)
            os.rename(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    tmp_link = link + ".tmp"
    if os.path.lexists(tmp_link):
        os.remove(tmp_link)
    os.symlink(os.path.basename(final), tmp_link)
    os.replace(tmp_link, link)
    for entry in os.listdir(base):
        path = os.path.join(base, entry)
        if re.fullmatch(r"tutorial-[0-9a-f]{16}", entry) and path != final:
            shutil.rmtree(path, ignore_errors=True)
    wheels = sorted(f for f in os.listdir(final) if f.endswith(".whl"))
    size = sum(os.path.getsize(os.path.join(final, f)) for f in wheels)
    log("%d wheels, %.1f MB, in %s" % (len(wheels), size / 1e6, final))
    log("not available from Debian 12: " + "; ".join(MISSING))
    print(link)


def build_all(packages, support, debs, cache, outdir):
    extract = tempfile.mkdtemp(prefix=".extract.", dir=os.path.dirname(outdir))
    try:
        roots, depends = {}, {}
        for p in packages + support:
            deb = os.path.join(cache, debs[p][0])
            roots[p] = os.path.join(extract, p)
            subprocess.run(["dpkg-deb", "-x", deb, roots[p]], check=True)
            depends[p] = deb_depends(deb)
        merged = {m for group in BINARY.values() for m in group[1:]}
        units = []
        for p in packages:
            if p in merged:
                continue
            names = BINARY.get(p, [p])
            data = [(roots[other], src, dest) for n in names for other, src, dest in DATA.get(n, [])]
            units.append((names, Package(names, [roots[n] for n in names], data)))
        # Debian package -> distribution name, for Depends.
        known = {}
        for names, pkg in units:
            dist = canonical(metadata_field(read_metadata(pkg.info_dir), "Name"))
            for n in names:
                known[n] = dist
        for names, pkg in units:
            deps = {}
            for n in names:
                deps.update(depends[n])
            for n in names:
                deps.pop(n, None)
            filename, name, version, tag = pkg.build(outdir, known, deps, names[0] in BINARY)
            log("%-26s %-14s %s" % (name, version, filename))
    finally:
        shutil.rmtree(extract, ignore_errors=True)


if __name__ == "__main__":
    main()
