"""desired.py: plan/state JSON -> AccountState (what Terraform says)."""
from __future__ import annotations

import copy
import json
import os

import pytest

from mfaguard.drift import desired
from mfaguard.errors import InputError

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), "terraform_fixtures", "drift")


def fixture(name: str) -> str:
    return os.path.join(FIX, name)


def load_json(name: str) -> dict:
    with open(fixture(name), encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------- plan 1.2


def test_plan_users_credentials_groups_and_memberships():
    s = desired.load(fixture("plan_basic.json"))
    assert set(s.users) == {"alice", "bob", "ci", "legacy-svc"}
    alice, bob, ci = s.users["alice"], s.users["bob"], s.users["ci"]
    assert (alice.address, alice.console, alice.access_keys, alice.groups) == (
        "aws_iam_user.alice", True, None, ["admins"])
    assert (bob.console, bob.access_keys, bob.groups) == (None, True, ["admins"])
    assert ci.groups == [] and ci.access_keys is True
    # ARNs and IDs are unknown until apply: None, never guessed
    assert alice.arn is None and alice.id is None


def test_plan_unknown_policy_arn_is_linked_through_configuration_references():
    s = desired.load(fixture("plan_basic.json"))
    assert s.groups["admins"].policy_refs() == ["aws_iam_policy.enforce_mfa"]
    assert s.users["ci"].policy_refs() == ["aws_iam_policy.readonly"]
    pol = s.policies["aws_iam_policy.enforce_mfa"]
    assert pol.name == "enforce-mfa" and pol.arn is None
    assert pol.document["Statement"][0]["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}


def test_plan_child_module_walked():
    s = desired.load(fixture("plan_basic.json"))
    assert s.users["legacy-svc"].address == "module.legacy.aws_iam_user.this[0]"


def test_plan_pool_regions_from_provider_aliases():
    s = desired.load(fixture("plan_basic.json"))
    pools = {p.name: p for p in s.pools}
    assert pools["customers"].region == "us-east-1"
    assert pools["staff"].region == "eu-west-1"  # provider = aws.eu
    assert (pools["staff"].mfa_configuration, pools["staff"].software_token_enabled,
            pools["staff"].advanced_security_mode) == ("ON", True, "ENFORCED")
    assert s.regions == ["us-east-1", "eu-west-1"]


# ---------------------------------------------------------------------------- plan 0.1 (Terraform 0.12)


def test_v01_plan_module_provider_key_and_variable_region():
    s = desired.load(fixture("plan_v01_modules.json"))
    pools = {p.name: p for p in s.pools}
    assert pools["members"].region == "eu-west-1"  # "iam:aws" -> root provider -> var.region
    assert pools["later"].region == "eu-west-1"
    assert (pools["members"].mfa_configuration, pools["members"].advanced_security_mode) == ("OPTIONAL", "AUDIT")


def test_v01_after_unknown_values_become_none():
    s = desired.load(fixture("plan_v01_modules.json"))
    later = next(p for p in s.pools if p.name == "later")
    assert later.mfa_configuration is None  # after_unknown: not "OFF", not drift


def test_v01_prior_state_identifiers_used_for_matching():
    s = desired.load(fixture("plan_v01_modules.json"))
    ops = s.users["ops"]
    assert ops.arn == "arn:aws:iam::111122223333:user/ops" and ops.id == "AIDAOPS0000000000001"
    assert ops.groups == ["devs"]  # aws_iam_user_group_membership
    assert s.account_id == "111122223333"


def test_v01_policy_attachment_users_and_groups_and_data_source_document():
    s = desired.load(fixture("plan_v01_modules.json"))
    assert s.users["ann"].policy_refs() == ["module.iam.aws_iam_policy.console"]
    assert s.users["ann"].address == 'module.iam.aws_iam_user.u["ann"]'
    devs = s.groups["devs"]
    assert devs.policy_refs() == ["module.iam.aws_iam_policy.console"]
    # the inline policy's `policy` is unknown in the plan; the data source read at plan time has it
    (inline,) = devs.inline_policies
    assert inline.name == "mfa"
    assert inline.document["Statement"][0]["Effect"] == "Deny"


# ---------------------------------------------------------------------------- states


def test_show_json_state_is_detected_by_content():
    s = desired.load(fixture("state_show.json"))
    carol = s.users["carol"]
    assert (carol.arn, carol.id, carol.console, carol.groups) == (
        "arn:aws:iam::111122223333:user/carol", "AIDACAROL00000000001", True, ["admins"])
    assert s.groups["admins"].policy_refs() == ["arn:aws:iam::111122223333:policy/enforce-mfa"]
    assert s.users["bot"].address == "module.svc.aws_iam_user.bot" and s.users["bot"].access_keys is True
    (pool,) = s.pools
    assert (pool.id, pool.region, pool.allowed_first_auth_factors) == ("eu-west-1_AbC123", "eu-west-1", ["PASSWORD"])


def test_raw_tfstate_v4(tmp_path):
    raw = {"version": 4, "terraform_version": "1.6.0", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
        {"module": "module.team", "mode": "managed", "type": "aws_iam_user", "name": "u",
         "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
         "instances": [{"index_key": "dev", "attributes": {"name": "dev", "arn": "arn:aws:iam::123456789012:user/dev",
                                                             "unique_id": "AIDADEV"}}]},
        {"mode": "managed", "type": "aws_cognito_user_pool", "name": "p", "provider": "x",
         "instances": [{"attributes": {"name": "p", "id": "ap-south-1_Q1", "mfa_configuration": "OFF",
                                       "user_pool_add_ons": []}}]},
    ]}
    path = tmp_path / "terraform.tfstate"
    path.write_text(json.dumps(raw))
    s = desired.load(str(path))
    assert s.users["dev"].address == 'module.team.aws_iam_user.u["dev"]'
    assert s.users["dev"].id == "AIDADEV"
    assert (s.pools[0].region, s.pools[0].mfa_configuration, s.pools[0].advanced_security_mode) == (
        "ap-south-1", "OFF", "OFF")


# ---------------------------------------------------------------------------- format versions


@pytest.mark.parametrize("version", ["0.1", "0.2", "1.0", "1.1", "1.2"])
def test_supported_format_versions(version):
    doc = load_json("plan_basic.json")
    doc["format_version"] = version
    assert "alice" in desired.parse(doc, "p.json").users


@pytest.mark.parametrize("version", ["2.0", "0.3", "", 1.2, None])
def test_unknown_format_version_is_bad_input(version):
    doc = load_json("plan_basic.json")
    doc["format_version"] = version
    with pytest.raises(InputError) as exc:
        desired.parse(doc, "p.json")
    assert str(exc.value).startswith("p.json: ") and "format_version" in str(exc.value)


# ---------------------------------------------------------------------------- region edge cases


def _plan_with_pool_provider(provider_config: dict, key: str, module: bool = False) -> dict:
    doc = {"format_version": "1.2", "planned_values": {"root_module": {}}, "resource_changes": [],
           "configuration": {"provider_config": provider_config, "root_module": {}}}
    pool = {"address": "aws_cognito_user_pool.p", "mode": "managed", "type": "aws_cognito_user_pool",
            "name": "p", "values": {"name": "p", "mfa_configuration": "ON"}}
    cfg = {"address": "aws_cognito_user_pool.p", "mode": "managed", "type": "aws_cognito_user_pool",
           "name": "p", "provider_config_key": key, "expressions": {}}
    if module:
        pool["address"] = "module.m.aws_cognito_user_pool.p"
        doc["planned_values"]["root_module"]["child_modules"] = [{"address": "module.m", "resources": [pool]}]
        doc["configuration"]["root_module"]["module_calls"] = {"m": {"module": {"resources": [cfg]}}}
    else:
        doc["planned_values"]["root_module"]["resources"] = [pool]
        doc["configuration"]["root_module"]["resources"] = [cfg]
    return doc


def test_module_provider_configuration_region():
    pc = {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
          "module.m:aws": {"name": "aws", "module_address": "module.m",
                           "expressions": {"region": {"constant_value": "sa-east-1"}}}}
    s = desired.parse(_plan_with_pool_provider(pc, "module.m:aws", module=True))
    assert s.pools[0].region == "sa-east-1"


def test_passed_in_module_provider_falls_back_to_parent():
    pc = {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-2"}}},
          "module.m:aws": {"name": "aws", "module_address": "module.m"}}  # passed in: no expressions
    s = desired.parse(_plan_with_pool_provider(pc, "module.m:aws", module=True))
    assert s.pools[0].region == "us-east-2"


def test_unresolvable_region_is_none():
    pc = {"aws": {"name": "aws", "expressions": {"region": {"references": ["local.r"]}}}}
    s = desired.parse(_plan_with_pool_provider(pc, "aws"))
    assert s.pools[0].region is None and s.regions == []


def test_resource_level_region_wins():
    pc = {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}}
    doc = _plan_with_pool_provider(pc, "aws")
    doc["planned_values"]["root_module"]["resources"][0]["values"]["region"] = "eu-central-1"
    assert desired.parse(doc).pools[0].region == "eu-central-1"


def test_deleted_resources_are_not_desired():
    doc = load_json("plan_basic.json")
    doc = copy.deepcopy(doc)
    doc["planned_values"]["root_module"]["resources"] = [
        r for r in doc["planned_values"]["root_module"]["resources"] if r["address"] != "aws_iam_user.ci"]
    for rc in doc["resource_changes"]:
        if rc["address"] == "aws_iam_user.ci":
            rc["change"].update(actions=["delete"], before={"name": "ci"}, after=None)
    s = desired.parse(doc)
    assert s.users["ci"].address is None  # still referenced by its access key, no longer managed
    # ... and live it is pending destroy, not created outside Terraform
    assert [(u.name, u.address) for u in s.pending_destroy_users] == [("ci", "aws_iam_user.ci")]


def test_a_replaced_resource_is_not_pending_destroy():
    doc = copy.deepcopy(load_json("plan_basic.json"))
    for rc in doc["resource_changes"]:
        if rc["address"] == "aws_iam_user.ci":
            rc["change"]["actions"] = ["delete", "create"]
    assert desired.parse(doc).pending_destroy_users == []


def test_data_aws_iam_policy_read_at_plan_time_is_kept_with_its_document():
    doc = copy.deepcopy(load_json("plan_basic.json"))
    arn = "arn:aws:iam::123456789012:policy/baseline/enforce-mfa"
    document = {"Version": "2012-10-17", "Statement": []}
    doc.setdefault("prior_state", {"format_version": "1.0", "values": {"root_module": {"resources": []}}})
    doc["prior_state"]["values"]["root_module"]["resources"].append({
        "address": "data.aws_iam_policy.baseline", "mode": "data", "type": "aws_iam_policy", "name": "baseline",
        "values": {"arn": arn, "name": "enforce-mfa", "policy": json.dumps(document)}})
    read = desired.parse(doc).read_policies[arn]
    assert (read.address, read.name, read.document) == ("data.aws_iam_policy.baseline", "enforce-mfa", document)


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name,problem", [
    ("bad_format_version.json", "unsupported format_version '9.0'"),
    ("not_terraform.json", "neither a plan nor a state"),
    ("truncated.json", "not valid JSON"),
    ("does_not_exist.json", "no such file"),
])
def test_bad_input_one_line_naming_the_file(name, problem):
    with pytest.raises(InputError) as exc:
        desired.load(fixture(name))
    msg = str(exc.value)
    assert msg.startswith(fixture(name) + ": ") and problem in msg and "\n" not in msg


def test_binary_plan_is_bad_input(tmp_path):
    p = tmp_path / "plan.tfplan"
    p.write_bytes(b"PK\x03\x04\xff\xfe binary zip")
    with pytest.raises(InputError, match="not UTF-8"):
        desired.load(str(p))


def test_malformed_structure_is_bad_input_not_a_traceback():
    with pytest.raises(InputError, match="p.json: "):
        desired.parse({"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"x": 1}]}}},
                      "p.json")
    with pytest.raises(InputError):
        desired.parse([1, 2], "p.json")


def test_empty_state_is_an_empty_desired_state():
    s = desired.parse({"format_version": "1.0"}, "state.json")
    assert (s.users, s.groups, s.pools) == ({}, {}, [])


def test_plan_pool_tier_and_custom_auth_mode():
    """user_pool_tier and advanced_security_additional_flows.custom_auth_mode (default AUDIT);
    a tier known only after apply stays unknown (None)."""
    plan = os.path.join(os.path.dirname(HERE), "terraform_fixtures", "CKV_MFA_5", "custom_auth", "tfplan.json")
    pools = {p.address.split(".")[1]: p for p in desired.load(plan).pools}
    assert (pools["pass_enforced"].tier, pools["pass_enforced"].custom_auth_mode) == ("PLUS", "ENFORCED")
    assert pools["fail_default_audit"].custom_auth_mode == "AUDIT"
    assert (pools["fail_no_add_ons"].advanced_security_mode, pools["fail_no_add_ons"].custom_auth_mode) == ("OFF", "AUDIT")
    assert pools["unknown_no_tier"].tier is None
