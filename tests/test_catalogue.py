"""Meta-tests that guard mfaguard.catalogue, the checks/ and policies/ folders and the README table."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

import fixture_harness as fh
from mfaguard import catalogue
from mfaguard.catalogue import CHECK_ID_RE, CHECKS, CONTROLS, SECURITY_HUB, SEVERITIES

CHECKS_DIR = fh.REPO / "checks"
POLICIES_DIR = fh.REPO / "policies"
README = fh.REPO / "README.md"


def _check_files() -> list[Path]:
    return sorted(p for p in CHECKS_DIR.glob("*.py") if p.name != "__init__.py")


def _policy_files() -> list[Path]:
    return sorted(p for ext in ("yaml", "yml", "json") for p in POLICIES_DIR.glob(f"*.{ext}"))


# --- the catalogue itself -------------------------------------------------------------------

def test_ids_unique_and_well_formed():
    for key, meta in CHECKS.items():
        assert key == meta.id, f"catalogue key {key} holds {meta.id}"
        assert CHECK_ID_RE.match(meta.id), f"{meta.id}: not CKV_MFA_n / CKV2_MFA_n"
        if meta.id.startswith("CKV2_"):  # Checkov's convention: CKV2_ ids are graph checks
            assert meta.kind == "graph", f"{meta.id}: CKV2_ ids are for graph checks"
    names = [m.name for m in CHECKS.values()]
    assert len(names) == len(set(names)), "two checks share a name"


@pytest.mark.parametrize("meta", list(CHECKS.values()), ids=list(CHECKS))
def test_metadata_complete(meta):
    assert meta.severity in SEVERITIES
    assert meta.kind in ("python", "graph")
    assert meta.resources and all(isinstance(r, str) and r.startswith(("aws_", "data.aws_")) for r in meta.resources)
    assert meta.remediation and "\n" not in meta.remediation, f"{meta.id}: remediation must be one line"
    assert meta.passes_when and meta.name and meta.guideline.startswith("https://")
    assert meta.controls.get(SECURITY_HUB), f"{meta.id}: maps to no Security Hub control"
    for control in meta.controls[SECURITY_HUB]:
        assert control in CONTROLS, f"{meta.id}: unknown Security Hub control {control}"
    for framework, ids in meta.controls.items():
        assert ids and all(isinstance(i, str) and i for i in ids), f"{meta.id}: {framework} has no ids"
        if framework.startswith("CIS"):
            assert re.search(r"v\d", framework), f"{meta.id}: CIS framework key must carry its version"


@pytest.mark.parametrize("meta", list(CHECKS.values()), ids=list(CHECKS))
def test_fix_hcl_parses(meta):
    import hcl2  # bc-python-hcl2, as Checkov ships it

    try:
        hcl2.loads(meta.fix_hcl + "\n")
    except Exception as exc:  # noqa: BLE001 - any parse error is the failure we report
        pytest.fail(f"{meta.id}: fix_hcl is not valid HCL: {exc}")


def test_readme_table_is_generated_from_the_catalogue():
    text = README.read_text(encoding="utf-8")
    assert catalogue.START in text and catalogue.END in text, "README has no check table markers"
    table = text.split(catalogue.START, 1)[1].split(catalogue.END, 1)[0].strip()
    assert table == catalogue.markdown_table(), "README check table is stale: run `make readme`"


# --- fixtures: every check proven on HCL and on a plan, passing and failing -----------------

def _fixture_coverage() -> dict[tuple[str, str, str], list[str]]:
    """(check id, runner, verdict) -> fixture cases that expect at least one such address."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for case in fh.cases():
        for runner in fh.RUNNERS:
            if runner == "plan" and not fh.has_plan(case):
                continue
            for check_id, sets in fh.load_expected(case, runner).items():
                for verdict, addresses in sets.items():
                    if addresses:
                        seen.setdefault((check_id, runner, verdict), []).append(fh.case_id(case))
    return seen


@pytest.mark.parametrize("check_id", list(CHECKS))
def test_every_check_has_pass_and_fail_fixtures_on_hcl_and_plan(check_id):
    seen = _fixture_coverage()
    missing = [
        f"{runner} {verdict}"
        for runner in fh.RUNNERS
        for verdict in ("passed", "failed")
        if not seen.get((check_id, runner, verdict))
    ]
    assert not missing, f"{check_id}: no fixture expects a {', '.join(missing)} resource"


def test_fixture_expectations_name_catalogue_checks():
    for case in fh.cases():
        for check_id in fh.load_expected(case, "hcl"):
            assert check_id in CHECKS, f"{fh.case_id(case)}/expected.yaml: {check_id} is not in the catalogue"


# --- checks/ and policies/ as Checkov loads them ----------------------------------------------

def test_external_dirs_hold_only_what_checkov_should_load():
    for folder, allowed in ((CHECKS_DIR, {".py"}), (POLICIES_DIR, {".yaml", ".yml", ".json", ".py"})):
        assert (folder / "__init__.py").is_file(), f"{folder}: without __init__.py Checkov skips it silently"
        for path in folder.iterdir():
            if path.name == "__pycache__":
                continue
            assert path.is_file() and path.suffix in allowed, f"{path}: does not belong in {folder.name}/"
            if folder == POLICIES_DIR and path.suffix == ".py":
                assert path.name == "__init__.py", f"{path}: Python checks go in checks/"


@pytest.mark.parametrize("path", _check_files(), ids=lambda p: p.name)
def test_check_file_defines_its_class_with_absolute_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert path.stem in classes, f"{path.name}: file name must equal the check's class name"
    relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
    assert not relative, f"{path.name}: Checkov imports checks by bare stem; use absolute imports"


def test_check_file_stems_are_unique_modules():
    import importlib.util

    for path in _check_files():
        spec = importlib.util.find_spec(path.stem) if path.stem.isidentifier() else None
        origin = getattr(spec, "origin", None) if spec else None
        assert origin in (None, str(path)), f"{path.name}: stem shadows/collides with module {origin}"


def _load_external_checks() -> list:
    """Load checks/ and policies/ exactly as `--external-checks-dir` does; return all checks."""
    from checkov.common.checks.base_check_registry import BaseCheckRegistry
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.runner import Runner

    Runner().load_external_checks(fh.EXTERNAL_DIRS)
    found = list(BaseCheckRegistry.get_all_registered_checks())
    for check_type in ("terraform", "terraform_plan"):
        found.extend(get_graph_checks_registry(check_type).checks)
    return found


def test_every_catalogue_check_registers_with_checkov():
    from checkov.common.bridgecrew.severities import Severities

    registered = {}
    for chk in _load_external_checks():
        registered[chk.id] = chk  # newest instance wins, as in Checkov's registries
    for check_id, meta in CHECKS.items():
        assert check_id in registered, f"{check_id}: not registered when checks/ and policies/ are loaded"
        chk = registered[check_id]
        assert chk.severity == Severities[meta.severity], f"{check_id}: severity not taken from the catalogue"
        if meta.kind == "python" and hasattr(chk, "supported_entities"):
            assert sorted(chk.supported_entities) == sorted(meta.resources), f"{check_id}: resources differ"
            assert chk.guideline == meta.guideline, f"{check_id}: guideline not taken from the catalogue"


def test_every_check_in_checks_dir_is_in_the_catalogue():
    stems = {p.stem for p in _check_files()}
    ids_from_files = {
        chk.id for chk in _load_external_checks()
        if type(chk).__module__ in stems or type(chk).__name__ in stems
    }
    assert ids_from_files, "no check from checks/ registered"
    assert ids_from_files <= set(CHECKS), f"not in the catalogue: {sorted(ids_from_files - set(CHECKS))}"
    for path in _policy_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        policy_id = (data.get("metadata") or {}).get("id")
        assert policy_id in CHECKS, f"{path.name}: policy id {policy_id!r} is not in the catalogue"


def test_checks_doc_is_generated_from_the_catalogue():
    doc = fh.REPO / "docs" / "checks.md"
    assert doc.read_text(encoding="utf-8") == catalogue.render_docs(), "docs/checks.md is stale: run `make readme`"
    for meta in CHECKS.values():  # every guideline URL lands on an anchor that exists
        assert meta.guideline.endswith(f"docs/checks.md#{meta.id.lower()}")
        assert f'<a id="{meta.id.lower()}"></a>' in catalogue.render_docs()
