"""`mfaguard scan` with the expander (docs/expand.md): what a user sees for a module that is
not downloaded, a root that falls back to Checkov's HCL runner, and skip comments."""
from __future__ import annotations

from pathlib import Path

from mfaguard.cli import main
from mfaguard.scan import engine

REPO = Path(__file__).resolve().parent.parent
NOT_DOWNLOADED = REPO / "terraform_fixtures" / "expansion" / "registry_module_not_downloaded" / "main.tf"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_module_not_downloaded_is_unknown_and_says_to_run_terraform_init(tmp_path, capsys):
    root = _write(tmp_path / "stack", {"main.tf": NOT_DOWNLOADED.read_text(encoding="utf-8")})
    assert main(["scan", str(root), "--quiet"]) == 0  # nothing failed: nothing can be decided
    out = capsys.readouterr().out
    assert "UNKNOWN: CKV2_MFA_1 aws_iam_user.jo" in out
    assert "module.enforce_mfa (source 'acme/enforce-mfa/aws') is not downloaded" in out
    assert "run `terraform init`" in out
    assert main(["scan", str(root), "--quiet", "--unknown-fails"]) == 1


def test_a_root_the_expander_cannot_expand_is_judged_by_checkovs_hcl_runner(tmp_path, capsys, monkeypatch):
    # an override file: Terraform merges it into main.tf's block; the expander does not guess how
    root = _write(tmp_path / "stack", {"main.tf": '''
resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}
''', "main_override.tf": '''
resource "aws_iam_user" "ann" {
  name = "ann.smith"
}
'''})
    monkeypatch.setenv("MFAGUARD_DEBUG", "1")
    result = engine.scan([str(root)])
    err = capsys.readouterr().err
    assert "judged by Checkov's HCL runner" in err and "override" in err
    # Checkov's HCL graph keeps the block: the verdict is plain Checkov's, not a silent pass
    assert {(r.check_id, r.resource.split("[")[0]) for r in result.failed} >= {("CKV2_MFA_1", "aws_iam_user.ann")}


def test_a_count_that_cannot_be_known_is_unknown_naming_why(tmp_path, capsys):
    """No fall back for the whole root: the blocks whose instances are not known are UNKNOWN,
    each once, saying why; the rest of the root is judged as ever."""
    root = _write(tmp_path / "stack", {"main.tf": '''
variable "enabled" {}

resource "aws_iam_user" "ann" {
  count = var.enabled ? 1 : 0
  name  = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  count = var.enabled ? 1 : 0
  user  = aws_iam_user.ann[0].name
}

resource "aws_cognito_user_pool" "maybe" {
  count             = var.enabled ? 1 : 0
  name              = "maybe"
  mfa_configuration = "OFF"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}
'''})
    assert main(["scan", str(root), "--quiet"]) == 1  # bob surely FAILs
    out = capsys.readouterr().out
    assert "FAILED: CKV2_MFA_1 aws_iam_user.bob" in out or "FAILED for resource: aws_iam_user.bob" in out
    for check, address in (("CKV2_MFA_1", "aws_iam_user.ann"), ("CKV_MFA_1", "aws_cognito_user_pool.maybe")):
        line = next(x for x in out.splitlines() if x.startswith(f"UNKNOWN: {check} {address}:"))
        assert "whether it exists, and how many instances it has, is not known" in line
        assert f"count of {address} cannot be evaluated: var.enabled has no value here" in line
    assert "aws_iam_user.ann[0]" not in out and "maybe[0]" not in out


def test_skip_comment_in_the_block_skips_the_expanded_instances(tmp_path):
    root = _write(tmp_path / "stack", {"main.tf": '''
resource "aws_iam_user" "people" {
  for_each = toset(["jane.doe", "max"])
  #checkov:skip=CKV2_MFA_2:break-glass accounts, reviewed quarterly
  name     = each.key
}
'''})
    result = engine.scan([str(root)])
    skipped = {(r.check_id, r.resource) for r in result.skipped}
    assert skipped == {("CKV2_MFA_2", 'aws_iam_user.people["jane.doe"]'), ("CKV2_MFA_2", 'aws_iam_user.people["max"]')}
    assert not result.failed
    record = result.skipped[0]
    assert record.file_path.endswith("main.tf") and record.file_line_range == [2, 6]


TEMPLATE_FILE_MAIN = '''# A policy from a repository file rendered by the template provider's data "template_file"
# (hashicorp/template): the Deny comes from policies/enforce-mfa.json with its vars; the group's
# own ARN (known after apply) stays a reference.  ann, a console user in the group: PASSED.
# policies/console-only.json denies with Bool (not BoolIfExists): FAILED.
resource "aws_iam_group" "enforced" {
  name = "enforced"
}

data "template_file" "enforce_mfa" {
  template = file("${path.module}/policies/enforce-mfa.json")

  vars = {
    sid       = "DenyAllExceptMfaEnrolmentWithoutMFA"
    mfa_key   = "aws:MultiFactorAuthPresent"
    group_arn = aws_iam_group.enforced.arn
  }
}

resource "aws_iam_group_policy" "enforced" {
  name   = "enforce-mfa"
  group  = aws_iam_group.enforced.name
  policy = data.template_file.enforce_mfa.rendered
}

data "template_file" "console_only" {
  template = file("${path.module}/policies/console-only.json")
  vars     = { mfa_key = "aws:MultiFactorAuthPresent" }
}

resource "aws_iam_policy" "console_only" {
  name   = "enforce-mfa-console-only"
  policy = data.template_file.console_only.rendered
}

resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}

resource "aws_iam_group_membership" "enforced" {
  name  = "enforced-members"
  group = aws_iam_group.enforced.name
  users = [aws_iam_user.ann.name]
}
'''
ENFORCE_MFA_JSON = '''{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "${sid}",
      "Effect": "Deny",
      "NotAction": [
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken"
      ],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"${mfa_key}": "false"}}
    },
    {
      "Sid": "ReadOwnGroup",
      "Effect": "Allow",
      "Action": "iam:GetGroup",
      "Resource": "${group_arn}"
    }
  ]
}
'''
CONSOLE_ONLY_JSON = '''{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {"Bool": {"${mfa_key}": "false"}}
    }
  ]
}
'''


def test_template_file_policies_are_rendered_and_judged(tmp_path):
    """data "template_file" (hashicorp/template) over policy files: rendered with its vars, the
    group's ARN (known after apply) left as a reference.  No tfplan.json can be made offline
    (the archived template provider is not in the plugin mirror), so this is a scan test rather
    than a terraform_fixtures/ folder.  Verdicts by AWS's rules: a Deny NotAction [enrolment]
    with BoolIfExists {aws:MultiFactorAuthPresent: false} covers console and access keys
    (PASSED, and ann, a console user in the group, is covered); Bool never matches requests
    signed with long-term access keys, which carry no such key (FAILED)."""
    root = _write(tmp_path / "stack", {"main.tf": TEMPLATE_FILE_MAIN, "policies/enforce-mfa.json": ENFORCE_MFA_JSON,
                                       "policies/console-only.json": CONSOLE_ONLY_JSON})
    result = engine.scan([str(root)])
    verdicts = {(r.check_id, r.resource): verdict for verdict, records in
                (("passed", result.passed), ("failed", result.failed), ("unknown", result.unknown))
                for r in records}
    assert verdicts == {
        ("CKV_MFA_4", "aws_iam_group_policy.enforced"): "passed",
        ("CKV_MFA_4", "aws_iam_policy.console_only"): "failed",
        ("CKV2_MFA_1", "aws_iam_user.ann"): "passed",
        ("CKV2_MFA_2", "aws_iam_user.ann"): "passed",
        ("CKV2_MFA_3", "aws_iam_group.enforced"): "passed",
    }
    failed = next(r for r in result.failed if r.resource == "aws_iam_policy.console_only")
    assert "Bool {aws:MultiFactorAuthPresent" in " ".join(failed.details)


def test_a_link_that_may_not_exist_makes_only_the_verdicts_it_could_change_unknown(tmp_path, capsys):
    """A group policy with an unknown count may be what enforces MFA for the group's members
    (their PASS becomes UNKNOWN); a user outside the group FAILs either way, and so does the
    exit code."""
    root = _write(tmp_path / "stack", {"main.tf": '''
variable "enforce" {}

resource "aws_iam_group" "team" {
  name = "team"
}

resource "aws_iam_group_policy" "mfa" {
  count = var.enforce ? 1 : 0
  group = aws_iam_group.team.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ResyncMFADevice", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}

resource "aws_iam_user_group_membership" "ann" {
  user   = aws_iam_user.ann.name
  groups = [aws_iam_group.team.name]
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}
'''})
    assert main(["scan", str(root), "--quiet"]) == 1
    out = capsys.readouterr().out
    ann = next(x for x in out.splitlines() if x.startswith("UNKNOWN: CKV2_MFA_1 aws_iam_user.ann:"))
    assert "it passes with aws_iam_group_policy.mfa, and whether that exists is not known" in ann
    assert "count of aws_iam_group_policy.mfa cannot be evaluated: var.enforce has no value here" in ann
    assert "FAILED for resource: aws_iam_user.bob" in out
    assert "UNKNOWN: CKV2_MFA_3 aws_iam_group.team:" in out  # its enforcement is the maybe-policy


def test_a_credential_naming_a_user_whose_name_is_unknown_stays_with_that_user(tmp_path, capsys):
    """clouddrove/terraform-aws-iam-user: the user is named by a module that is not downloaded.
    Its login profile names it by reference; the module's placeholder user, whose name is unknown
    for the same reason, must not be taken for its owner."""
    root = _write(tmp_path / "stack", {"main.tf": '''
module "labels" {
  source = "clouddrove/labels/aws"
  name   = "jane"
}

resource "aws_iam_user" "default" {
  count = 1
  name  = module.labels.id
}

resource "aws_iam_user_login_profile" "default" {
  count = 1
  user  = aws_iam_user.default.*.name[0]
}
'''})
    main(["scan", str(root), "--quiet"])
    out = capsys.readouterr().out
    lines = {x.split(":", 2)[1].strip(): x for x in out.splitlines() if x.startswith("UNKNOWN: CKV2_MFA_1 ")}
    assert "aws_iam_user_login_profile.default[0]" in lines["CKV2_MFA_1 aws_iam_user.default[0]"]
    assert "aws_iam_user_login_profile.default[0]" not in lines["CKV2_MFA_1 module.labels.aws_iam_user.not_downloaded"]


def test_a_group_outside_the_configuration_names_the_modules_not_downloaded(tmp_path, capsys):
    """boldlink/terraform-aws-iam-user: users join groups a registry module creates; without
    `terraform init` the message says which module may create the group and what to run."""
    root = _write(tmp_path / "stack", {"main.tf": '''
module "groups" {
  source = "boldlink/iam-group/aws"
  name   = "ops"
}

resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}

resource "aws_iam_user_group_membership" "ann" {
  user   = aws_iam_user.ann.name
  groups = ["ops"]
}
'''})
    main(["scan", str(root), "--quiet"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("UNKNOWN: CKV2_MFA_1 aws_iam_user.ann:"))
    assert "group ops is not in the configuration" in line
    assert "It may be created by a module that is not downloaded: module.groups (source 'boldlink/iam-group/aws')" in line
    assert "run `terraform init`" in line


def test_a_placeholder_at_the_roots_own_module_call_names_no_caller(capsys, monkeypatch):
    """Placeholders of a module the root calls directly are reported at that call: no
    "called from" pointing at the same lines."""
    monkeypatch.chdir(REPO)
    main(["scan", "terraform_fixtures/expansion/registry_module_not_downloaded", "--quiet"])
    lines = [x for x in capsys.readouterr().out.splitlines() if "not_downloaded:" in x and x.startswith("UNKNOWN")]
    assert lines and all("called from" not in x for x in lines)
