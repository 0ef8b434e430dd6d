"""The expander against the plans: every terraform_fixtures/ folder with both main.tf and
tfplan.json must expand to the IAM and Cognito instances the plan's planned_values list, with
the same values for every attribute the expansion knows.

Intentional differences (each one a rule below, never a per-fixture exception):

* data sources: Terraform keeps those it reads at plan time in prior_state, not planned_values;
  the expansion lists them (the checks judge data.aws_iam_policy_document on HCL too);
* attributes the expansion leaves unknown (computed after apply, a variable without a default
  that the plan was given with -var): the plan's value is not compared;
* attributes only the plan has (provider defaults such as path = "/"): not compared;
* policy documents are compared as parsed JSON (the provider normalises the text);
* lists of strings are compared without order: the expansion has no provider schema, and
  set-typed attributes (allowed_first_auth_factors) come out of a plan sorted;
* a module that is not downloaded: its instances are placeholders (REGISTRY_NOT_DOWNLOADED),
  while the plan was made after `terraform init`;
* a block whose count/for_each the configuration does not determine: the expansion has one
  undetermined instance at its address without keys, the plan (made with `-var` values) the
  instances those values give; such blocks are compared by address only, not by instance.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import fixture_harness as fh
from mfaguard.expand.expander import expand
from mfaguard.expand.values import Unknown
from mfaguard.checkov_adapter.graph import IAM_TYPES

TYPES = {t for t in IAM_TYPES if not t.startswith("data.")} | {"aws_cognito_user_pool"}
CASES = [c for c in fh.cases() if (c / "main.tf").is_file() and fh.has_plan(c)]
REGISTRY_NOT_DOWNLOADED = {"expansion/registry_module_not_downloaded", "expansion/count_from_missing_module"}


def _plan_resources(module: dict) -> dict[str, dict]:
    out = {}
    for r in module.get("resources", []):
        if r.get("mode") == "managed" and r["type"] in TYPES:
            out[r["address"]] = r.get("values") or {}
    for child in module.get("child_modules", []):
        out.update(_plan_resources(child))
    return out


def _block(address: str) -> str:
    """`module.ops[0].aws_iam_user.u["a"]` -> `module.ops.aws_iam_user.u`."""
    return re.sub(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]', "", address)


def _same(ours, theirs) -> bool:
    if isinstance(ours, Unknown):
        return True
    if isinstance(ours, str) and isinstance(theirs, str) and ours.lstrip().startswith("{"):
        try:
            return json.loads(ours) == json.loads(theirs)
        except ValueError:
            pass
    if isinstance(ours, list) and isinstance(theirs, list):
        if all(isinstance(v, str) for v in ours + theirs):
            return sorted(ours) == sorted(theirs)
        return len(ours) == len(theirs) and all(_same(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return all(k not in theirs or _same(v, theirs[k]) for k, v in ours.items())
    return ours == theirs


def test_there_are_oracle_fixtures():
    assert len(CASES) >= 20, [fh.case_id(c) for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=[fh.case_id(c) for c in CASES])
def test_expansion_matches_the_plan(case: Path):
    plan = json.loads((case / fh.PLAN_FILE).read_text(encoding="utf-8"))
    theirs = _plan_resources(plan["planned_values"]["root_module"])
    expansion = expand(str(case))
    ours = {i.address: i.values for i in expansion.instances if i.mode == "managed" and i.type in TYPES}
    undetermined = {i.address for i in expansion.instances if i.undetermined}
    if undetermined:
        assert undetermined <= {_block(a) for a in theirs} | {_block(a) for a in ours}
        ours = {a: v for a, v in ours.items() if a not in undetermined}
        theirs = {a: v for a, v in theirs.items() if _block(a) not in undetermined}
    if fh.case_id(case) in REGISTRY_NOT_DOWNLOADED:
        assert expansion.missing and not any(a.startswith("module.") for a in ours)
        theirs = {a: v for a, v in theirs.items() if not a.startswith("module.")}
    assert sorted(ours) == sorted(theirs)
    problems = []
    for address, values in ours.items():
        for attr, value in values.items():
            if isinstance(value, Unknown) or attr not in theirs[address]:
                continue
            if not _same(value, theirs[address][attr]):
                problems.append(f"{address}.{attr}: expansion {value!r} != plan {theirs[address][attr]!r}")
    assert not problems, "\n".join(problems)
