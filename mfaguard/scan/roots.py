"""Find the root modules under a folder, as OpenTofu/Terraform would run them (no Checkov import).

    discover_roots(folder) -> list[str]     the root-module folders under `folder`, sorted
    config_files(folder)   -> list[str]     the configuration files OpenTofu loads from one folder
                                            (x.tofu replaces x.tf, x.tofu.json replaces x.tf.json)

A *module folder* is a folder holding configuration files (``.tf``, ``.tf.json``, ``.tofu``,
``.tofu.json``).  A module folder is a *root* unless another module folder under the scanned
path calls it as a local module (``source = "./x"`` or ``"../x"``): then it is judged through
each caller (with the caller's arguments), never on its own.  A module's ``examples/*/``
folders call it with ``source = "../.."`` and are roots themselves.  Hidden folders,
``.terraform`` and ``node_modules`` are skipped, as ``checkov -d`` skips them.

Each root is scanned on its own (its own Checkov graph), so identical stacks in
``infra/prod`` and ``infra/staging`` never see each other's resources.
"""
from __future__ import annotations

import os
import re

CONFIG_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
IGNORED_DIRS = frozenset(
    d for d in os.environ.get("CKV_IGNORED_DIRECTORIES", "node_modules,.terraform,.serverless").split(",") if d
)

# `source = "./x"` / `"../x"` in HCL, `"source": "../x"` in JSON syntax.  A `module` block is the
# only block with a `source` argument that takes a local path (Terraform's module sources doc).
_LOCAL_SOURCE = re.compile(r'(?m)^\s*"?source"?\s*[:=]\s*"(\.\.?(?:/[^"]*)?)"')


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES) and not name.startswith(".")


def config_files(folder: str, names: list[str] | None = None) -> list[str]:
    """The configuration files of one module folder, as OpenTofu loads them: ``x.tofu``
    replaces ``x.tf`` and ``x.tofu.json`` replaces ``x.tf.json`` (OpenTofu's "file
    extension" rule); Terraform reads only .tf/.tf.json, OpenTofu prefers its own files."""
    if names is None:
        try:
            names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False) or _is_file(e)]
        except OSError:
            return []
    present = {n for n in names if is_config_file(n)}
    out = []
    for name in sorted(present):
        if name.endswith(".tf") and name[:-3] + ".tofu" in present:
            continue
        if name.endswith(".tf.json") and name[:-8] + ".tofu.json" in present:
            continue
        out.append(os.path.join(folder, name))
    return out


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def walk_module_folders(top: str):
    """(folder, config file names) for every module folder under `top` (itself included),
    skipping hidden folders, .terraform and node_modules; symlinked folders are not followed."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.startswith("."))
        names = [f for f in files if is_config_file(f)]
        if names:
            yield root, sorted(names)


def local_sources(folder: str, names: list[str], skip: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Absolute folders that `folder`'s configuration calls as local modules (files in `skip`,
    refused inputs, are not opened)."""
    out: set[str] = set()
    for path in config_files(folder, names):
        if os.path.abspath(path) in skip or not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        if "source" not in text:
            continue
        for m in _LOCAL_SOURCE.finditer(text):
            out.add(os.path.normpath(os.path.join(os.path.abspath(folder), m.group(1))))
    return out


def discover_roots(folder: str, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The root modules under `folder` (paths as given, i.e. joined onto `folder`), sorted.

    `folder` itself is a root when it holds configuration files and no other folder under it
    calls it.  A folder with no configuration files anywhere gives [].  Files in `skip`
    (absolute paths of refused inputs) are never opened; a folder whose every configuration
    file is refused is no root."""
    modules = [(p, n) for p, n in walk_module_folders(folder)
               if any(os.path.abspath(os.path.join(p, x)) not in skip for x in n)]
    called: set[str] = set()
    for path, names in modules:
        here = os.path.normpath(os.path.abspath(path))
        called.update(s for s in local_sources(path, names, skip) if s != here)
    return [path for path, _names in modules if os.path.normpath(os.path.abspath(path)) not in called]
