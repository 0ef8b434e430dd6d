"""Sort and validate the PATHs given to `mfaguard scan` (no Checkov import).

A PATH is a folder (its root modules, found by mfaguard.scan.roots, each scanned on its own,
plus any plan JSON in it), a configuration file (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`,
`.hcl`), or a plan JSON (`terraform show -json` output) detected by content whatever its name.

Every file is checked BEFORE anything parses it: it must be a regular file (a FIFO, socket or
device is refused at once, never opened), within the size limit, and text.  Every problem
becomes an InputError naming the file; the other inputs are still scanned.  JSON found in a
folder is only a candidate plan when its first bytes name a Terraform `format_version`;
anything else there (package.json, policy files read by file(), templates, empty files) is
not an input and is ignored.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field

from mfaguard.errors import InputError
from mfaguard.scan.roots import CONFIG_SUFFIXES, IGNORED_DIRS, discover_roots

MiB = 1024 * 1024
# Beyond these sizes a file is refused (before any parsing or prefiltering) rather than handed
# to a parser that would take minutes (hcl2 parses about 0.1 MiB/s on an idle core, a third of
# that under load).  A plan is prefiltered with the C JSON decoder, so its limit is higher.
MAX_HCL_BYTES = int(float(os.environ.get("MFAGUARD_MAX_HCL_MB", "2")) * MiB)
MAX_PLAN_BYTES = int(float(os.environ.get("MFAGUARD_MAX_PLAN_MB", "256")) * MiB)

HCL_SUFFIXES = CONFIG_SUFFIXES + (".hcl",)  # configuration files (Checkov also reads .hcl)
HCL_FILE_SUFFIXES = HCL_SUFFIXES  # what is accepted as a single file
_PLAN_HEAD = re.compile(rb'"(?:format_version|terraform_version)"\s*:')

@dataclass
class Inputs:
    roots: list[str] = field(default_factory=list)  # root module folders, each scanned alone
    hcl_files: list[str] = field(default_factory=list)  # configuration files given one by one
    plan_files: list[str] = field(default_factory=list)  # JSON given on the command line
    maybe_plans: list[str] = field(default_factory=list)  # JSON in a folder that names a format_version
    # configuration files that must not be read (already reported as errors)
    skip: set[str] = field(default_factory=set)
    errors: list[InputError] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / MiB:.1f} MiB"


def _read_head(path: str, n: int = 8192) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _text_problem(head: bytes) -> str | None:
    if b"\x00" in head:
        return "is a binary file, not Terraform HCL or plan JSON"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a multi-byte character cut by the sample
            return f"is not UTF-8 text (undecodable byte at offset {exc.start}); Terraform files must be UTF-8"
    return None


def special_file_problem(path: str) -> str | None:
    """Why `path` cannot be read as an input without blocking (FIFO, socket, device), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"is {kind}, not a file; refused without reading it"


def check_text_file(path: str, limit: int) -> InputError | None:
    """Regular-file, size and binary checks shared by HCL and JSON inputs; nothing is read
    from a file that is not a regular file or is over `limit`."""
    problem = special_file_problem(path)
    if problem:
        return InputError(path, problem)
    try:
        size = os.path.getsize(path)
        if size > limit:
            return InputError(path, f"file is too large to scan ({_mb(size)}; the limit is {_mb(limit)})")
        head = _read_head(path)
    except OSError as exc:
        return InputError(path, f"cannot read: {exc.strerror or exc}")
    if size > limit:
        return InputError(path, f"file is too large to scan ({_mb(size)}; the limit is {_mb(limit)})")
    if head.startswith(b"PK\x03\x04"):
        return InputError(path, "is a binary Terraform plan (zip); scan `terraform show -json PLANFILE > plan.json` instead")
    problem = _text_problem(head)
    if problem:
        return InputError(path, problem)
    return None


def plan_candidate(path: str, *, explicit: bool) -> InputError | None | bool:
    """A JSON input: an InputError (explicit files only), True when it should be scanned as a
    plan, False when it is a folder's unrelated JSON.  Only the first bytes are read here; the
    plan unit validates the whole document (mfaguard.scan.planfilter)."""
    err = check_text_file(path, MAX_PLAN_BYTES)
    if err:
        return err if explicit else False
    if explicit:
        return True
    try:
        head = _read_head(path, 64 * 1024)
    except OSError:
        return False
    return bool(_PLAN_HEAD.search(head))


def _walk(folder: str):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.startswith("."))
        yield root, sorted(f for f in files if not f.startswith("."))


def collect(paths: list[str]) -> Inputs:
    out = Inputs()
    seen: set[str] = set()
    for raw in paths:
        path = os.path.abspath(raw)
        if path in seen:
            continue
        seen.add(path)
        if not os.path.lexists(raw):
            out.errors.append(InputError(raw, "no such file or folder"))
        elif os.path.isdir(raw):
            _collect_dir(raw, out)
        elif raw.endswith(HCL_FILE_SUFFIXES):
            err = check_text_file(raw, MAX_HCL_BYTES)
            if err:
                out.errors.append(err)
            else:
                out.hcl_files.append(raw)
        else:
            # plan JSON by content, whatever the name (plan.json, tfplan.out.json, plan)
            found = plan_candidate(raw, explicit=True)
            if isinstance(found, InputError):
                out.errors.append(found)
            else:
                out.plan_files.append(raw)
    return out


def _collect_dir(folder: str, out: Inputs) -> None:
    refused = 0
    for root, files in _walk(folder):
        for name in files:
            full = os.path.join(root, name)
            if name.endswith(HCL_SUFFIXES):
                err = check_text_file(full, MAX_HCL_BYTES)
                if err:
                    out.errors.append(err)
                    out.skip.add(os.path.abspath(full))
                    refused += 1
            elif name.endswith(".json") and plan_candidate(full, explicit=False) is True:
                out.maybe_plans.append(full)
    roots = discover_roots(folder, skip=out.skip)
    out.roots.extend(roots)
    if not roots and not out.maybe_plans and not refused:
        out.errors.append(InputError(folder, "folder has no Terraform/OpenTofu files (.tf, .tf.json, .tofu, "
                                             ".tofu.json) or plan JSON to scan"))
