"""What a policy reference names: a configured policy, an AWS-managed one, one outside, or nothing known.

    resolve(ref, principals, outside=None) -> Resolution

The rules (DESIGN.md, "Coverage of a user"; docs/semantics.md, "Which policies reach a principal"):

* the key of a configured policy (its address, or its ARN) -> CONFIGURED;
* an ARN ``arn:<partition>:iam::<account>:policy<path><name>``:
  - account ``aws``: AWS-managed -> AWS_MANAGED.  AWS-managed policies grant permissions; none
    denies on a missing MFA, so they never enforce (decided, not unknown);
  - a configured policy with the same ARN, or (its ARN not known yet) the same name AND the
    same path -> CONFIGURED (``policy/security/x`` is not ``policy/x``);
  - ``outside(arn)`` (drift: the live account's copy of a policy the plan does not manage)
    -> OUTSIDE with that document;
  - else a customer policy created outside the configuration -> UNKNOWN;
* an ``Unresolved`` marker (``var.policy_arn`` without a value, unknown after apply) -> UNKNOWN,
  never dropped;
* anything else (an address that is not configured, text that is not an ARN) -> UNKNOWN.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from mfaguard.policy.model import Attachment, ManagedPolicy, PolicyRef, Principals
from mfaguard.policy.semantics import Unresolved

CONFIGURED = "configured"
AWS_MANAGED = "aws-managed"
OUTSIDE = "outside"  # outside the configuration, document known (drift: live)
UNKNOWN = "unknown"

_POLICY_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::([^:]*):policy(/(?:.*/)?)([^/]+)$")

Outside = Callable[[str], Optional[ManagedPolicy]]


@dataclass(frozen=True)
class PolicyArn:
    partition: str
    account: str
    path: str  # "/" or "/security/"
    name: str

    @property
    def aws_managed(self) -> bool:
        return self.account == "aws"


def parse_policy_arn(text: Any) -> PolicyArn | None:
    if not isinstance(text, str):
        return None
    m = _POLICY_ARN.match(text.strip())
    return PolicyArn(*m.groups()) if m else None


def is_aws_managed(arn: Any) -> bool:
    parsed = parse_policy_arn(arn)
    return parsed is not None and parsed.aws_managed


@dataclass(frozen=True)
class Resolution:
    kind: str  # CONFIGURED | AWS_MANAGED | OUTSIDE | UNKNOWN
    ref: str  # the reference as written (an ARN, an address, or the unresolved text)
    name: str  # the policy's name for messages
    policy: ManagedPolicy | None = None  # CONFIGURED / OUTSIDE
    reason: str | None = None  # UNKNOWN: why


def ref_text(ref: PolicyRef) -> str:
    """The reference as text (an Unresolved marker's reason)."""
    inner = ref.ref if isinstance(ref, Attachment) else ref
    return inner.reason if isinstance(inner, Unresolved) else str(inner)


def _path_of(policy: ManagedPolicy) -> str | None:
    """The policy's IAM path ("/security/"), None when it is not known."""
    if not policy.path_known:
        return None
    if policy.path is not None:
        path = policy.path if policy.path.endswith("/") else policy.path + "/"
        return path if path.startswith("/") else "/" + path
    parsed = parse_policy_arn(policy.arn)
    return parsed.path if parsed else "/"


def _configured_by_arn(arn: str, parsed: PolicyArn, principals: Principals) -> tuple[list, list]:
    """(matches, maybes): configured policies this ARN names, and those it may name
    (same name, path not known)."""
    exact = [p for p in principals.policies.values() if p.arn == arn]
    if exact:
        return exact, []
    matches, maybes = [], []
    for p in principals.policies.values():
        if p.arn is not None or p.name != parsed.name:
            continue  # a known ARN that differs names another policy (path or account)
        path = _path_of(p)
        if path is None:
            maybes.append(p)
        elif path == parsed.path:
            matches.append(p)
    return matches, maybes


def resolve(ref: PolicyRef, principals: Principals, outside: Outside | None = None,
            scope: str = "the configuration") -> Resolution:
    """What `ref` names in `principals` (`scope` says where that model comes from, for messages)."""
    inner = ref.ref if isinstance(ref, Attachment) else ref
    if isinstance(inner, Unresolved) or inner is None:
        reason = inner.reason if isinstance(inner, Unresolved) else "a policy ARN is unknown until apply"
        return Resolution(UNKNOWN, reason, reason, reason=reason)
    text = str(inner)
    policy = principals.policies.get(text)
    if policy is not None:
        return Resolution(CONFIGURED, text, policy.name, policy)
    parsed = parse_policy_arn(text)
    if parsed is None:
        return Resolution(UNKNOWN, text, text, reason=f"policy {text} cannot be resolved from {scope}")
    if parsed.aws_managed:
        return Resolution(AWS_MANAGED, text, parsed.name)
    matches, maybes = _configured_by_arn(text, parsed, principals)
    if len(matches) == 1 and not maybes:
        return Resolution(CONFIGURED, text, matches[0].name, matches[0])
    if matches or maybes:
        names = ", ".join(p.address or p.name for p in matches + maybes)
        why = "whose paths are not known" if maybes else "with the same path and name"
        return Resolution(UNKNOWN, text, parsed.name,
                          reason=f"policy {text} may be any of {names} ({why})")
    found = outside(text) if outside is not None else None
    if found is not None:
        return Resolution(OUTSIDE, text, found.name, found)
    return Resolution(UNKNOWN, text, parsed.name,
                      reason=f"policy {text} is not in {scope} and cannot be judged")
