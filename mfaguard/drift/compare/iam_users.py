"""Changes to one IAM user that the plan does not make: a user renamed by hand, a sign-in path
(console password, access key) added outside Terraform, a user the plan is about to destroy.

``compliance`` of each finding is the live state of its control (control_state): a change that
leaves the control passing (the user has an MFA device) is still drift, at PASSED_DRIFT_SEVERITY.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import PASSED_DRIFT_SEVERITY, Context
from mfaguard.drift.model import User


def control_state(lu: User, control: str) -> str:
    """IAM.5 / IAM.19 for a live user, as Security Hub judges them: PASSED, FAILED or UNKNOWN."""
    if lu.mfa_active is None:
        return "UNKNOWN"
    if lu.mfa_active:
        return "PASSED"
    if control == "IAM.5" and lu.console is False:
        return "PASSED"  # no console password: IAM.5 does not apply
    return "FAILED"


def _severity(compliance: str) -> str | None:
    return PASSED_DRIFT_SEVERITY if compliance == "PASSED" else None  # None: the control's


def _credentials(lu: User) -> str:
    creds = []
    if lu.console:
        creds.append("a console password")
    if lu.access_keys:
        creds.append("access keys")
    return " and ".join(creds) if creds else "no password or access keys"


def _match(users: list[User], lu: User) -> User | None:
    for u in users:
        if (u.arn and u.arn == lu.arn) or (u.id and u.id == lu.id):
            return u
    return next((u for u in users if u.name == lu.name and not (u.arn or u.id)), None)


def pending_destroy(doomed: list[User], lu: User) -> User | None:
    """The user the plan deletes (resource_changes actions ["delete"]) that is this live user."""
    return _match(doomed, lu)


def renamed_user(ctx: Context, du: User, lu: User) -> None:
    """The plan's user, matched live by its unique id under another name."""
    compliance = control_state(lu, "IAM.19")
    ctx.add("IAM.19", "drift", address=du.address, arn=lu.arn, id=lu.name, region=None,
            expected=f"user named {du.name}", actual=f"user named {lu.name} (unique id {lu.id})",
            compliance=compliance, severity=_severity(compliance),
            message=f"IAM user {lu.name} ({du.address}): renamed outside Terraform from {du.name} (same unique id "
                    f"{lu.id}) — Terraform reads users by name, so the next apply creates a new {du.name} and "
                    f"leaves {lu.name} unmanaged with its credentials; rename it back (aws iam update-user "
                    f"--user-name {lu.name} --new-user-name {du.name}) or change the name in the configuration")


def gained_sign_in(ctx: Context, du: User, lu: User) -> None:
    """A console password or an active access key live on a user the plan declares without one."""
    who = f"IAM user {lu.name} ({du.address})"
    gained = []
    if lu.console and du.console is not True:
        gained.append(("IAM.5", "a console password", "aws_iam_user_login_profile",
                       f"aws iam delete-login-profile --user-name {lu.name}"))
    if lu.access_keys and du.access_keys is not True:
        gained.append(("IAM.19", "an active access key", "aws_iam_access_key",
                       f"aws iam list-access-keys --user-name {lu.name}, then aws iam delete-access-key"))
    if gained and ctx.d.unresolved_credentials:
        ctx.note(f"{who}: has {' and '.join(g[1] for g in gained)} live that the plan does not give it, but "
                 f"the plan has credentials whose user is unknown ({', '.join(ctx.d.unresolved_credentials)}): "
                 "not called drift")
        return
    for control, what, resource, fix in gained:
        compliance = control_state(lu, control)
        mfa = {"PASSED": "it has an MFA device", "FAILED": "and no MFA device",
               "UNKNOWN": "MFA status unknown"}[compliance]
        ctx.add(control, "drift", address=du.address, arn=lu.arn, id=lu.name, region=None,
                expected=f"no {what.split(' ', 1)[1]} (the plan declares no {resource})",
                actual=f"{what.split(' ', 1)[1]}, {mfa}",
                compliance=compliance, severity=_severity(compliance),
                message=f"{who}: has {what} live that the plan does not declare ({mfa}) — a sign-in path added "
                        f"outside Terraform; remove it ({fix}) or declare it with {resource}")
