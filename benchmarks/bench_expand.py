"""Time mfaguard's HCL expander (mfaguard/expand/, docs/expand.md) alone and inside `mfaguard scan`.

    python benchmarks/bench_expand.py [--stacks flat,foreach,realworld] [--repeat N] [--keep DIR]
                                      [--users 1000] [--teams 10] [--groups 50] [--pools 200]
                                      [--no-checkov] [--profile N]

For each stack it measures, on the same machine in the same run, alternating the runs so machine
load hits them alike (best of --repeat):

  expand     mfaguard.expand.expander.expand + mfaguard.expand.plan.synthetic_plan, in this
             process, per root module (the prefilter's resource types, as the scan passes them)
  judged     the whole expanded path per root, in this process: expand, synthetic plan,
             Checkov's plan runner with mfaguard's checks, records moved back to HCL
             (what `mfaguard scan` does per root, without start-up, discovery and output)
  scan       mfaguard scan DIR --format json --output FILE                (subprocess)
  scan0      the same with MFAGUARD_EXPAND=0: every root through Checkov's HCL runner
  checkov    checkov -d DIR --framework terraform --external-checks-dir <checks>
             --external-checks-dir <policies> --skip-download -o json     (unless --no-checkov)

Every scan runs with MFAGUARD_WORKERS=1 (one process, like the in-process columns).
`share` is expand / scan: the expander's part of the scan's wall time.

Stacks:
  flat       bench_scan's `iam`: --users IAM users (every 2nd with a console password, every
             3rd with an access key), --groups groups with memberships and group policies (half
             MFA-enforcing), --pools Cognito pools, 2 policy documents; one resource block per
             instance.  Both paths must give the same verdicts: (check id, resource,
             PASSED/FAILED/UNKNOWN) of scan and scan0, and PASSED/FAILED of checkov.
  foreach    the same kind of users from a `locals` map keyed "userNNNN.doe@example.com",
             spread over --teams teams ("team03.eng"): a local module called with `for_each`
             over the teams creates, with `for_each`, the users, their login profiles and
             access keys (filtered `for` expressions), a group, a membership per user, and
             with `count = var.enforce ? 1 : 0` an MFA-enforcing group policy (first half of
             the teams); a second module, called with a `count` conditional, makes --pools
             Cognito pools with `for_each` and a `dynamic` TOTP block.  Reported, not judged:
             how many instances of each type each path judged, next to the number the checks
             should judge as Terraform expands it (every user, pool, group policy and policy
             document; the groups with a console member).  Checkov's HCL runner is known to
             lose instances there.
  realworld  terraform_fixtures/realworld/ as it is (24 root modules; scanned in place).  The
             two paths are expected to differ there (that is what the expander fixes): record
             counts only.  checkov -d merges every root into one graph: time only.

Exit status 1 only when the flat stack's verdicts differ between the paths, else 0.  A
measurement, not a test.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REALWORLD = REPO / "terraform_fixtures" / "realworld"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scan import _iam  # noqa: E402 - the flat stack is bench_scan's iam stack

ENFORCE_STATEMENT = '''  statement {
    sid         = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
'''

TEAM_MODULE = '''variable "name" {
  type = string
}

variable "members" {
  type = map(object({ team = string, console = bool, key = bool }))
}

variable "enforce" {
  type    = bool
  default = false
}

resource "aws_iam_user" "this" {
  for_each = var.members
  name     = each.key
  tags     = { team = var.name }
}

resource "aws_iam_user_login_profile" "this" {
  for_each = { for k, m in var.members : k => m if m.console }
  user     = aws_iam_user.this[each.key].name
}

resource "aws_iam_access_key" "this" {
  for_each = { for k, m in var.members : k => m if m.key }
  user     = aws_iam_user.this[each.key].name
}

resource "aws_iam_group" "this" {
  name = "team-${replace(var.name, ".", "-")}"
}

resource "aws_iam_user_group_membership" "this" {
  for_each = var.members
  user     = aws_iam_user.this[each.key].name
  groups   = [aws_iam_group.this.name]
}

resource "aws_iam_group_policy" "mfa" {
  count  = var.enforce ? 1 : 0
  name   = "enforce-mfa"
  group  = aws_iam_group.this.name
  policy = data.aws_iam_policy_document.mfa.json
}

data "aws_iam_policy_document" "mfa" {
''' + ENFORCE_STATEMENT + '''}
'''

POOLS_MODULE = '''variable "pools" {
  type = map(object({ mfa = string, totp = bool }))
}

resource "aws_cognito_user_pool" "this" {
  for_each          = var.pools
  name              = each.key
  mfa_configuration = each.value.mfa

  dynamic "software_token_mfa_configuration" {
    for_each = each.value.totp ? [true] : []
    content {
      enabled = software_token_mfa_configuration.value
    }
  }
}
'''

FOREACH_ROOT = '''variable "enforce_mfa_teams" {
  type    = list(string)
  default = [%(enforced)s]
}

variable "create_pools" {
  type    = bool
  default = true
}

locals {
  teams = toset(distinct([for p in local.people : p.team]))
}

module "team" {
  source   = "./modules/team"
  for_each = local.teams
  name     = each.key
  members  = { for k, p in local.people : k => p if p.team == each.key }
  enforce  = contains(var.enforce_mfa_teams, each.key)
}

module "pools" {
  source = "./modules/pools"
  count  = var.create_pools ? 1 : 0
  pools = { for i in range(%(pools)d) : format("pool-%%03d.%%s", i, ["eu", "us"][i %% 2]) => {
    mfa  = ["ON", "OPTIONAL", "OFF"][i %% 3]
    totp = i %% 2 == 0
  } }
}
'''


def _foreach(users: int, teams: int, pools: int) -> tuple[dict[str, str], dict]:
    """The foreach stack's files and what Terraform's expansion implies: how many instances of
    each type mfaguard's checks should judge (every user, pool, group policy and policy document;
    the groups with a console member) and how many users fail CKV2_MFA_1/CKV2_MFA_2 (console
    users, and users, outside the enforcing teams)."""
    teams = max(1, min(teams, users))
    names = [f"team{t:02d}.{('eng', 'ops', 'data')[t % 3]}" for t in range(teams)]
    people = ["locals {", "  people = {"]
    for i in range(users):
        people.append(f'    "user{i:04d}.doe@example.com" = {{ team = "{names[i % teams]}", '
                      f'console = {str(i % 2 == 0).lower()}, key = {str(i % 3 == 0).lower()} }}')
    people += ["  }", "}", ""]
    enforced = names[: teams // 2]
    files = {"main.tf": FOREACH_ROOT % {"enforced": ", ".join(f'"{n}"' for n in enforced), "pools": pools},
             "people.tf": "\n".join(people),
             "modules/team/main.tf": TEAM_MODULE, "modules/pools/main.tf": POOLS_MODULE}
    console_teams = {i % teams for i in range(0, users, 2)}
    judged = Counter({"aws_iam_user": users, "aws_iam_group": len(console_teams),
                      "aws_iam_group_policy": len(enforced), "aws_iam_policy_document": teams,
                      "aws_cognito_user_pool": pools})
    outside = [i for i in range(users) if i % teams >= len(enforced)]
    failed = {"CKV2_MFA_1": len([i for i in outside if i % 2 == 0]), "CKV2_MFA_2": len(outside)}
    return files, {"judged": judged, "failed": failed}


def generate(stack: str, root: Path, args: argparse.Namespace) -> tuple[Path, dict | None]:
    if stack == "realworld":
        return REALWORLD, None
    if stack == "flat":
        files, created = _iam(args.users, args.groups, args.pools), None
    else:
        files, created = _foreach(args.users, args.teams, args.pools)
    folder = root / stack
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder, created


# --------------------------------------------------------------------------- in process

def _cold() -> None:
    """Each timed pass starts as a scan process does: no module folder parsed yet (the parse
    cache of mfaguard.expand.config still serves the roots of one pass that share a module)."""
    from mfaguard.expand import config

    config._CACHE.clear()

class InProcess:
    """The expander and the expanded scan path, called as the scan calls them."""

    def __init__(self) -> None:
        from mfaguard.paths import external_checks_dirs
        from mfaguard.scan import engine
        from mfaguard.scan.prefilter import relevant_resource_types

        self.engine = engine
        self.ext_dirs = external_checks_dirs()
        self.relevant = relevant_resource_types(self.ext_dirs)
        self.settings = engine._settings(True, None, set())

    def expand(self, roots: list[str]) -> tuple[float, float, int, int]:
        """Seconds in expand(), seconds in synthetic_plan(), instances, roots expanded."""
        from mfaguard.expand.config import ConfigError
        from mfaguard.expand.expander import Unexpandable, expand
        from mfaguard.expand.plan import synthetic_plan

        _cold()
        t_expand = t_plan = 0.0
        instances = expanded = 0
        for root in roots:
            start = time.perf_counter()
            try:
                expansion = expand(root, self.relevant)
            except (ConfigError, Unexpandable, RecursionError):  # the scan falls back to Checkov's HCL runner
                t_expand += time.perf_counter() - start
                continue
            middle = time.perf_counter()
            synthetic_plan(expansion)
            t_expand += middle - start
            t_plan += time.perf_counter() - middle
            instances += len(expansion.instances)
            expanded += 1
        return t_expand, t_plan, instances, expanded

    def judged(self, roots: list[str]) -> float:
        """Seconds for the expanded path of every root (roots it cannot expand cost only the try)."""
        _cold()
        start = time.perf_counter()
        for root in roots:
            self.engine._run_expanded(root, self.settings)
        return time.perf_counter() - start

    def profile(self, roots: list[str], top: int) -> str:
        from mfaguard.expand.expander import expand
        from mfaguard.expand.plan import synthetic_plan

        _cold()
        prof = cProfile.Profile()
        for root in roots:
            try:
                prof.enable()
                synthetic_plan(expand(root, self.relevant))
            except Exception:  # noqa: BLE001 - a root the scan would not expand
                pass
            finally:
                prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
        return out.getvalue()


# --------------------------------------------------------------------------- subprocesses
def _run(argv: list[str], env: dict[str, str], out_file: Path | None) -> tuple[float, dict]:
    if out_file is not None:
        out_file.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed with {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    text = out_file.read_text(encoding="utf-8") if out_file else proc.stdout
    return elapsed, json.loads(text)


def records(report: object, ids: set[str]) -> list[tuple[str, str, str, str]]:
    """(check id, resource, verdict, file:lines) of mfaguard's checks; Checkov's own JSON has no
    UNKNOWN list."""
    reports = report if isinstance(report, list) else [report]
    out = []
    for rep in reports:
        if not isinstance(rep, dict) or rep.get("check_type") not in ("terraform", "terraform_plan"):
            continue
        for key, verdict in (("passed_checks", "PASSED"), ("failed_checks", "FAILED"),
                             ("unknown_checks", "UNKNOWN")):
            for rec in rep.get("results", {}).get(key, []):
                if rec["check_id"] in ids:
                    out.append((rec["check_id"], rec["resource"], verdict,
                                f"{rec.get('file_path')}:{rec.get('file_line_range')}"))
    return out


def _triples(recs: list[tuple[str, str, str, str]]) -> set[tuple[str, str, str]]:
    return {r[:3] for r in recs}


def resource_type(address: str) -> str:
    """aws_iam_user of module.team["a.b"].aws_iam_user.this["x@y.z"] (keys may hold dots)."""
    parts = re.sub(r'\[("(?:[^"\\]|\\.)*"|[^\]]*)\]', "", address).split(".")
    return parts[-2] if len(parts) >= 2 else address


def judged_types(recs: list[tuple[str, str, str, str]]) -> Counter:
    return Counter(resource_type(r) for r in {r[1] for r in recs})


# --------------------------------------------------------------------------- one stack
def bench(stack: str, root: Path, args: argparse.Namespace, inproc: InProcess, ids: set[str]) -> dict:
    from mfaguard.scan.roots import discover_roots

    folder, created = generate(stack, root, args)
    roots = discover_roots(str(folder))
    base = {**os.environ, "PYTHONWARNINGS": "ignore", "LOG_LEVEL": "ERROR", "MFAGUARD_WORKERS": "1"}
    commands: dict[str, tuple[list[str], dict[str, str], Path | None]] = {}
    for name, flag in (("scan", "1"), ("scan0", "0")):
        out = root / f"{stack}.{name}.json"
        commands[name] = ([str(BIN / "mfaguard"), "scan", str(folder), "--format", "json", "--output", str(out)],
                          {**base, "MFAGUARD_EXPAND": flag}, out)
    if not args.no_checkov:
        ext = [a for d in inproc.ext_dirs for a in ("--external-checks-dir", d)]
        commands["checkov"] = ([str(BIN / "checkov"), "-d", str(folder), "--framework", "terraform",
                                "--skip-download", "-o", "json", *ext], base, None)
    times: dict[str, list[float]] = {k: [] for k in ("expand", "plan", "judged", *commands)}
    reports: dict[str, dict] = {}
    instances = expanded = 0
    for _ in range(args.repeat):  # alternated: load hits every column alike
        t_expand, t_plan, instances, expanded = inproc.expand(roots)
        times["expand"].append(t_expand)
        times["plan"].append(t_plan)
        times["judged"].append(inproc.judged(roots))
        for name, (argv, env, out_file) in commands.items():
            took, reports[name] = _run(argv, env, out_file)
            times[name].append(took)
    best = {k: min(v) for k, v in times.items() if v}
    verdicts = {k: records(v, ids) for k, v in reports.items()}
    return {"stack": stack, "roots": len(roots), "expanded": expanded, "instances": instances,
            "best": best, "verdicts": verdicts, "created": created,
            "profile": inproc.profile(roots, args.profile) if args.profile else ""}


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def report(r: dict) -> bool:
    """Print one stack's lines; False when the flat stack's paths disagree."""
    b, v = r["best"], r["verdicts"]
    expander = b["expand"] + b["plan"]
    ck = b.get("checkov")
    print(f"{r['stack']:9} {r['roots']:5d} {r['expanded']:5d} {r['instances']:9d} {b['expand']:7.2f} {b['plan']:6.2f} "
          f"{b['judged']:7.2f} {b['scan']:6.2f} {b['scan0']:6.2f} {_fmt(ck):>7} "
          f"{expander / b['scan']:6.0%} {b['scan'] / b['scan0']:8.2f} "
          f"{(_fmt(b['scan'] / ck) if ck else '-'):>8}", flush=True)
    ok = True
    if r["stack"] == "flat":
        expanded, hcl = set(v["scan"]), set(v["scan0"])  # same verdict at the same file and lines
        same0 = expanded == hcl and len(v["scan"]) == len(v["scan0"])
        plain = {x for x in _triples(v["scan"]) if x[2] != "UNKNOWN"}
        line = (f"    verdicts (check, resource, verdict, file:lines): scan {len(v['scan'])}, scan0 {len(v['scan0'])}: "
                f"{'same' if same0 else 'DIFFERENT'}")
        if not same0:
            line += (f"\n      only scan:  {sorted(expanded - hcl)[:5]}"
                     f"\n      only scan0: {sorted(hcl - expanded)[:5]}")
        ok = same0
        if "checkov" in v:
            ck = _triples(v["checkov"])
            same_ck = plain == ck
            ok = ok and same_ck
            line += (f"\n    PASSED/FAILED (check, resource): scan {len(plain)}, checkov -d {len(ck)}: "
                     f"{'same' if same_ck else 'DIFFERENT'}")
            if not same_ck:
                line += (f"\n      only scan:    {sorted(plain - ck)[:5]}"
                         f"\n      only checkov: {sorted(ck - plain)[:5]}")
        print(line)
    elif r["stack"] == "foreach":
        judged = {k: judged_types(x) for k, x in v.items()}
        cols = [k for k in ("scan", "scan0", "checkov") if k in judged]
        expected = r["created"]["judged"]
        print(f"    instances judged  {'type':32} {'expected':>8} " + " ".join(f"{c:>7}" for c in cols))
        for t in sorted(set(expected) | {t for j in judged.values() for t in j}):
            print(f"                      {t:32} {expected.get(t, 0):8d} "
                  + " ".join(f"{judged[c].get(t, 0):7d}" for c in cols))
        for check, n in r["created"]["failed"].items():
            print(f"    {check} FAILED    {'':32} {n:8d} "
                  + " ".join(f"{sum(1 for x in v[c] if x[0] == check and x[2] == 'FAILED'):7d}" for c in cols))
        print("    records: " + ", ".join(f"{c} {len(v[c])}" for c in cols)
              + ("  (checkov -d lists no UNKNOWN)" if "checkov" in cols else ""))
    else:
        counts = {k: Counter(x[2] for x in recs) for k, recs in v.items()}
        print("    records: " + "; ".join(
            f"{k} {c['PASSED']} passed, {c['FAILED']} failed, {c['UNKNOWN']} unknown" for k, c in counts.items())
              + "  (not comparable: the expander changes what is judged; checkov -d merges the roots)")
    if r["profile"]:
        print(r["profile"])
    return ok


def _checkov_version() -> str:
    try:
        from checkov.version import version

        return str(version)
    except ImportError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stacks", default="flat,foreach,realworld")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (and the reports)")
    ap.add_argument("--users", type=int, default=1000, help="IAM users of flat and foreach")
    ap.add_argument("--groups", type=int, default=50, help="groups of flat")
    ap.add_argument("--teams", type=int, default=10, help="module instances (teams) of foreach")
    ap.add_argument("--pools", type=int, default=200, help="Cognito pools of flat and foreach")
    ap.add_argument("--no-checkov", action="store_true", help="skip plain checkov -d")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print the expander's top N functions (cProfile, by own time) per stack")
    args = ap.parse_args(argv)
    unknown = set(args.stacks.split(",")) - {"flat", "foreach", "realworld"}
    if unknown:
        ap.error(f"unknown stack(s): {', '.join(sorted(unknown))} (flat, foreach, realworld)")
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mfaguard-bench-expand-"))
    root.mkdir(parents=True, exist_ok=True)
    from mfaguard.catalogue import CHECKS

    inproc = InProcess()
    warm = [str(generate("flat", root, argparse.Namespace(users=3, groups=1, pools=1))[0])]
    inproc.expand(warm)  # imports, grammar
    inproc.judged(warm)  # Checkov's plan runner and check registries, loaded on first use
    ok = True
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, checkov {_checkov_version()}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"best of {args.repeat}; seconds")
    print(f"{'stack':9} {'roots':>5} {'expd':>5} {'instances':>9} {'expand':>7} {'plan':>6} {'judged':>7} "
          f"{'scan':>6} {'scan0':>6} {'checkov':>7} {'share':>6} {'scan/s0':>8} {'scan/ck':>8}")
    try:
        for stack in args.stacks.split(","):
            ok = report(bench(stack, root, args, inproc, set(CHECKS))) and ok
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
