"""Sort and validate the PATHs given to `mfaguard scan` (no Checkov import).

A PATH is a folder (its .tf files, recursively, as `checkov -d` reads them, plus any plan
JSON in it), a `.tf`/`.tf.json`/`.hcl` file, or a plan JSON (`terraform show -json`
output) detected by content whatever its name.  Every problem becomes an InputError naming
the file; the other inputs are still scanned.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from mfaguard.errors import InputError

MiB = 1024 * 1024
# Beyond these sizes a file is refused rather than handed to a parser that would take
# minutes (hcl2 parses about 0.1 MiB/s on an idle core, a third of that under load; a plan
# is read twice, by json and by Checkov's line-tracking decoder).
MAX_HCL_BYTES = int(float(os.environ.get("MFAGUARD_MAX_HCL_MB", "2")) * MiB)
MAX_PLAN_BYTES = int(float(os.environ.get("MFAGUARD_MAX_PLAN_MB", "256")) * MiB)

HCL_SUFFIXES = (".tf", ".hcl")  # what Checkov's folder scan loads
HCL_FILE_SUFFIXES = (".tf", ".tf.json", ".hcl")  # what it accepts as single files
SUPPORTED_PLAN_MAJOR = ("0", "1")
_PLAN_KEYS = ("planned_values", "resource_changes")

# Folders Checkov's folder scan skips (checkov.common.runners.base_runner defaults).
_IGNORED_DIRS = tuple(
    d for d in os.environ.get("CKV_IGNORED_DIRECTORIES", "node_modules,.terraform,.serverless").split(",") if d
)


@dataclass
class Inputs:
    hcl_dirs: list[str] = field(default_factory=list)
    hcl_files: list[str] = field(default_factory=list)
    plan_files: list[str] = field(default_factory=list)
    # .tf files inside hcl_dirs that must not be parsed (already reported as errors)
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


def check_text_file(path: str, limit: int) -> InputError | None:
    """Size and binary checks shared by HCL and JSON inputs."""
    try:
        size = os.path.getsize(path)
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


def classify_json(path: str, *, explicit: bool) -> tuple[str, InputError | None]:
    """('plan', None) for a scannable plan; ('skip', None) for unrelated JSON in a folder;
    ('error', InputError) otherwise."""
    err = check_text_file(path, MAX_PLAN_BYTES)
    if err:
        return "error", err
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except UnicodeDecodeError:
        return "error", InputError(path, "is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return "error", InputError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    except OSError as exc:
        return "error", InputError(path, f"cannot read: {exc.strerror or exc}")
    is_object = isinstance(doc, dict)
    looks_terraform = is_object and ("format_version" in doc or "terraform_version" in doc)
    if not looks_terraform:
        if not explicit:
            return "skip", None  # package.json, IAM policies, ... next to the .tf files
        return "error", InputError(
            path, "JSON is not a Terraform plan (no format_version/planned_values); "
                  "give the output of `terraform show -json PLANFILE`")
    version = str(doc.get("format_version", ""))
    if version.split(".")[0] not in SUPPORTED_PLAN_MAJOR or not version:
        return "error", InputError(
            path, f"unsupported plan format_version {version or '(missing)'!r} (mfaguard reads 0.x and 1.x)")
    if not any(k in doc for k in _PLAN_KEYS):
        if "values" in doc or "prior_state" in doc:
            return "error", InputError(
                path, "is a Terraform state (`terraform show -json` without a plan): Checkov reads no resources "
                      "from it; scan a plan, or compare state with the live account using `mfaguard drift --plan`")
        return "error", InputError(path, "plan JSON has no planned_values or resource_changes")
    return "plan", None


def _walk(folder: str):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS and not d.startswith("."))
        yield root, sorted(f for f in files if not f.startswith("."))


def collect(paths: list[str]) -> Inputs:
    out = Inputs()
    seen: set[str] = set()
    for raw in paths:
        path = os.path.abspath(raw)
        if path in seen:
            continue
        seen.add(path)
        if not os.path.exists(raw):
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
            kind, err = classify_json(raw, explicit=True)
            if kind == "plan":
                out.plan_files.append(raw)
            elif err is not None:
                if not raw.endswith(".json") and err.problem.startswith("invalid JSON"):
                    err = InputError(raw, "is neither a .tf file, a folder nor plan JSON")
                out.errors.append(err)
    return out


def _collect_dir(folder: str, out: Inputs) -> None:
    found_hcl = False
    plans = 0
    for root, files in _walk(folder):
        for name in files:
            full = os.path.join(root, name)
            if name.endswith(HCL_SUFFIXES):
                err = check_text_file(full, MAX_HCL_BYTES)
                if err:
                    out.errors.append(err)
                    out.skip.add(os.path.abspath(full))
                else:
                    found_hcl = True
            elif name.endswith(".json") and name != "tsconfig.json" and not name.endswith(".tf.json"):
                kind, err = classify_json(full, explicit=False)
                if kind == "plan":
                    out.plan_files.append(full)
                    plans += 1
                elif err is not None:
                    out.errors.append(err)
    if found_hcl:
        out.hcl_dirs.append(folder)
    elif not plans and not any(e.path and e.path.startswith(os.path.join(folder, "")) for e in out.errors):
        out.errors.append(InputError(folder, "folder has no Terraform files (.tf) or plan JSON to scan"))
