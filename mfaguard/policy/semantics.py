"""MFA-enforcement semantics of one IAM policy document: the core of mfaguard.

INTERFACE (stable; checks/, the graph coverage checks and mfaguard.drift all call it):

    evaluate(document) -> Verdict
        `document` is a parsed policy document (dict), a JSON string (plain or URL-encoded,
        as IAM's API returns it), an `Unresolved` marker, or None.
        Pure: no I/O, no Checkov, no boto3.

    for_principal(verdict, Principal(name, arn, userid, path)) -> Verdict
        The verdict for one IAM user: conditions on aws:PrincipalArn / aws:username /
        aws:userid decided for it (a break-glass exemption still enforces on everyone else).
        Returns `verdict` itself when nothing in it depends on the principal.

    Verdict.ckv_mfa_4 -> (outcome, detail)
        How the document check reads the verdict (targeted requirements pass, never cover).

    coverage(signin_paths, verdicts) -> Coverage
        Whether the union of the given verdicts forces MFA on every sign-in path in
        `signin_paths` (a subset of {CONSOLE, ACCESS_KEYS}).

    describe_paths(paths) -> str
        "console sign-in", "access keys", "console sign-in and access keys".

Sign-in paths: CONSOLE (password sessions) and ACCESS_KEYS (long-term access keys).

How a document is judged (docs/semantics.md has the reasons):

* Only `Deny` statements can enforce. Each is judged on its own (denies add up), for each
  sign-in path, against every request context an attacker holding only that credential
  produces: a console session without MFA carries `aws:MultiFactorAuthPresent = "false"`;
  a request signed with a long-term access key carries no such key, and the session the same
  key gets from sts:GetSessionToken (no policy can deny it) carries "false"; none carries
  `aws:MultiFactorAuthAge`.
* A statement enforces on a path when (1) every condition in it is true for every MFA-less
  request on that path (operators and keys are ANDed: anything that narrows it, or can never
  match, stops it enforcing), (2) some condition is on an MFA key, (3) it does not also deny
  requests made with MFA, and (4) it covers everything that matters: `Action: "*"` or a
  `NotAction` limited to enrolment / read-only IAM/STS actions, `Resource: "*"`, no
  `NotResource` (other than MFA-device ARNs), no narrowing `Principal` / any `NotPrincipal`.
  Conditions on the principal (aws:PrincipalArn, aws:username, aws:userid) narrow for an
  unnamed principal and are decided per user by for_principal().
* Lock-out: a statement that always matches an MFA-less request and denies
  iam:EnableMFADevice or iam:CreateVirtualMFADevice: users without MFA cannot enrol.
* Unresolved values (Terraform references, unknown-after-apply): the statement is judged
  twice, once assuming the unresolved parts are the best case for enforcement and once the
  worst case; if the two differ the verdict is `unknown` (enforced = the worst case).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

from mfaguard.policy.values import Unresolved, decode_json_text, flatten, is_reference, unwrap  # noqa: F401  (re-exported)

CONSOLE = "console"
ACCESS_KEYS = "access_keys"
ALL_PATHS = frozenset({CONSOLE, ACCESS_KEYS})
_PATH_ORDER = (CONSOLE, ACCESS_KEYS)


@dataclass(frozen=True)
class Verdict:
    # True when some Deny statement conditions on aws:MultiFactorAuthPresent
    # (the document *tries* to enforce MFA). CKV_MFA_4 judges only such documents.
    # Also True whenever `enforced` is not empty (e.g. a Null aws:MultiFactorAuthAge deny).
    attempts: bool = False
    # Sign-in paths on which this document really forces MFA (subset of ALL_PATHS).
    enforced: frozenset = field(default_factory=frozenset)
    # A Deny of (nearly) everything without the enrolment exemptions: users cannot enrol.
    lockout: bool = False
    # One sentence each, user-facing: which path stays open and why, what the hole is.
    problems: tuple = ()
    # Set when the document cannot be judged (unresolved values): the reason.
    unknown: str | None = None
    # The document attempts but every MFA Deny in it names specific actions (e.g. "MFA to
    # delete objects"): an action-level MFA requirement, not sign-in enforcement. Checks may
    # treat it differently from a broken enforcement policy.
    targeted: bool = False
    # For a targeted document: the actions its MFA Denies name.
    targeted_actions: tuple = ()
    # Some MFA Deny is narrowed by aws:PrincipalArn / aws:username / aws:userid: `enforced` is
    # what holds for an unnamed principal; for_principal(verdict, principal) decides one user.
    depends_on_principal: bool = False
    # Paths enforced for the principals the principal conditions select (e.g. everyone but a
    # break-glass user); None when nothing depends on the principal.
    enforced_for_selected: frozenset | None = None
    # Canonical JSON of the document, kept only when it depends on the principal.
    document_json: str | None = field(default=None, compare=False, repr=False)

    @property
    def open_paths(self) -> frozenset:
        """Sign-in paths this document leaves without MFA."""
        return ALL_PATHS - self.enforced

    @property
    def ckv_mfa_4(self) -> tuple[str, str]:
        """How CKV_MFA_4 reads this document: (outcome, detail).

        outcome is one of "unknown", "not_enforcement", "targeted", "per_principal",
        "enforces", "broken"; the check passes all but "unknown" (UNKNOWN) and "broken" (FAILED).
        detail is user-facing: a predicate to follow the document's name ("<policy> enforces
        MFA ..."), or the problems for "broken".
        """
        if self.unknown:
            return "unknown", self.unknown
        if not self.attempts:
            return "not_enforcement", ("does not condition a Deny on aws:MultiFactorAuthPresent or "
                                       "aws:MultiFactorAuthAge (not an MFA enforcement policy)")
        if self.enforced == ALL_PATHS and not self.lockout and not self.problems:
            return "enforces", "enforces MFA on console and access keys and leaves MFA enrolment open"
        if self.targeted and not self.lockout:
            return "targeted", ("is a targeted MFA requirement: it denies only "
                                + (", ".join(self.targeted_actions) or "some actions")
                                + " without MFA, which does not count as MFA enforcement for any user")
        if (self.depends_on_principal and self.enforced_for_selected == ALL_PATHS and not self.lockout):
            return "per_principal", ("enforces MFA on console and access keys for the principals "
                                     "its aws:PrincipalArn / aws:username / aws:userid conditions select; "
                                     "each user is judged on its own by the coverage checks")
        return "broken", " ".join(self.problems) or (
            f"It enforces MFA only on {describe_paths(self.enforced)}." if self.enforced else "It enforces nothing.")


@dataclass(frozen=True)
class Principal:
    """Who makes the request, as far as the configuration or the account says: an IAM user's
    name, ARN, unique id (AIDA...) and path. Unknown parts are None (an ARN that is a
    Terraform reference counts as unknown; then `arn_tail` stands for it)."""
    name: str | None = None
    arn: str | None = None
    userid: str | None = None
    path: str | None = "/"

    @property
    def known_arn(self) -> str | None:
        if isinstance(self.arn, str) and self.arn.startswith("arn:") and not is_reference(self.arn):
            return self.arn
        return None

    @property
    def arn_tail(self) -> str | None:
        """`user/<path><name>`, the end of the user's ARN; None when name or path is unknown."""
        path = self.path
        if not self.name or not isinstance(path, str) or not path.startswith("/") or is_reference(path):
            return None
        return f"user{path if path.endswith('/') else path + '/'}{self.name}"

    @property
    def display(self) -> str:
        return self.name or self.known_arn or self.userid or "this principal"


@dataclass(frozen=True)
class Coverage:
    covered: bool
    open_paths: frozenset  # paths in signin_paths that no verdict enforces
    unknown: str | None = None  # set when an unknown verdict could have covered an open path


# --------------------------------------------------------------------------------------------
# Paths, phrases
# --------------------------------------------------------------------------------------------

_PATH_PHRASE = {CONSOLE: "console sign-in", ACCESS_KEYS: "access keys"}
_THIEF = {CONSOLE: "a stolen password", ACCESS_KEYS: "a stolen access key"}


def describe_paths(paths: Iterable[str]) -> str:
    """User-facing phrase for a set of sign-in paths: "console sign-in and access keys"."""
    ps = [p for p in _PATH_ORDER if p in set(paths)]
    if not ps:
        return "no sign-in path"
    return " and ".join(_PATH_PHRASE[p] for p in ps)


def _thief(paths: Iterable[str]) -> str:
    ps = [p for p in _PATH_ORDER if p in set(paths)]
    if len(ps) == 2:
        return "a stolen password or access key"
    return _THIEF[ps[0]] if ps else "a stolen credential"


# --------------------------------------------------------------------------------------------
# Actions: the IAM and STS action names (botocore service models + permission-only actions)
# --------------------------------------------------------------------------------------------

_IAM_ACTIONS = """
AddClientIDToOpenIDConnectProvider AddRoleToInstanceProfile AddUserToGroup AttachGroupPolicy
AttachRolePolicy AttachUserPolicy ChangePassword CreateAccessKey CreateAccountAlias CreateGroup
CreateInstanceProfile CreateLoginProfile CreateOpenIDConnectProvider CreatePolicy CreatePolicyVersion
CreateRole CreateSAMLProvider CreateServiceLinkedRole CreateServiceSpecificCredential CreateUser
CreateVirtualMFADevice DeactivateMFADevice DeleteAccessKey DeleteAccountAlias
DeleteAccountPasswordPolicy DeleteGroup DeleteGroupPolicy DeleteInstanceProfile DeleteLoginProfile
DeleteOpenIDConnectProvider DeletePolicy DeletePolicyVersion DeleteRole DeleteRolePermissionsBoundary
DeleteRolePolicy DeleteSAMLProvider DeleteSSHPublicKey DeleteServerCertificate DeleteServiceLinkedRole
DeleteServiceSpecificCredential DeleteSigningCertificate DeleteUser DeleteUserPermissionsBoundary
DeleteUserPolicy DeleteVirtualMFADevice DetachGroupPolicy DetachRolePolicy DetachUserPolicy
DisableOrganizationsRootCredentialsManagement DisableOrganizationsRootSessions EnableMFADevice
EnableOrganizationsRootCredentialsManagement EnableOrganizationsRootSessions GenerateCredentialReport
GenerateOrganizationsAccessReport GenerateServiceLastAccessedDetails GetAccessKeyLastUsed
GetAccountAuthorizationDetails GetAccountPasswordPolicy GetAccountSummary GetContextKeysForCustomPolicy
GetContextKeysForPrincipalPolicy GetCredentialReport GetGroup GetGroupPolicy GetInstanceProfile
GetLoginProfile GetMFADevice GetOpenIDConnectProvider GetOrganizationsAccessReport GetPolicy
GetPolicyVersion GetRole GetRolePolicy GetSAMLProvider GetSSHPublicKey GetServerCertificate
GetServiceLastAccessedDetails GetServiceLastAccessedDetailsWithEntities
GetServiceLinkedRoleDeletionStatus GetUser GetUserPolicy ListAccessKeys ListAccountAliases
ListAttachedGroupPolicies ListAttachedRolePolicies ListAttachedUserPolicies ListEntitiesForPolicy
ListGroupPolicies ListGroups ListGroupsForUser ListInstanceProfileTags ListInstanceProfiles
ListInstanceProfilesForRole ListMFADeviceTags ListMFADevices ListOpenIDConnectProviderTags
ListOpenIDConnectProviders ListOrganizationsFeatures ListPolicies ListPoliciesGrantingServiceAccess
ListPolicyTags ListPolicyVersions ListRolePolicies ListRoleTags ListRoles ListSAMLProviderTags
ListSAMLProviders ListSSHPublicKeys ListServerCertificateTags ListServerCertificates
ListServiceSpecificCredentials ListSigningCertificates ListUserPolicies ListUserTags ListUsers
ListVirtualMFADevices PassRole PutGroupPolicy PutRolePermissionsBoundary PutRolePolicy
PutUserPermissionsBoundary PutUserPolicy RemoveClientIDFromOpenIDConnectProvider
RemoveRoleFromInstanceProfile RemoveUserFromGroup ResetServiceSpecificCredential ResyncMFADevice
SetDefaultPolicyVersion SetSecurityTokenServicePreferences SimulateCustomPolicy SimulatePrincipalPolicy
TagInstanceProfile TagMFADevice TagOpenIDConnectProvider TagPolicy TagRole TagSAMLProvider
TagServerCertificate TagUser UntagInstanceProfile UntagMFADevice UntagOpenIDConnectProvider UntagPolicy
UntagRole UntagSAMLProvider UntagServerCertificate UntagUser UpdateAccessKey UpdateAccountPasswordPolicy
UpdateAssumeRolePolicy UpdateGroup UpdateLoginProfile UpdateOpenIDConnectProviderThumbprint UpdateRole
UpdateRoleDescription UpdateSAMLProvider UpdateSSHPublicKey UpdateServerCertificate
UpdateServiceSpecificCredential UpdateSigningCertificate UpdateUser UploadSSHPublicKey
UploadServerCertificate UploadSigningCertificate
""".split()

_STS_ACTIONS = """
AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot DecodeAuthorizationMessage
GetAccessKeyInfo GetCallerIdentity GetFederationToken GetSessionToken SetContext SetSourceIdentity
TagSession
""".split()

# Canonical spelling by lower-case name.
_KNOWN_ACTIONS = {a.lower(): a for a in
                  [f"iam:{n}" for n in _IAM_ACTIONS] + [f"sts:{n}" for n in _STS_ACTIONS]}

# --------------------------------------------------------------------------------------------
# Exemptions (NotAction entries of a Deny-without-MFA): which are fine, which are holes
#
# THE PRINCIPLE. An exempted action is a hole when a stolen password or a stolen access key,
# used without MFA, gains by it something beyond enrolling an MFA device and getting an MFA
# session: a credential that outlives the theft, the removal of the owner's device, more
# permissions, or a way out from under this very policy. Read-only IAM calls (Get*, List*,
# Generate*, Simulate*: reconnaissance, no new access) and the calls a user needs to enrol and
# to get an MFA session are not holes: AWS's own example policies exempt them, and what
# enrolment itself allows is the residual risk written down in docs/semantics.md. Every other
# IAM/STS action and every action of another service is a hole; the message names the action
# and, below, what the thief gains by it (most telling first).
# --------------------------------------------------------------------------------------------

_SAFE_WRITES = frozenset(a.lower() for a in (
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
    "iam:DeleteVirtualMFADevice",  # only deletes an unassigned device: retry a failed enrolment
    "iam:ChangePassword",  # needs the old password; first sign-in with a forced reset
    "sts:GetSessionToken", "sts:GetCallerIdentity", "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
))
_READ_ONLY_VERBS = ("get", "list", "generate", "simulate")

# Needed to enrol (virtual and hardware devices); a Deny that covers them is a lock-out.
_ENROLMENT = ("iam:createvirtualmfadevice", "iam:enablemfadevice")

_HOLE_RISK_TABLE = (
    ("iam:CreateAccessKey", "mint a new access key that outlives the stolen credential"),
    ("iam:DeactivateMFADevice", "remove the owner's MFA device, then enrol the thief's own"),
    ("iam:AttachUserPolicy", "attach any managed policy, AdministratorAccess included, to a user"),
    ("iam:UpdateAccessKey", "re-activate an access key that was switched off"),
    ("iam:CreateLoginProfile", "give a console password to a user that has none and sign in as that user"),
    ("iam:UpdateLoginProfile", "reset another user's console password and sign in as that user"),
    ("iam:PutUserPolicy", "write an inline policy that grants a user anything"),
    ("iam:AttachGroupPolicy", "attach any managed policy to a group"),
    ("iam:PutGroupPolicy", "write an inline policy that grants a group anything"),
    ("iam:AttachRolePolicy", "attach any managed policy to a role"),
    ("iam:PutRolePolicy", "write an inline policy that grants a role anything"),
    ("iam:CreatePolicyVersion", "rewrite a customer-managed policy, this one included"),
    ("iam:SetDefaultPolicyVersion", "switch a managed policy to an older, more permissive version"),
    ("iam:AddUserToGroup", "join a group with more permissions"),
    ("iam:RemoveUserFromGroup", "leave the group that carries this policy"),
    ("iam:DetachUserPolicy", "detach this policy from the user"),
    ("iam:DetachGroupPolicy", "detach this policy from the group"),
    ("iam:DeleteUserPolicy", "delete this policy where it is inline on the user"),
    ("iam:DeleteGroupPolicy", "delete this policy where it is inline on the group"),
    ("iam:DeleteUserPermissionsBoundary", "remove the user's permissions boundary"),
    ("iam:PutUserPermissionsBoundary", "replace the user's permissions boundary"),
    ("iam:PassRole", "hand a role to a service it launches and act through that role"),
    ("iam:CreateUser", "create a user this policy does not reach"),
    ("iam:UpdateAssumeRolePolicy", "let itself assume a role"),
    ("sts:AssumeRole", "assume a role whose sessions this policy does not reach"),
    ("sts:GetFederationToken", "mint federated-user credentials this policy does not reach"),
    ("iam:CreateServiceSpecificCredential", "mint a CodeCommit or Keyspaces credential"),
    ("iam:ResetServiceSpecificCredential", "reset a CodeCommit or Keyspaces credential and read the new one"),
    ("iam:UploadSSHPublicKey", "add an SSH key for CodeCommit"),
    ("iam:UploadSigningCertificate", "add an X.509 signing certificate"),
)
HOLE_RISKS = {a.lower(): risk for a, risk in _HOLE_RISK_TABLE}
_HEADLINE_RANK = {a.lower(): i for i, (a, _) in enumerate(_HOLE_RISK_TABLE)}
_MAX_NAMED = 3


def _is_safe_action(action_lower: str) -> bool:
    if action_lower in _SAFE_WRITES:
        return True
    service, _, name = action_lower.partition(":")
    # Read-only IAM calls; STS "Get" calls are not all reads (GetFederationToken mints credentials).
    return service == "iam" and name.startswith(_READ_ONLY_VERBS)


@lru_cache(maxsize=4096)
def _wildcard(pattern: str) -> re.Pattern:
    """IAM wildcard (`*` any run, `?` one character), case-insensitive, whole string."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                              for c in pattern) + r"\Z", re.IGNORECASE | re.DOTALL)


def _matches(pattern: str, value: str) -> bool:
    return _wildcard(pattern).match(value) is not None


def _covers_everything(action_pattern: str) -> bool:
    """`*`, `*:*`, `**`: a pattern that matches every action of every service."""
    service, sep, name = action_pattern.partition(":")
    if not sep:
        return action_pattern != "" and set(action_pattern) == {"*"}
    return set(service) == {"*"} and set(name) == {"*"}


# NotAction entries a team accepts beyond enrolment (.mfaguard.yaml accept_notaction), lower-cased
# action -> reason; set through accept_notaction(), which also forgets cached verdicts.
ACCEPTED_NOTACTION: dict[str, str] = {}


def accept_notaction(accepted: dict[str, str]) -> None:
    ACCEPTED_NOTACTION.clear()
    ACCEPTED_NOTACTION.update({a.strip().lower(): r for a, r in accepted.items()})
    _CACHE.clear()
    _PRINCIPAL_CACHE.clear()


@lru_cache(maxsize=4096)
def _exemption_hole(pattern: str) -> tuple | None:
    """What a NotAction entry leaves open: None when it is fine, else (label, dangerous actions).

    label names the pattern for the user; the tuple lists known dangerous actions it covers
    (most telling first). Non-IAM/STS services are a hole by themselves.
    """
    p = pattern.strip()
    low = p.lower()
    service, sep, _ = low.partition(":")
    if not sep or "*" in service or "?" in service:
        if _covers_everything(p) or "*" in service or "?" in service:
            dangerous = tuple(sorted((a for a in _KNOWN_ACTIONS if not _is_safe_action(a)),
                                     key=lambda a: (_HEADLINE_RANK.get(a, 999), a)))
            return (p, dangerous + ("every action of every other service",))
        return (p, ())
    if service not in ("iam", "sts"):
        if low == f"{service}:*":
            return (p, (f"every {service} action",))
        return (p, (f"every {service} action matching {p}" if ("*" in low or "?" in low) else "",))
    if "*" not in low and "?" not in low:
        # A known action, or one we do not know: fine only if it is an enrolment or read-only call.
        return None if _is_safe_action(low) else (p, (_KNOWN_ACTIONS.get(low, p),))
    covered = [a for a in _KNOWN_ACTIONS if _matches(p, a)]
    dangerous = sorted((a for a in covered if not _is_safe_action(a)),
                       key=lambda a: (_HEADLINE_RANK.get(a, 999), a))
    return (p, tuple(dangerous)) if dangerous else None


def _name_actions(actions: Iterable[str]) -> str:
    """The first few dangerous actions, each with what a thief gains by it (HOLE_RISKS)."""
    names = [a for a in actions if a]
    if not names:
        return ""
    shown = []
    for a in names[:_MAX_NAMED]:
        risk = HOLE_RISKS.get(a.lower())
        text = _KNOWN_ACTIONS.get(a.lower(), a)
        shown.append(f"{text} ({risk})" if risk else text)
    rest = len(names) - len(shown)
    text = ", ".join(shown)
    if rest > 0:
        text += f" and {rest} more"
    return text


# --------------------------------------------------------------------------------------------
# Values: normalisation, unresolved detection
# --------------------------------------------------------------------------------------------

def _unknown_in_document(value: Any) -> bool:
    """A value inside a policy document nobody knows yet: a reference (values.is_reference,
    where IAM policy variables are literals), an Unresolved marker, or null (a plan's
    unknown-after-apply)."""
    return value is None or is_reference(value)


def _as_list(value: Any) -> list:
    """The entries of a document element (Checkov may nest one-element lists); null stays one
    unknown entry."""
    return [None] if value is None else flatten(value)


def _norm_value(value: Any) -> Any:
    """A condition value as IAM compares it: booleans and numbers as lower-case text."""
    if isinstance(value, Unresolved) or value is None:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return str(value).strip()


def _ci_get(mapping: dict, name: str) -> tuple[bool, Any]:
    """Case-insensitive element lookup ('Action', 'action', 'ACTION')."""
    if name in mapping:
        return True, mapping[name]
    low = name.lower()
    for k, v in mapping.items():
        if isinstance(k, str) and k.lower() == low:
            return True, v
    return False, None


# --------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------

TRUE, FALSE, DEPENDS = "true", "false", "depends"

_MFA_PRESENT = "aws:multifactorauthpresent"
_MFA_AGE = "aws:multifactorauthage"
_MFA_KEYS = (_MFA_PRESENT, _MFA_AGE)

# The requests an attacker holding one credential and no MFA device can make, per sign-in path.
# Keys not listed are absent. A stolen access key signs requests itself (no MFA key at all), and
# it can also call sts:GetSessionToken, which needs no permission and which no policy can deny
# (IAM user guide, "Permissions for GetSessionToken"): that session carries
# aws:MultiFactorAuthPresent = "false". A statement enforces on a path only if it matches every
# request listed for it.
_NO_MFA_REQUESTS = {
    CONSOLE: ({_MFA_PRESENT: "false", "aws:viaawsservice": "false"},),
    ACCESS_KEYS: ({"aws:viaawsservice": "false"},
                  {_MFA_PRESENT: "false", "aws:viaawsservice": "false"}),
}
# A request made right after MFA sign-in: a statement matching it denies MFA users too.
_WITH_MFA_CONTEXT = {_MFA_PRESENT: "true", _MFA_AGE: "0", "aws:viaawsservice": "false"}
# Keys whose presence and value we do model; any other key makes a condition DEPENDS.
_MODELLED_KEYS = frozenset({_MFA_PRESENT, _MFA_AGE, "aws:viaawsservice"})
# Keys decided by who makes the request: DEPENDS for an unnamed principal, decided per user by
# for_principal() (all three are always in an IAM user's request context).
_PRINCIPAL_KEYS = frozenset({"aws:principalarn", "aws:username", "aws:userid"})

_BASE_OPERATORS = {
    "stringequals", "stringnotequals", "stringequalsignorecase", "stringnotequalsignorecase",
    "stringlike", "stringnotlike", "numericequals", "numericnotequals", "numericlessthan",
    "numericlessthanequals", "numericgreaterthan", "numericgreaterthanequals", "dateequals",
    "datenotequals", "datelessthan", "datelessthanequals", "dategreaterthan", "dategreaterthanequals",
    "bool", "binaryequals", "ipaddress", "notipaddress", "arnequals", "arnlike", "arnnotequals",
    "arnnotlike", "null",
}
_NEGATED = {"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "numericnotequals",
            "datenotequals", "notipaddress", "arnnotequals", "arnnotlike"}


@dataclass(frozen=True)
class _Cond:
    operator: str        # as written
    base: str            # lower-case operator without qualifier / IfExists
    qualifier: str       # "", "foranyvalue", "forallvalues"
    if_exists: bool
    key: str             # lower-case
    key_text: str        # as written
    values: tuple        # normalised strings; may hold Unresolved
    unresolved: str | None = None  # reason, when operator/key/values are not known
    values_only: bool = False      # only some values are unresolved (operator and key are known)


def _parse_operator(op: str) -> tuple[str, str, bool]:
    low = op.strip().lower()
    qualifier = ""
    for q in ("foranyvalue:", "forallvalues:"):
        if low.startswith(q):
            qualifier, low = q[:-1], low[len(q):]
    if_exists = low.endswith("ifexists") and low != "ifexists"
    if if_exists:
        low = low[: -len("ifexists")]
    return low, qualifier, if_exists


def _parse_conditions(condition: Any) -> tuple[list[_Cond], str | None]:
    """Flatten a Condition element. Returns (conditions, unresolved reason for the whole block)."""
    if condition is None:
        return [], None
    condition = unwrap(condition)  # Checkov's one-element list wrapping
    if _unknown_in_document(condition):
        return [], "the Condition element is not resolved"
    if not isinstance(condition, dict):
        return [], None
    out = []
    for op, body in condition.items():
        op_text = str(op)
        base, qualifier, if_exists = _parse_operator(op_text)
        while isinstance(body, list) and len(body) == 1 and isinstance(body[0], (dict, list)):
            body = body[0]
        if _unknown_in_document(op_text) or _unknown_in_document(body) or not isinstance(body, dict):
            out.append(_Cond(op_text, base, qualifier, if_exists, "", "", (),
                             unresolved=f"condition {op_text} is not resolved"))
            continue
        for key, raw in body.items():
            key_text = str(key)
            values = tuple(_norm_value(v) for v in _as_list(raw))
            reason = None
            if _unknown_in_document(key_text):
                reason = f"condition key {key_text} is not resolved"
            elif any(_unknown_in_document(v) for v in values):
                reason = f"the value of {op_text} {key_text} is not resolved"
            out.append(_Cond(op_text, base, qualifier, if_exists, key_text.strip().lower(),
                             key_text.strip(), values, unresolved=reason,
                             values_only=reason is not None and reason.startswith("the value")))
    return out, None


def _num(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _compare(base: str, actual: str | None, wanted: str) -> str:
    """One value of a present key against one policy value: TRUE / FALSE / DEPENDS."""
    if actual is None:  # present but value unknown (e.g. MFA age)
        return DEPENDS
    if base in ("bool",):
        return TRUE if actual.lower() == wanted.lower() else FALSE
    if base in ("stringequals", "stringnotequals"):
        return TRUE if actual == wanted else FALSE
    if base in ("stringequalsignorecase", "stringnotequalsignorecase"):
        return TRUE if actual.lower() == wanted.lower() else FALSE
    if base in ("stringlike", "stringnotlike"):
        return TRUE if _matches(wanted, actual) else FALSE
    if base.startswith("numeric"):
        a, w = _num(actual), _num(wanted)
        if a is None or w is None:
            return DEPENDS
        op = base[len("numeric"):]
        res = {"equals": a == w, "notequals": a == w, "lessthan": a < w, "lessthanequals": a <= w,
               "greaterthan": a > w, "greaterthanequals": a >= w}[op]
        return TRUE if res else FALSE
    return DEPENDS


def _cond_state(c: _Cond, context: dict) -> str:
    """Is condition `c` true for every request with this context? TRUE / FALSE / DEPENDS."""
    if c.key not in _MODELLED_KEYS:
        return DEPENDS
    if c.base not in _BASE_OPERATORS:
        return DEPENDS
    if not c.values:
        return FALSE
    present = c.key in context
    if c.base == "null":
        if c.if_exists or c.qualifier:
            return DEPENDS
        # Null "true": key absent. Null "false": key present. Values are ORed.
        results = set()
        for v in c.values:
            v = str(v).lower()
            if v == "true":
                results.add(TRUE if not present else FALSE)
            elif v == "false":
                results.add(TRUE if present else FALSE)
            else:
                results.add(FALSE)
        return TRUE if TRUE in results else FALSE
    if not present:
        if c.if_exists:
            return TRUE
        if c.qualifier == "forallvalues":
            return TRUE  # vacuously true on an absent key
        if c.qualifier == "foranyvalue":
            return FALSE
        return TRUE if c.base in _NEGATED else FALSE
    actual = context[c.key]
    return _any_value(c.base, [_compare(c.base, actual, str(v)) for v in c.values])


def _any_value(base: str, per_value: list) -> str:
    """A condition over several values: true when any value matches; a negated operator is true
    when the key matches none of them (DEPENDS where a value's match depends)."""
    if base in _NEGATED:
        if TRUE in per_value:
            return FALSE
        return DEPENDS if DEPENDS in per_value else TRUE
    if TRUE in per_value:
        return TRUE
    return DEPENDS if DEPENDS in per_value else FALSE


# ---- keys decided by the principal (aws:PrincipalArn, aws:username, aws:userid) ----

_UNKNOWN_PIECE = re.compile(r"\$?\$\{[^{}]*\}|&\{[^{}]*\}")
_LIKE_OPS = frozenset({"stringlike", "stringnotlike", "arnlike", "arnnotlike", "arnequals", "arnnotequals"})
_ICASE_OPS = frozenset({"stringequalsignorecase", "stringnotequalsignorecase"})
_PRINCIPAL_OPS = _LIKE_OPS | _ICASE_OPS | {"stringequals", "stringnotequals"}


def _glob(text: str, like: bool) -> str:
    if not like:
        return re.escape(text)
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


def _value_regex(wanted: str, like: bool, loose: bool) -> str:
    """`wanted` as a regex; its unresolved `${...}` pieces match anything (loose) or nothing."""
    out, pos = [], 0
    for m in _UNKNOWN_PIECE.finditer(wanted):
        out.append(_glob(wanted[pos:m.start()], like))
        out.append(".*" if loose else "(?!)")
        pos = m.end()
    out.append(_glob(wanted[pos:], like))
    return "".join(out)


def _match_state(wanted: str, actual: str, like: bool, icase: bool) -> str:
    """TRUE: matches whatever the unresolved pieces are; FALSE: matches for none; else DEPENDS."""
    flags = re.DOTALL | (re.IGNORECASE if icase else 0)
    if re.fullmatch(_value_regex(wanted, like, loose=False), actual, flags):
        return TRUE
    if re.fullmatch(_value_regex(wanted, like, loose=True), actual, flags):
        return DEPENDS
    return FALSE


def _arn_tail_state(wanted: str, tail: str, like: bool, icase: bool) -> str:
    """aws:PrincipalArn when only `user/<path><name>` is known (partition, account unknown)."""
    masked = _UNKNOWN_PIECE.sub(lambda m: "\0" * len(m.group()), wanted)
    cut = [i for i, ch in enumerate(masked) if ch == ":"][:5]
    if len(cut) < 5:
        return DEPENDS
    bounds = [0] + [i + 1 for i in cut]
    parts = [wanted[b:e] for b, e in zip(bounds, cut + [len(wanted)])]
    could = all(_match_state(parts[i], want, like, icase) != FALSE
                for i, want in ((0, "arn"), (2, "iam"), (3, "")))
    tail_state = _match_state(parts[5], tail, like, icase)
    if not could or tail_state == FALSE:
        return FALSE
    whole_prefix = (like and parts[0] == "arn" and parts[2] in ("iam", "*") and parts[3] in ("", "*")
                    and parts[1] and set(parts[1]) == {"*"} and parts[4] and set(parts[4]) == {"*"})
    return TRUE if tail_state == TRUE and whole_prefix else DEPENDS


def _principal_value_state(base: str, key: str, principal: "Principal", wanted: Any) -> str:
    if not isinstance(wanted, str) or (is_reference(wanted) and not _UNKNOWN_PIECE.search(wanted)):
        return DEPENDS  # Unresolved, or a bare reference: could be anyone
    like, icase = base in _LIKE_OPS, base in _ICASE_OPS
    if key == "aws:username":
        actual = principal.name
    elif key == "aws:userid":
        actual = principal.userid
    else:
        actual = principal.known_arn
        if actual is None and principal.arn_tail:
            return _arn_tail_state(wanted, principal.arn_tail, like, icase)
    if not actual:
        return DEPENDS
    return _match_state(wanted, actual, like, icase)


def _principal_cond_state(c: _Cond, principal: "Principal") -> str:
    """A condition on a principal key, for this principal: TRUE / FALSE / DEPENDS."""
    if c.base == "null":
        if c.if_exists or c.qualifier:
            return DEPENDS
        values = {str(v).lower() for v in c.values if isinstance(v, str)}
        return TRUE if "false" in values else FALSE  # the key is always present for an IAM user
    if c.base not in _PRINCIPAL_OPS or not c.values:
        return DEPENDS if c.values else FALSE
    return _any_value(c.base, [_principal_value_state(c.base, c.key, principal, v) for v in c.values])


def _show_values(values: tuple) -> str:
    vs = [str(v) for v in values]
    return json.dumps(vs[0]) if len(vs) == 1 else json.dumps(vs)


def _cond_text(c: _Cond) -> str:
    return f"{c.operator} {{{c.key_text}: {_show_values(c.values)}}}"


def _why_false(c: _Cond, paths: set) -> str:
    """Sentence: this condition is never true for an MFA-less request on `paths`."""
    if paths == ALL_PATHS:
        who = "any request made without MFA"
    else:
        who = {CONSOLE: "console sessions without MFA",
               ACCESS_KEYS: "requests signed with long-term access keys"}[next(iter(paths))]
    thief = _thief(paths)
    if c.key == _MFA_PRESENT and c.base == "null" and paths == ALL_PATHS:
        return (f"{_cond_text(c)} never matches a console session without MFA (it carries "
                'aws:MultiFactorAuthPresent as "false"), nor the session a stolen access key gets '
                "from sts:GetSessionToken without MFA (also \"false\"; no policy can deny that call): "
                f"{thief} bypasses it (use BoolIfExists {{aws:MultiFactorAuthPresent: \"false\"}}).")
    if c.key == _MFA_PRESENT and paths == {ACCESS_KEYS} and c.base != "null":
        detail = ("they carry no aws:MultiFactorAuthPresent key at all, so "
                  f"{thief} bypasses it (use BoolIfExists)")
    elif c.key == _MFA_PRESENT and paths == {CONSOLE} and c.base == "null":
        detail = ('they carry aws:MultiFactorAuthPresent as "false", so '
                  f"{thief} bypasses it (use BoolIfExists ... \"false\")")
    elif c.key == _MFA_AGE:
        detail = ("aws:MultiFactorAuthAge is absent without MFA, so the statement never denies "
                  f"them and {thief} bypasses it")
    else:
        detail = f"so {thief} bypasses it"
    return f"{_cond_text(c)} never matches {who}: {detail}."


def _why_depends(c: _Cond) -> str:
    return (f"the statement also requires {_cond_text(c)}; conditions in one statement are ANDed, "
            "so a request without MFA that does not meet it is not denied.")


# --------------------------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------------------------

@dataclass
class _StatementResult:
    relevant: bool = False         # Deny with a condition on an MFA key (or could be, if unresolved)
    targeted: bool = False         # its Action lists specific actions (not "*", not NotAction)
    targeted_actions: list = field(default_factory=list)
    attempts: bool = False         # conditions on aws:MultiFactorAuthPresent, or Null/IfExists on the age
    principal_dependent: bool = False  # a condition on aws:PrincipalArn / aws:username / aws:userid
    enforced: frozenset = frozenset()
    lockout: bool = False
    problems: list = field(default_factory=list)
    lockout_problems: list = field(default_factory=list)
    unknown: str | None = None


# Stands for "a principal the principal conditions select" (Verdict.enforced_for_selected).
_SELECTED = Principal(name="(any principal the conditions select)")


@dataclass
class _Stmt:
    """One Deny statement being judged, in one of the two readings of unresolved values."""
    body: dict
    label: str
    optimistic: bool
    principal: "Principal | None"
    res: _StatementResult


def _label(stmt: dict, index: int) -> str:
    _, sid = _ci_get(stmt, "Sid")
    if isinstance(sid, str) and sid.strip() and not _unknown_in_document(sid):
        return f'statement "{sid.strip()}"'
    return f"statement {index + 1}"


def _is_arn_text(r: Any) -> bool:
    """An ARN, even with a reference inside: never "*", so it is narrow whatever it resolves to."""
    return isinstance(r, str) and r.strip().lower().startswith("arn:")


def _resource_scope(entries: list, optimistic: bool) -> tuple[bool, list]:
    """(covers '*', narrow entries shown to the user)."""
    covers, narrow = False, []
    for r in entries:
        if isinstance(r, str) and r.strip() == "*":
            covers = True
        elif _is_arn_text(r):
            narrow.append(r.strip())
        elif _unknown_in_document(r):
            covers = covers or optimistic
        else:
            narrow.append(str(r).strip())
    return covers, narrow


def _is_self_arn(resource: str) -> bool:
    low = resource.lower()
    return "aws:username" in low or "aws:userid" in low


def _is_mfa_arn(resource: str) -> bool:
    return bool(re.match(r"^arn:[^:]*:iam::[^:]*:mfa/", resource.strip(), re.IGNORECASE))


def _enrolment_resource(entries: list, not_resource: bool) -> bool:
    """Does the resource scope include the user and MFA-device ARNs used to enrol?"""
    samples = ("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:mfa/alice")

    def hit(pattern: Any) -> bool:
        if not isinstance(pattern, str):
            return True
        p = re.sub(r"\$?\$\{[^{}]*\}|&\{[^{}]*\}", "*", pattern.strip())
        return any(_matches(p, s) for s in samples)
    if not_resource:
        return not all(hit(r) for r in entries)
    return any(hit(r) for r in entries)


def _principal_narrows(value: Any) -> bool:
    if value is None:
        return False
    if value == "*":
        return False
    if isinstance(value, dict) and len(value) == 1:
        v = _as_list(next(iter(value.values())))
        return not (len(v) == 1 and v[0] == "*")
    return True


def _evaluate_statement(stmt: Any, index: int, optimistic: bool,
                        principal: "Principal | None" = None) -> _StatementResult:
    """Judge one statement: conditions per sign-in path, then what it covers (actions,
    resources, principals), then lock-out. `principal` decides principal keys (else DEPENDS)."""
    res = _StatementResult()
    label = _deny_label(stmt, index, optimistic, res)
    if label is None:
        return res
    st = _Stmt(stmt, label, optimistic, principal, res)
    conds = _mfa_conditions(st)
    if conds is None:
        return res
    cond_paths, path_problems = _condition_paths(st, conds)
    if _is_blanket_deny(st, conds, cond_paths):
        return res
    thief = _thief(cond_paths or ALL_PATHS)
    scope_problems: list[str] = []
    denied_enrolment = _action_scope(st, thief, scope_problems)
    enrol_resource = _resource_scope_problems(st, thief, scope_problems)
    not_principal = _principal_scope_problems(st, scope_problems)
    if cond_paths and denied_enrolment and enrol_resource and not not_principal:
        res.lockout = True
        names = " and ".join(_KNOWN_ACTIONS[a] for a in _ENROLMENT if a in denied_enrolment)
        res.lockout_problems.append(
            f"{label} denies {names} without MFA: users who have no MFA device yet cannot enrol "
            "one (lock-out). Exempt the enrolment actions with NotAction.")
    if scope_problems:
        res.problems.extend(scope_problems)
        if path_problems and not cond_paths:
            res.problems.extend(path_problems)
        return res
    res.enforced = frozenset(cond_paths)
    if cond_paths != ALL_PATHS:
        res.problems.extend(path_problems)
    return res


def _deny_label(stmt: Any, index: int, optimistic: bool, res: _StatementResult) -> str | None:
    """The statement's label when it is (or, optimistically, may be) a Deny; None otherwise."""
    if _unknown_in_document(stmt):
        if optimistic:
            res.relevant = True
            res.enforced = ALL_PATHS
            reason = stmt.reason if isinstance(stmt, Unresolved) else "it is not resolved"
            res.unknown = f"statement {index + 1}: {reason}"
        return None
    if not isinstance(stmt, dict):
        return None
    label = _label(stmt, index)
    _, effect = _ci_get(stmt, "Effect")
    effect = unwrap(effect)
    if effect is None and not isinstance(effect, Unresolved):
        return None  # no Effect: IAM rejects the statement; nothing is denied
    if _unknown_in_document(effect):
        res.unknown = f"the Effect of {label} is not resolved"
        return label if optimistic else None
    if not isinstance(effect, str) or effect.strip().lower() != "deny":
        return None
    return label


def _is_attempt_condition(c: _Cond) -> bool:
    """A condition that means "without MFA": any test of aws:MultiFactorAuthPresent, and Null or
    ...IfExists on aws:MultiFactorAuthAge (true when the key is absent, i.e. without MFA). A plain
    numeric test of the age only restricts sessions that used MFA (freshness), so it is not."""
    if c.key == _MFA_PRESENT:
        return True
    return c.key == _MFA_AGE and (c.base == "null" or c.if_exists)


def _mfa_conditions(st: _Stmt) -> list | None:
    """The statement's conditions when it talks about MFA; None when it is not an MFA Deny."""
    res = st.res
    _, condition = _ci_get(st.body, "Condition")
    conds, block_unresolved = _parse_conditions(condition)
    if block_unresolved:
        res.unknown = f"{st.label}: {block_unresolved}"
        if st.optimistic:
            res.relevant = True
            res.enforced = ALL_PATHS
        return None
    unresolved_conds = [c for c in conds if c.unresolved]
    res.attempts = any(_is_attempt_condition(c) for c in conds)
    if not any(c.key in _MFA_KEYS for c in conds) and not (unresolved_conds and st.optimistic):
        return None  # a Deny that does not talk about MFA: not enforcement
    res.relevant = True
    res.principal_dependent = any(c.key in _PRINCIPAL_KEYS for c in conds)
    for c in unresolved_conds:
        res.unknown = f"{st.label}: {c.unresolved}"
    return conds


def _state(st: _Stmt, c: _Cond, context: dict) -> str:
    """Condition `c` for requests with `context`, in this reading of unresolved values."""
    if c.key in _PRINCIPAL_KEYS and st.principal is _SELECTED:
        return TRUE
    if c.key in _PRINCIPAL_KEYS and st.principal is not None and (not c.unresolved or c.values_only):
        return _principal_cond_state(c, st.principal)
    if c.unresolved:
        if c.values_only and c.key not in _MODELLED_KEYS:
            return DEPENDS  # e.g. aws:SourceVpc = var.vpc narrows whatever the value is
        if c.values_only and c.base not in _NEGATED:
            # Values are ORed: a resolved value that already matches decides it.
            known = tuple(v for v in c.values if not _unknown_in_document(v))
            if known and _cond_state(replace(c, values=known), context) == TRUE:
                return TRUE
        return TRUE if st.optimistic else FALSE
    return _cond_state(c, context)


def _path_state(st: _Stmt, c: _Cond, path: str) -> str:
    """Condition `c` over every MFA-less request on `path`: TRUE only if true for all."""
    states = {_state(st, c, ctx) for ctx in _NO_MFA_REQUESTS[path]}
    if states == {TRUE}:
        return TRUE
    return FALSE if FALSE in states else DEPENDS


def _condition_paths(st: _Stmt, conds: list) -> tuple[set, list]:
    """(paths on which every condition holds for every MFA-less request, why the others fail)."""
    cond_paths: set = set()
    false_paths: dict = {}
    excluded: list = []
    depends: list = []
    for path in _PATH_ORDER:
        states = [(c, _path_state(st, c, path)) for c in conds]
        if all(s == TRUE for _, s in states):
            cond_paths.add(path)
            continue
        for c, s in states:
            if c.unresolved and s != DEPENDS and not (c.key in _PRINCIPAL_KEYS and st.principal):
                continue
            if s == FALSE and c.key in _PRINCIPAL_KEYS:
                if c not in excluded:
                    excluded.append(c)
            elif s == FALSE:
                false_paths.setdefault(c, set()).add(path)
            elif s == DEPENDS and c not in depends:
                depends.append(c)
    problems = [f"{st.label}: {_why_false(c, ps)}" for c, ps in false_paths.items()]
    who = st.principal.display if st.principal else "this principal"
    problems += [f"{st.label}: {_cond_text(c)} excludes {who}, so the statement does not deny {who}'s "
                 "requests without MFA." for c in excluded]
    named = st.principal is not None
    problems += [f"{st.label}: {_cond_text(c)} may exclude {who} (a value or the user's ARN is not known "
                 f"before apply), so the statement is not shown to deny {who}'s requests without MFA."
                 if named and c.key in _PRINCIPAL_KEYS else f"{st.label}: {_why_depends(c)}" for c in depends]
    return cond_paths, problems


def _is_blanket_deny(st: _Stmt, conds: list, cond_paths: set) -> bool:
    """A statement that also matches requests made WITH MFA is a blanket deny, not enforcement."""
    with_mfa = [FALSE if c.unresolved else _state(st, c, _WITH_MFA_CONTEXT) for c in conds]
    if not conds or not all(s == TRUE for s in with_mfa):
        return False
    if cond_paths or any(all(_state(st, c, ctx) == TRUE for c in conds)
                         for requests in _NO_MFA_REQUESTS.values() for ctx in requests):
        st.res.problems.append(f"{st.label} denies requests even when MFA is used: it is a blanket deny, "
                               "not MFA enforcement.")
        return True
    return False


def _action_scope(st: _Stmt, thief: str, problems: list) -> set:
    """Check Action / NotAction; append holes to `problems`; return the enrolment actions denied."""
    res, label = st.res, st.label
    has_action, action = _ci_get(st.body, "Action")
    has_not_action, not_action = _ci_get(st.body, "NotAction")
    if has_not_action:
        exempted_enrolment = set()
        for e in _as_list(not_action):
            if _unknown_in_document(e) or not isinstance(e, str):
                if not st.optimistic:
                    problems.append(f"{label}: a NotAction entry is not resolved — it could exempt anything.")
                res.unknown = res.unknown or f"{label}: a NotAction entry is not resolved"
                continue
            exempted_enrolment.update(a for a in _ENROLMENT if _matches(e.strip(), a))
            hole = _exemption_hole(e)
            if hole is not None and e.strip().lower() in ACCEPTED_NOTACTION:
                hole = None  # the team accepts it (.mfaguard.yaml), with a reason printed by the scan
            if hole is None:
                continue
            pattern, dangerous = hole
            named = _name_actions(dangerous)
            if named:
                problems.append(f"{label}: NotAction exempts {pattern} — without MFA {thief} can still "
                                f"call {named}.")
            else:
                problems.append(f"{label}: NotAction exempts {pattern}, which is not needed to enrol an "
                                f"MFA device — without MFA {thief} can still call it.")
        return {a for a in _ENROLMENT if a not in exempted_enrolment}
    if not has_action:
        problems.append(f"{label} has no Action or NotAction: it denies nothing.")
        return set()
    everything = False
    listed = []
    for e in _as_list(action):
        if _unknown_in_document(e) or not isinstance(e, str):
            res.unknown = res.unknown or f"{label}: an Action entry is not resolved"
            everything = everything or st.optimistic
            continue
        everything = everything or _covers_everything(e.strip())
        listed.append(e.strip())
    if not everything:
        res.targeted = True
        res.targeted_actions.extend(listed)
        problems.append(f"{label} denies only {', '.join(listed) or 'no action'} without MFA — "
                        f"{thief} can still call every other action.")
    return {a for a in _ENROLMENT if everything or any(_matches(e, a) for e in listed)}


def _resource_scope_problems(st: _Stmt, thief: str, problems: list) -> bool:
    """Check Resource / NotResource; append holes; return whether enrolment resources are denied."""
    res, label = st.res, st.label
    has_res, resource = _ci_get(st.body, "Resource")
    has_not_res, not_resource = _ci_get(st.body, "NotResource")
    if has_not_res:
        entries = _as_list(not_resource)
        if any(_unknown_in_document(r) for r in entries):
            res.unknown = res.unknown or f"{label}: a NotResource entry is not resolved"
        resolved = [r for r in entries if not _unknown_in_document(r)]
        bad = [str(r) for r in resolved if not (isinstance(r, str) and _is_mfa_arn(r))]
        if bad or (not st.optimistic and len(resolved) < len(entries)):
            problems.append(f"{label}: NotResource exempts {', '.join(bad) or 'an unresolved resource'} — "
                            f"those resources stay reachable without MFA for {thief}.")
        return _enrolment_resource(resolved, not_resource=True)
    if not has_res:
        problems.append(f"{label} has no Resource or NotResource: IAM rejects it, so it denies nothing.")
        return False
    entries = _as_list(resource)
    if any(_unknown_in_document(r) and not _is_arn_text(r) for r in entries):
        res.unknown = res.unknown or f"{label}: a Resource entry is not resolved"
    covers, narrow = _resource_scope(entries, st.optimistic)
    if covers:
        return True
    if narrow and all(_is_self_arn(r) for r in narrow):
        problems.append(f"{label} denies only on the user's own IAM resources ({', '.join(narrow)}) — "
                        f"self-management scope, not account-wide enforcement: {thief} still reaches "
                        "every other resource without MFA.")
    else:
        problems.append(f"{label} denies only on {', '.join(narrow) or 'unresolved resources'}, not "
                        f"Resource \"*\" — {thief} still reaches every other resource without MFA.")
    return _enrolment_resource(narrow, not_resource=False)


def _principal_scope_problems(st: _Stmt, problems: list) -> bool:
    """Principal / NotPrincipal (resource policies only); returns whether NotPrincipal is used."""
    has_p, principal = _ci_get(st.body, "Principal")
    has_np, _ = _ci_get(st.body, "NotPrincipal")
    if has_np:
        problems.append(f"{st.label} uses NotPrincipal: the principals it lists are not denied without MFA.")
    if has_p and _principal_narrows(principal):
        problems.append(f"{st.label} applies only to the principals it names, not to every identity that "
                        "carries the policy.")
    return has_np


def _statements(document: dict) -> tuple[list, str | None]:
    found, stmts = _ci_get(document, "Statement")
    if not found:
        return [], None
    if _unknown_in_document(stmts):
        return [], "the Statement element is not resolved"
    if isinstance(stmts, dict):
        return [stmts], None
    if isinstance(stmts, (list, tuple)):
        return [unwrap(st) for st in stmts], None  # Checkov may wrap a statement in a one-element list
    return [], None


def _evaluate_dict(document: dict, principal: "Principal | None" = None) -> Verdict:
    stmts, whole_unresolved = _statements(document)
    if whole_unresolved:
        return Verdict(unknown=whole_unresolved)
    enforced_best: set = set()
    enforced_worst: set = set()
    attempts = lockout = depends = False
    problems: list[str] = []
    lockout_problems: list[str] = []
    unknowns: list[str] = []
    relevant_targeted: list = []
    targeted_actions: list = []
    for i, stmt in enumerate(stmts):
        worst = _evaluate_statement(stmt, i, optimistic=False, principal=principal)
        best = _evaluate_statement(stmt, i, optimistic=True, principal=principal)
        enforced_worst |= worst.enforced
        enforced_best |= best.enforced
        attempts = attempts or worst.attempts or bool(worst.enforced)
        depends = depends or worst.principal_dependent
        lockout = lockout or worst.lockout
        lockout_problems.extend(worst.lockout_problems)
        problems.extend(worst.problems)
        if worst.relevant:
            relevant_targeted.append(worst.targeted)
            targeted_actions.extend(worst.targeted_actions)
        if best.enforced - worst.enforced:
            unknowns.append(best.unknown or worst.unknown or f"statement {i + 1} is not resolved")
            attempts = attempts or best.relevant
    if enforced_worst == ALL_PATHS:
        problems = []  # other statements' gaps are closed by the one(s) that enforce everywhere
    problems = lockout_problems + problems
    unknown = None
    if enforced_best - enforced_worst:
        unknown = "; ".join(dict.fromkeys(unknowns))
    if _has_allow_if_mfa(stmts) and not enforced_worst:
        problems.append("An Allow that requires MFA is not enforcement: another policy can still "
                        "allow the same actions without MFA. Add a Deny with BoolIfExists "
                        "aws:MultiFactorAuthPresent \"false\".")
    if attempts and enforced_worst != ALL_PATHS and not unknown:
        problems.append(f"Open without MFA: {describe_paths(ALL_PATHS - enforced_worst)}.")
    targeted = bool(attempts and not enforced_worst and relevant_targeted and all(relevant_targeted))
    selected = None
    if depends and principal is None:
        selected = _evaluate_dict(document, _SELECTED).enforced
    return Verdict(attempts=attempts, enforced=frozenset(enforced_worst), lockout=lockout,
                   problems=tuple(dict.fromkeys(problems)), unknown=unknown, targeted=targeted,
                   targeted_actions=tuple(dict.fromkeys(targeted_actions)) if targeted else (),
                   depends_on_principal=depends and principal is None, enforced_for_selected=selected)


def _has_allow_if_mfa(stmts: list) -> bool:
    for stmt in stmts:
        if not isinstance(stmt, dict):
            continue
        _, eff = _ci_get(stmt, "Effect")
        _, cond = _ci_get(stmt, "Condition")
        if isinstance(eff, str) and eff.strip().lower() == "allow" and isinstance(cond, dict):
            if any(isinstance(body, dict) and any(str(k).lower() == _MFA_PRESENT for k in body)
                   for body in cond.values()):
                return True
    return False


_CACHE: dict = {}
_CACHE_MAX = 20000


def evaluate(document: Any) -> Verdict:
    """Judge one policy document. Never raises on bad input: returns a Verdict with `unknown`."""
    if document is None:
        return Verdict(unknown="there is no policy document (null or unknown after apply)")
    if isinstance(document, Unresolved):
        return Verdict(unknown=document.reason)
    if isinstance(document, (bytes, bytearray)):
        document = document.decode("utf-8", "replace")
    if isinstance(document, str):
        key = ("s", document)
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
        verdict = evaluate(decode_json_text(document))
    elif isinstance(document, dict):
        try:
            key = ("d", json.dumps(document, sort_keys=True, default=repr))
        except (TypeError, ValueError):
            key = None
        hit = _CACHE.get(key) if key else None
        if hit is not None:
            return hit
        try:
            verdict = _evaluate_dict(document)
            if verdict.depends_on_principal and key is not None:
                verdict = replace(verdict, document_json=key[1])
        except (TypeError, AttributeError, ValueError, RecursionError) as exc:  # never crash a Checkov run
            verdict = Verdict(unknown=f"the policy document has an unexpected shape ({type(exc).__name__}: {exc})")
    elif isinstance(document, (list, tuple)) and len(document) == 1:
        return evaluate(document[0])  # Checkov wraps values in one-element lists
    else:
        return Verdict(unknown=f"the policy document is a {type(document).__name__}, not an object")
    if key is not None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = verdict
    return verdict


_PRINCIPAL_CACHE: dict = {}


def for_principal(verdict: Verdict, principal: Principal | None) -> Verdict:
    """`verdict` specialised for one principal: conditions on aws:PrincipalArn, aws:username and
    aws:userid are decided for it (a break-glass exemption for one user still enforces MFA on
    the others). Returns `verdict` itself when nothing in it depends on the principal."""
    if principal is None or not verdict.depends_on_principal or verdict.document_json is None:
        return verdict
    key = (verdict.document_json, principal)
    hit = _PRINCIPAL_CACHE.get(key)
    if hit is None:
        try:
            hit = _evaluate_dict(json.loads(verdict.document_json), principal)
        except (TypeError, AttributeError, ValueError, RecursionError):
            hit = verdict
        if len(_PRINCIPAL_CACHE) >= _CACHE_MAX:
            _PRINCIPAL_CACHE.clear()
        _PRINCIPAL_CACHE[key] = hit
    return hit


def coverage(signin_paths: Iterable[str], verdicts: Iterable[Verdict]) -> Coverage:
    """Does the union of `verdicts` force MFA on every path in `signin_paths`?"""
    wanted = frozenset(signin_paths)
    enforced: set = set()
    unknowns: list[str] = []
    for v in verdicts:
        enforced |= v.enforced
        if v.unknown:
            unknowns.append(v.unknown)
    open_paths = wanted - enforced
    unknown = "; ".join(dict.fromkeys(unknowns)) if open_paths and unknowns else None
    return Coverage(covered=not open_paths, open_paths=frozenset(open_paths), unknown=unknown)
