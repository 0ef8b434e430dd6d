"""Terraform as the oracle: `mfaguard scan ROOT` (HCL, expanded) against `mfaguard scan plan.json`
where plan.json is Terraform's own plan of that root. A developer tool, not a test (pytest does not
collect it): it needs the `terraform` binary and the hashicorp/aws provider in a filesystem mirror.

Run from the repository root:

    .venv/bin/python tests/oracle/compare_with_terraform.py ROOT [ROOT...] \
        [--mirror /opt/tf-plugins] [--var ROOT_SUFFIX:NAME=VALUE]... [--keep DIR] [--json]

    # every root of the realworld corpus:
    .venv/bin/python tests/oracle/compare_with_terraform.py --realworld

For each ROOT (a folder Terraform would run):

1. its source tree is copied to a temporary folder (the nearest ancestor holding a LICENSE, SOURCE
   or .git, so `source = "../../"` still resolves; a `.terraform/modules/modules.json` left by
   `terraform init` is kept and `init -get=false` is used); nothing is written in the repository;
2. every `provider "aws"` block in the copy is replaced by one with dummy credentials (us-east-1,
   access/secret key "test", every skip_* = true; its alias kept, its other settings dropped),
   and one is added to the root when it has none (`oracle_provider.tf`); `provider_meta` blocks
   (a user agent) are dropped; a `backend` block is overridden with `backend "local" {}`; where a module asks for a newer aws
   provider than the mirror holds, its `required_providers` constraint is overridden (noted);
3. `terraform init` (no network: the provider comes from the mirror, `direct` is excluded for the
   public registry), `terraform plan -input=false -out tfplan` with the -var values from VARS
   below and --var, then `terraform show -json tfplan > plan.json`;
4. both scans run in process, as `mfaguard scan ROOT` and `mfaguard scan plan.json` run them
   (mfaguard.scan.engine; the HCL side through `scan_root`, which leaves out the roots below ROOT
   such as examples/ that a folder scan also judges), and every (check id, resource address,
   verdict) of mfaguard's checks is compared.

A root that cannot be planned (another provider, a registry module not downloaded, a data source
that needs AWS, a Terraform error) is reported as SKIPPED with Terraform's first error line.

Differences are classified:
  same            equal verdicts at the same address;
  decided-by-var  the HCL scan of a copy given the same -var values (an .auto.tfvars file) has the
                  plan's verdict: the difference comes from the values, not the expander;
  decided-by-plan HCL UNKNOWN, plan PASSED/FAILED: expected when the value is given at plan time
                  (a -var) or known only after apply; the HCL message is printed to judge that;
  data-source     a data.aws_iam_policy_document judged on HCL only: Terraform reads it while
                  planning and keeps it in prior_state, not in planned_values, so the plan-side
                  scan does not see it (unless its read is deferred to apply);
  data-address    the same verdict on a data source whose read the plan defers to apply: the
                  plan runner names it `data.aws_iam_policy_document.d`, the HCL runner (and so
                  the expanded HCL scan, as plain Checkov) `aws_iam_policy_document.d`;
  plan-undecided  HCL PASSED/FAILED, plan UNKNOWN: the plan lacks what the configuration says
                  (a plan does not list locals: `group = local.g` holding a group's id is only
                  "unknown until apply" there); read the HCL verdict against AWS's rules;
  plan-not-judged the instance is in the plan, but the plan-side scan does not judge it for this
                  check (a group whose console members the plan cannot tell);
  undetermined    HCL reports one UNKNOWN at a block address without key (count/for_each not
                  known from the configuration); the plan's instances of that block are its
                  realities and are not findings;
  FINDING         anything else: a PASS/FAIL the plan contradicts, an instance only one side has,
                  a different address. Each one needs a human reading against AWS's rules: the
                  plan-side scan (Checkov's plan runner on a real plan) can be wrong too.
Exit code: 0 no FINDING, 1 findings, 2 usage.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECK_ID = re.compile(r"^CKV2?_MFA_\d+$")
TERRAFORM = os.environ.get("TERRAFORM", "terraform")

# -var values for variables without a default, by root (a path suffix). Chosen to exercise the
# code (a user, a group, an ARN of a policy in the same configuration where there is one).
VARS: dict[str, list[str]] = {
    # every membership from a list variable, several attachments from ARN variables
    "realworld/digitalmarketplace-aws/terraform/modules/iam-users": [
        'admins=["jamieeunson"]', 'developers=["timothysouth"]', 'backups=[]', 'prod_developers=[]',
        'dev_s3_only_users=["thomasberey"]', 'dev_infrastructure_users=[]', 'prod_infrastructure_users=[]',
        'security_audit_users=[]',
        "ip_restricted_access_policy_arn=arn:aws:iam::123456789012:policy/ip-restricted",
        "iam_manage_account_policy_arn=arn:aws:iam::123456789012:policy/iam-manage-account",
        "admin_policy_arn=arn:aws:iam::aws:policy/AdministratorAccess",
        "aws_dev_account_id=111111111111", "aws_backups_account_id=222222222222",
        "aws_prod_account_id=333333333333",
    ],
    "realworld/infrablocks-terraform-aws-user/examples/full": [
        "region=us-east-1", "deployment_identifier=abc123", "public_gpg_key_path=gpg.pub",
    ],
    # the values of the example's fixtures.us-west-1.tfvars (not loaded automatically)
    "realworld/cloudposse-terraform-aws-iam-user/examples/complete-after-init": [
        "region=us-west-1", "user_name=cp-testing-user",
    ],
    # /work/shared/corpus: modules planned as roots, given the arguments they require
    "corpus/scalesec-terraform-aws-scp/security_controls_scp/modules/ec2": ["target_id=r-abcd"],
    "corpus/scalesec-terraform-aws-scp/security_controls_scp/modules/iam": ["target_id=r-abcd"],
    "corpus/scalesec-terraform-aws-scp/security_controls_scp/modules/organizations": ["target_id=r-abcd"],
    "corpus/scalesec-terraform-aws-scp/security_controls_scp/modules/s3": ["target_id=r-abcd"],
    "corpus/mineiros-terraform-aws-cognito-user-pool": ["name=pool"],
    "corpus/terraform-aws-iam/v5.60.0/modules/iam-user": ["name=user1"],
    "corpus/terraform-aws-iam/v5.60.0/modules/iam-group-with-policies": ["name=admins", 'group_users=["user1"]'],
    "corpus/terraform-aws-iam/v6.5.0/modules/iam-user": ["name=user1"],
    "corpus/terraform-aws-iam/v6.5.0/modules/iam-group": ["name=admins", 'users=["user1"]'],
    "corpus/terraform-aws-iam/v6.5.0/modules/iam-account": ["account_alias=example"],
    "realworld/thinkstack-terraform-modules/global/iam/iam_groups": [
        "mfa_policy_arn=arn:aws:iam::123456789012:policy/mfa_self_serv",
    ],
}

CLI_CONFIG = """provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/*/*"]
  }}
  direct {{
    exclude = ["registry.terraform.io/*/*"]
  }}
}}
"""

PROVIDER_SETTINGS = """  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
"""
# Data sources that call AWS while planning (aws_caller_identity) are answered by a local moto
# server (account 123456789012) when moto is installed: see main().
ENDPOINT: list[str] = []


def _provider_settings() -> str:
    if not ENDPOINT:
        return PROVIDER_SETTINGS
    return PROVIDER_SETTINGS + f'  endpoints {{\n    sts = "{ENDPOINT[0]}"\n    iam = "{ENDPOINT[0]}"\n  }}\n'

PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"?aws"?\s*\{', re.M)
ALIAS = re.compile(r'^\s*alias\s*=\s*"([^"]+)"', re.M)
PROVIDER_META = re.compile(r'^\s*provider_meta\s+"?aws"?\s*\{', re.M)
BACKEND = re.compile(r'^\s*backend\s+"[^"]+"', re.M)


@dataclass
class Result:
    root: str
    status: str = "planned"  # planned | skipped
    reason: str = ""
    vars: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def _base(root: Path) -> Path:
    for folder in [root, *root.parents]:
        if any((folder / marker).exists() for marker in ("LICENSE", "SOURCE", ".git")):
            return folder
        if folder == REPO or folder == Path("/"):
            break
    return root


def _block_end(text: str, open_brace: int) -> int:
    depth, i = 0, open_brace
    while i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            break
    return i


def _drop_provider_meta(text: str) -> str:
    """`provider_meta "aws"` only sets a user agent (a v6-only argument): dropped."""
    while match := PROVIDER_META.search(text):
        text = text[:match.start()] + text[_block_end(text, match.end() - 1):]
    return text


def _replace_provider_blocks(text: str) -> tuple[str, list[str | None]]:
    """The text with every `provider "aws"` block replaced by the dummy one (alias kept), and the
    aliases found (None for the default configuration)."""
    aliases: list[str | None] = []
    while True:
        match = next((m for m in PROVIDER_BLOCK.finditer(text) if "oracle" not in text[m.end():m.end() + 12]), None)
        if not match:
            return text, aliases
        i = _block_end(text, match.end() - 1)
        alias = ALIAS.search(text[match.end():i])
        aliases.append(alias.group(1) if alias else None)
        extra = f'  alias = "{alias.group(1)}"\n' if alias else ""
        text = text[:match.start()] + f'provider "aws" {{ # oracle\n{extra}{_provider_settings()}}}' + text[i:]


def _configure(copy: Path, root_copy: Path) -> None:
    """Every `provider "aws"` block in the copy replaced by one with dummy credentials (its other
    settings, such as a v6-only `user_agent` or an assume_role, dropped); one added to the root
    when it has none; a backend replaced by the local one."""
    for tf in copy.rglob("*.tf"):
        if ".terraform" in tf.parts:
            continue
        text = tf.read_text(encoding="utf-8", errors="replace")
        new, aliases = _replace_provider_blocks(_drop_provider_meta(text))
        if tf.parent == root_copy and None in aliases:
            (root_copy / "oracle_provider.tf").write_text("# the root configures provider aws\n")
        if new != text:
            tf.write_text(new, encoding="utf-8")
    if not (root_copy / "oracle_provider.tf").exists():
        (root_copy / "oracle_provider.tf").write_text(f'provider "aws" {{\n{_provider_settings()}}}\n')
    if any(BACKEND.search(tf.read_text(encoding="utf-8", errors="replace")) for tf in root_copy.glob("*.tf")):
        (root_copy / "oracle_backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')


def _tf_files(copy: Path):
    return [p for p in copy.rglob("*.tf") if ".terraform" not in p.parts]


def _relax_versions(copy: Path, _error: str) -> str:
    """The mirror may hold an older aws provider than a module asks for (or a newer one): every
    folder that constrains aws gets an override file allowing any version."""
    folders = set()
    for tf in _tf_files(copy):
        if re.search(r"required_providers\s*\{[^}]*\baws\s*=", tf.read_text(encoding="utf-8", errors="replace")):
            folders.add(tf.parent)
            (tf.parent / "oracle_versions_override.tf").write_text(
                'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
                '      version = ">= 0.0.0"\n    }\n  }\n}\n')
    return f"the aws provider version constraint of {len(folders)} module(s) relaxed (mirror: 5.100.0)"


def _drop_required_version(copy: Path, _error: str) -> str:
    for tf in _tf_files(copy):
        text = tf.read_text(encoding="utf-8", errors="replace")
        new = re.sub(r'^\s*required_version\s*=\s*"[^"]*"\s*$', "", text, flags=re.M)
        if new != text:
            tf.write_text(new, encoding="utf-8")
    return "required_version constraints dropped (written for an older Terraform)"


def _drop_unused_provider(copy: Path, error: str) -> str:
    """A provider declared in required_providers but used by no resource or data block (cloudposse
    declares template and null): its declaration is dropped. Used: not repaired."""
    names = re.findall(r"provider registry\.terraform\.io/[\w-]+/([\w-]+) was not found", error)
    return "; ".join(filter(None, (_drop_provider(copy, name) for name in dict.fromkeys(names))))


def _drop_provider(copy: Path, name: str) -> str:
    texts = {tf: tf.read_text(encoding="utf-8", errors="replace") for tf in _tf_files(copy)}
    if any(re.search(rf'^\s*(resource|data)\s+"{name}_', t, re.M) for t in texts.values()):
        return ""
    for tf, text in texts.items():
        new = re.sub(rf"^\s*{name}\s*=\s*\{{[^}}]*\}}\s*$", "", text, flags=re.M)
        new = re.sub(rf'^\s*{name}\s*=\s*"[^"]*"\s*$', "", new, flags=re.M)
        if new != text:
            tf.write_text(new, encoding="utf-8")
    return f"provider {name} is declared but no block uses it: its declaration dropped"


def _create_missing_file(copy: Path, root_copy: Path, error: str) -> str:
    """file()/filebase64() of an asset the corpus did not copy (a logo, a key): an empty file."""
    name = re.search(r'no file exists at "([^"]+)"', error).group(1)
    path = Path(name) if os.path.isabs(name) else root_copy / name
    if path.exists() or not path.resolve().is_relative_to(copy.resolve()):
        return ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return f"{name} (an asset not copied) created empty"


REPAIRS = [
    ("no available releases match the given constraints", _relax_versions),
    ("Unsupported Terraform Core version", _drop_required_version),
    ("was not found in any of the search locations", _drop_unused_provider),
]


def _tf(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([TERRAFORM, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _first_error(proc: subprocess.CompletedProcess) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stderr + proc.stdout)
    lines = [l.strip(" │╷╵") for l in text.splitlines()]
    generic = ("Error: Terraform encountered problems during initialisation",)
    for i, line in enumerate(lines):
        if line.startswith("Error:") and not line.startswith(generic):
            detail = " ".join(l for l in lines[i + 1:i + 8] if l and not l.startswith("on ") and "─" not in l)
            return f"{line} {detail}"[:400]
    return text.strip()[-400:]


def plan(root: Path, mirror: str, extra_vars: list[str], keep: Path | None
         ) -> tuple[Path | None, str, list[str], list[str]]:
    """(plan.json, skip reason, -var values used, notes). The copy is removed; plan.json is
    written to `keep`, else to a temporary folder of its own (the caller removes it)."""
    tmp = Path(tempfile.mkdtemp(prefix="mfaguard-oracle-"))
    try:
        found = _plan_in(tmp, root.resolve(), mirror, extra_vars)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    text, reason, used, notes = found
    shutil.rmtree(tmp, ignore_errors=True)
    if text is None:
        return None, reason, used, notes
    base = _base(root.resolve())
    folder = keep or Path(tempfile.mkdtemp(prefix="mfaguard-oracle-plan-"))
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", str(root.resolve().relative_to(base.parent))) + ".plan.json")
    out.write_text(text, encoding="utf-8")
    return out, "", used, notes


def _plan_in(tmp: Path, root: Path, mirror: str, extra_vars: list[str]
             ) -> tuple[str | None, str, list[str], list[str]]:
    base = _base(root)
    copy = tmp / base.name
    shutil.copytree(base, copy, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in ("terraform.tfstate", ".terraform.lock.hcl")])
    root_copy = copy / root.relative_to(base)
    _configure(copy, root_copy)
    (tmp / "cli.tfrc").write_text(CLI_CONFIG.format(mirror=mirror))
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp / "cli.tfrc"), "TF_IN_AUTOMATION": "1",
           "CHECKPOINT_DISABLE": "1", "AWS_EC2_METADATA_DISABLED": "true"}
    env.pop("TF_DATA_DIR", None)
    downloaded = (root_copy / ".terraform" / "modules" / "modules.json").is_file()
    init_args = ["init", "-input=false", "-no-color", *(["-get=false"] if downloaded else [])]
    notes: list[str] = []
    key = str(root).replace(os.sep, "/")
    used = [v for suffix, values in VARS.items() if key.endswith(suffix) for v in values]
    used += [v.split(":", 1)[1] for v in extra_vars if key.endswith(v.split(":", 1)[0])]
    plan_args = ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out", "tfplan"]
    for v in used:
        plan_args += ["-var", v]
    for step, args in (("init", init_args), ("plan", plan_args)):
        for _attempt in range(6):
            proc = _tf(args, root_copy, env)
            output = " ".join(re.sub(r"[│╷╵]", " ", proc.stderr + proc.stdout).split())  # unwrapped
            if not proc.returncode:
                break
            repair = next((fix for text, fix in REPAIRS if text in output), None)
            note = repair(copy, output) if repair else ""
            if not note and "no file exists at" in output:
                note = _create_missing_file(copy, root_copy, output)
            if not note or note in notes:
                return None, f"{step}: " + _first_error(proc), used, notes
            notes.append(note)
            if step == "plan" and repair:
                _tf(init_args + ["-upgrade"], root_copy, env)
    show = _tf(["show", "-json", "tfplan"], root_copy, env)
    if show.returncode:
        return None, "show: " + _first_error(show), used, notes
    return show.stdout, "", used, notes


def _records(result) -> dict[tuple[str, str], tuple[str, str]]:
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for verdict, records in (("PASSED", result.passed), ("FAILED", result.failed), ("UNKNOWN", result.unknown)):
        for rec in records:
            if CHECK_ID.match(rec.check_id):
                found[(rec.check_id, rec.resource)] = (verdict, " ".join(str(d) for d in rec.details or []))
    return found


def scan_hcl(root: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """{(check id, address): (verdict, message)} of `mfaguard scan ROOT` for this root alone
    (a folder scan also judges the roots below it, such as examples/: they are left out)."""
    from mfaguard.scan.engine import scan_root

    return _records(scan_root(str(root)))


def scan_plan(plan_json: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The same for `mfaguard scan plan.json`."""
    from mfaguard.scan.engine import scan

    return _records(scan([str(plan_json)]))


def _block(address: str) -> str:
    """`module.ops[0].aws_iam_user.u["a"]` -> `module.ops.aws_iam_user.u`."""
    return re.sub(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]', "", address)


def _hcl_style(address: str) -> str:
    """Checkov's HCL runner names a data source without `data.` (`aws_iam_policy_document.d`),
    its plan runner with it; `mfaguard scan` keeps each runner's convention."""
    return re.sub(r"(^|\.)data\.", r"\1", address)


def compare(hcl: dict, planned: dict, plan_addresses: frozenset[str] = frozenset(),
            with_vars: dict | None = None) -> list[dict]:
    rows = []
    renamed = {}
    for (check, address), value in list(planned.items()):
        if _hcl_style(address) != address and (check, _hcl_style(address)) in hcl:
            renamed[(check, _hcl_style(address))] = address
            planned[(check, _hcl_style(address))] = planned.pop((check, address))
    undetermined = {(c, a) for (c, a), (v, _m) in hcl.items()
                    if v == "UNKNOWN" and a == _block(a) and any(
                        c2 == c and a2 != a and _block(a2) == a for (c2, a2) in planned)}
    for key in sorted(set(hcl) | set(planned)):
        check, address = key
        h, p = hcl.get(key), planned.get(key)
        if key in undetermined and p is None:
            kind = "undetermined"
        elif h is None and (check, _block(address)) in undetermined:
            kind = "undetermined"
        elif h and p and h[0] == p[0]:
            kind = "data-address" if key in renamed else "same"
        elif h and p and h[0] == "UNKNOWN":
            kind = "decided-by-plan"
        elif h and p and p[0] == "UNKNOWN":
            kind = "plan-undecided"
        elif h and not p and address in plan_addresses:
            kind = "plan-not-judged"
        elif h and not p and ".aws_iam_policy_document." in f".{address}":
            kind = "data-source"
        else:
            kind = "FINDING"
        if kind in ("FINDING", "decided-by-plan") and with_vars is not None:
            v = with_vars.get(key)
            if (v[0] if v else None) == (p[0] if p else None):
                kind = "decided-by-var"
        rows.append({"check": check, "address": address + (f" (plan: {renamed[key]})" if key in renamed else ""), "hcl": h[0] if h else "-", "plan": p[0] if p else "-",
                     "kind": kind, "hcl_message": h[1] if h else "", "plan_message": p[1] if p else ""})
    return rows


def run(root: Path, mirror: str, extra_vars: list[str], keep: Path | None) -> Result:
    result = Result(str(root))
    plan_json, reason, result.vars, result.notes = plan(root, mirror, extra_vars, keep)
    if plan_json is None:
        result.status, result.reason = "skipped", reason
        return result
    try:
        document = json.loads(plan_json.read_text(encoding="utf-8"))
        addresses = frozenset(_planned_addresses(document.get("planned_values", {}).get("root_module", {})))
        with_vars = _scan_with_vars(root, result.vars) if result.vars else None
        result.rows = compare(scan_hcl(root), scan_plan(plan_json), addresses, with_vars)
    finally:
        if keep is None:
            shutil.rmtree(plan_json.parent, ignore_errors=True)
    return result


def _tfvars_line(assignment: str) -> str:
    name, value = assignment.split("=", 1)
    literal = value[:1] in "[{" or value in ("true", "false") or re.fullmatch(r"-?\d+(\.\d+)?", value)
    return f"{name} = {value if literal else json.dumps(value)}\n"


def _scan_with_vars(root: Path, used: list[str]) -> dict:
    """The HCL scan of a copy of ROOT given the plan's -var values in an .auto.tfvars file: where
    its verdict equals the plan's, a difference is the -var's doing, not the expander's."""
    root = root.resolve()
    base = _base(root)
    tmp = Path(tempfile.mkdtemp(prefix="mfaguard-oracle-vars-"))
    try:
        shutil.copytree(base, tmp / base.name, symlinks=True)
        root_copy = tmp / base.name / root.relative_to(base)
        (root_copy / "zz_oracle.auto.tfvars").write_text("".join(_tfvars_line(v) for v in used))
        return scan_hcl(root_copy)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _planned_addresses(module: dict):
    for r in module.get("resources", []):
        yield _hcl_style(r["address"])
    for child in module.get("child_modules", []):
        yield from _planned_addresses(child)


def realworld_roots() -> list[Path]:
    import yaml

    roots = []
    for expected in sorted((REPO / "terraform_fixtures" / "realworld").glob("*/expected.yaml")):
        for root in yaml.safe_load(expected.read_text(encoding="utf-8"))["roots"]:
            roots.append((expected.parent / root).resolve())
    return roots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="*", type=Path)
    parser.add_argument("--realworld", action="store_true", help="every root of terraform_fixtures/realworld")
    parser.add_argument("--mirror", default="/opt/tf-plugins")
    parser.add_argument("--var", action="append", default=[], help="ROOT_SUFFIX:NAME=VALUE")
    parser.add_argument("--keep", type=Path, help="write the plan JSON files here")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--all-rows", action="store_true", help="print the equal verdicts too")
    args = parser.parse_args(argv)
    roots = [r.resolve() for r in args.roots] + (realworld_roots() if args.realworld else [])
    if not roots:
        parser.error("no ROOT given")
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        server = None
    else:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        ENDPOINT.append("http://127.0.0.1:%d" % server.get_host_and_port()[1])
    try:
        results = [run(r, args.mirror, args.var, args.keep) for r in roots]
    finally:
        if server:
            server.stop()
    findings = sum(row["kind"] == "FINDING" for res in results for row in res.rows)
    if args.json:
        print(json.dumps([res.__dict__ for res in results], indent=1))
        return 1 if findings else 0
    for res in results:
        where = os.path.relpath(res.root)
        if res.status == "skipped":
            print(f"SKIPPED {where}: {res.reason}")
            continue
        counts: dict[str, int] = {}
        for row in res.rows:
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
        print(f"PLANNED {where}" + (f" (-var {' '.join(res.vars)})" if res.vars else "") + f": {counts}")
        for note in res.notes:
            print(f"  note: {note}")
        for row in res.rows:
            if row["kind"] != "same" or args.all_rows:
                print(f"  {row['kind']:15} {row['check']:10} {row['address']}: hcl {row['hcl']}, plan {row['plan']}")
                if row["kind"] != "same":
                    print(f"      hcl:  {row['hcl_message'][:300]}")
                    print(f"      plan: {row['plan_message'][:300]}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
