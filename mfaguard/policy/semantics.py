"""MFA-enforcement semantics of one IAM policy document: the core of mfaguard.

INTERFACE (stable; checks/, the graph coverage checks and mfaguard.drift all call it):

    evaluate(document) -> Verdict
        `document` is a parsed policy document (dict), a JSON string (plain or URL-encoded,
        as IAM's API returns it), an `Unresolved` marker, or None.
        Pure: no I/O, no Checkov, no boto3.

    coverage(signin_paths, verdicts) -> Coverage
        Whether the union of the given verdicts forces MFA on every sign-in path in
        `signin_paths` (a subset of {CONSOLE, ACCESS_KEYS}).

    describe_paths(paths) -> str
        "console sign-in", "access keys", "console sign-in and access keys".

Sign-in paths: CONSOLE (password sessions) and ACCESS_KEYS (long-term access keys).

How a document is judged (docs/semantics.md has the reasons):

* Only `Deny` statements can enforce. Each is judged on its own (denies add up), for each
  sign-in path, against the request context an attacker holding only that credential
  produces: a console session without MFA carries `aws:MultiFactorAuthPresent = "false"`;
  a request signed with a long-term access key carries no such key; neither carries
  `aws:MultiFactorAuthAge`.
* A statement enforces on a path when (1) every condition in it is true for every MFA-less
  request on that path (operators and keys are ANDed: anything that narrows it, or can never
  match, stops it enforcing), (2) some condition is on an MFA key, (3) it does not also deny
  requests made with MFA, and (4) it covers everything that matters: `Action: "*"` or a
  `NotAction` limited to enrolment / read-only IAM/STS actions, `Resource: "*"`, no
  `NotResource` (other than MFA-device ARNs), no narrowing `Principal` / any `NotPrincipal`.
* Lock-out: a statement that always matches an MFA-less request and denies
  iam:EnableMFADevice or iam:CreateVirtualMFADevice: users without MFA cannot enrol.
* Unresolved values (Terraform references, unknown-after-apply): the statement is judged
  twice, once assuming the unresolved parts are the best case for enforcement and once the
  worst case; if the two differ the verdict is `unknown` (enforced = the worst case).
"""
from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

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

    @property
    def open_paths(self) -> frozenset:
        """Sign-in paths this document leaves without MFA."""
        return ALL_PATHS - self.enforced


@dataclass(frozen=True)
class Coverage:
    covered: bool
    open_paths: frozenset  # paths in signin_paths that no verdict enforces
    unknown: str | None = None  # set when an unknown verdict could have covered an open path


class Unresolved:
    """A value that is not known yet: a Terraform reference, `${...}`, unknown after apply.

    documents.py produces it; evaluate() treats it as "could be anything".
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "a value is not resolved") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unresolved({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unresolved) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("Unresolved", self.reason))


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

# Exemptions that are fine in a Deny-without-MFA NotAction: what a user needs to enrol a
# device and to get an MFA session, plus read-only IAM/STS calls.
_SAFE_WRITES = frozenset(a.lower() for a in (
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
    "iam:DeleteVirtualMFADevice", "iam:ChangePassword",
    "sts:GetSessionToken", "sts:GetCallerIdentity", "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
))
_READ_ONLY_VERBS = ("get", "list", "generate", "simulate")

# Needed to enrol (virtual and hardware devices); a Deny that covers them is a lock-out.
_ENROLMENT = ("iam:createvirtualmfadevice", "iam:enablemfadevice")

# Order in which dangerous actions are named in messages (most telling first).
_HEADLINE = [a.lower() for a in (
    "iam:CreateAccessKey", "iam:DeactivateMFADevice", "iam:AttachUserPolicy", "iam:UpdateAccessKey",
    "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:PutUserPolicy", "iam:AttachGroupPolicy",
    "iam:PutGroupPolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion", "iam:AddUserToGroup", "iam:RemoveUserFromGroup",
    "iam:DetachUserPolicy", "iam:DetachGroupPolicy", "iam:DeleteUserPolicy", "iam:DeleteGroupPolicy",
    "iam:PassRole", "iam:CreateUser", "sts:AssumeRole", "sts:GetFederationToken",
)]
_HEADLINE_RANK = {a: i for i, a in enumerate(_HEADLINE)}
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
    names = [_KNOWN_ACTIONS.get(a, a) for a in actions if a]
    if not names:
        return ""
    shown = names[:_MAX_NAMED]
    rest = len(names) - len(shown)
    text = ", ".join(shown)
    if rest > 0:
        text += f" and {rest} more"
    return text


# --------------------------------------------------------------------------------------------
# Values: normalisation, unresolved detection
# --------------------------------------------------------------------------------------------

# IAM policy variables (`${aws:username}`, `${*}`, `$${...}` as HCL escapes it, `&{...}`)
# are literal text for us; any other `${...}` is a Terraform reference.
_IAM_VARIABLE = re.compile(r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-/]+$|^[*?$]$")
_INTERP = re.compile(r"\$\{([^{}]*)\}")


def _has_reference(text: str) -> bool:
    for m in _INTERP.finditer(text):
        if m.start() > 0 and text[m.start() - 1] == "$":
            continue  # $${...}: HCL escape of an IAM policy variable
        if not _IAM_VARIABLE.match(m.group(1).strip()):
            return True
    return False


# Bare Terraform expressions as Checkov leaves them when it cannot evaluate them
# ("var.flag", "data.aws_iam_policy_document.x.json", "aws_iam_user.u.arn", "concat(...)").
_BARE_REF = re.compile(
    r"^(?:var|local|module|data|each|count|self|path|terraform)\.[\w\-\[\]\"'.*]+$"
    r"|^[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w\-]*(?:\[[^\]]*\])?(?:\.[\w\-\[\]\"'*.]+)*$"
)
_FUNCTION_CALL = re.compile(r"^[a-z_][a-z0-9_]*\(.*\)$", re.DOTALL)
_EXPRESSION = re.compile(r"^(?:var|local|module|data|each)\.\S+\s*(?:\?|==|!=|&&|\|\|)")


def is_reference(value: Any) -> bool:
    """True when `value` is a Terraform reference or expression rather than a literal:
    `${var.x}`, bare `var.x` / `data.x.y.json` / `aws_iam_user.u.arn`, `concat(...)`,
    `var.x ? a : b`, an `Unresolved` marker. IAM policy variables (`${aws:username}`,
    `$${aws:username}`, `&{aws:username}`) are literals."""
    if isinstance(value, Unresolved):
        return True
    if not isinstance(value, str):
        return False
    s = value.strip()
    return bool(_has_reference(s) or _BARE_REF.match(s) or _FUNCTION_CALL.match(s)
                or _EXPRESSION.match(s))


def _is_unresolved(value: Any) -> bool:
    if value is None or isinstance(value, Unresolved):
        return True
    return isinstance(value, str) and is_reference(value)


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:  # Checkov sometimes nests one-element lists
            out.extend(_as_list(v) if isinstance(v, (list, tuple)) else [v])
        return out
    return [value]


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

# What the request context holds, per situation. Keys not listed are absent; keys in
# _OTHER_KEYS_UNKNOWN are present with a value we cannot know.
_NO_MFA_CONTEXT = {
    CONSOLE: {_MFA_PRESENT: "false", "aws:viaawsservice": "false"},
    ACCESS_KEYS: {"aws:viaawsservice": "false"},
}
_WITH_MFA_CONTEXT = {_MFA_PRESENT: "true", _MFA_AGE: None, "aws:viaawsservice": "false"}
# Keys whose presence and value we do model; any other key makes a condition DEPENDS.
_MODELLED_KEYS = frozenset({_MFA_PRESENT, _MFA_AGE, "aws:viaawsservice"})

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
    while isinstance(condition, list) and len(condition) == 1:
        condition = condition[0]  # Checkov's one-element list wrapping
    if _is_unresolved(condition):
        return [], "the Condition element is not resolved"
    if not isinstance(condition, dict):
        return [], None
    out = []
    for op, body in condition.items():
        op_text = str(op)
        base, qualifier, if_exists = _parse_operator(op_text)
        while isinstance(body, list) and len(body) == 1 and isinstance(body[0], (dict, list)):
            body = body[0]
        if _is_unresolved(op_text) or _is_unresolved(body) or not isinstance(body, dict):
            out.append(_Cond(op_text, base, qualifier, if_exists, "", "", (),
                             unresolved=f"condition {op_text} is not resolved"))
            continue
        for key, raw in body.items():
            key_text = str(key)
            values = tuple(_norm_value(v) for v in _as_list(raw))
            reason = None
            if _is_unresolved(key_text):
                reason = f"condition key {key_text} is not resolved"
            elif any(_is_unresolved(v) for v in values):
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
    per_value = [_compare(c.base, actual, str(v)) for v in c.values]
    if c.base in _NEGATED:
        # Negated operators: true when the key matches none of the values.
        if TRUE in per_value:
            return FALSE
        return DEPENDS if DEPENDS in per_value else TRUE
    if TRUE in per_value:
        return TRUE
    return DEPENDS if DEPENDS in per_value else FALSE


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
    mentions_present: bool = False  # conditions on aws:MultiFactorAuthPresent
    enforced: frozenset = frozenset()
    lockout: bool = False
    problems: list = field(default_factory=list)
    lockout_problems: list = field(default_factory=list)
    unknown: str | None = None


def _label(stmt: dict, index: int) -> str:
    _, sid = _ci_get(stmt, "Sid")
    if isinstance(sid, str) and sid.strip() and not _is_unresolved(sid):
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
        elif _is_unresolved(r):
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


def _evaluate_statement(stmt: Any, index: int, optimistic: bool) -> _StatementResult:
    res = _StatementResult()
    if _is_unresolved(stmt):
        if optimistic:
            res.relevant = True
            res.enforced = ALL_PATHS
            reason = stmt.reason if isinstance(stmt, Unresolved) else "it is not resolved"
            res.unknown = f"statement {index + 1}: {reason}"
        return res
    if not isinstance(stmt, dict):
        return res
    label = _label(stmt, index)

    _, effect = _ci_get(stmt, "Effect")
    while isinstance(effect, list) and len(effect) == 1:
        effect = effect[0]
    if effect is None and not isinstance(effect, Unresolved):
        return res  # no Effect: IAM rejects the statement; nothing is denied
    if _is_unresolved(effect):
        res.unknown = f"the Effect of {label} is not resolved"
        if not optimistic:
            return res
    elif not isinstance(effect, str) or effect.strip().lower() != "deny":
        return res

    _, condition = _ci_get(stmt, "Condition")
    conds, block_unresolved = _parse_conditions(condition)
    if block_unresolved:
        res.unknown = f"{label}: {block_unresolved}"
        if not optimistic:
            return res
        res.relevant = True
        res.enforced = ALL_PATHS
        return res
    mfa_conds = [c for c in conds if c.key in _MFA_KEYS]
    unresolved_conds = [c for c in conds if c.unresolved]
    res.mentions_present = any(c.key == _MFA_PRESENT for c in conds)
    if not mfa_conds and not (unresolved_conds and optimistic):
        return res  # a Deny that does not talk about MFA: not enforcement
    res.relevant = True
    for c in unresolved_conds:
        res.unknown = f"{label}: {c.unresolved}"

    # ---- conditions, per path ----
    def state_of(c: _Cond, context: dict) -> str:
        if c.unresolved:
            if c.values_only and c.key not in _MODELLED_KEYS:
                return DEPENDS  # e.g. aws:SourceVpc = var.vpc narrows whatever the value is
            if c.values_only and c.base not in _NEGATED:
                # Values are ORed: a resolved value that already matches decides it.
                known = tuple(v for v in c.values if not _is_unresolved(v))
                if known and _cond_state(replace(c, values=known), context) == TRUE:
                    return TRUE
            return TRUE if optimistic else FALSE
        return _cond_state(c, context)

    cond_paths = set()
    false_paths: dict = {}
    depends: list = []
    for path in _PATH_ORDER:
        states = [(c, state_of(c, _NO_MFA_CONTEXT[path])) for c in conds]
        if all(s == TRUE for _, s in states):
            cond_paths.add(path)
            continue
        for c, s in states:
            if c.unresolved and s != DEPENDS:
                continue
            if s == FALSE:
                false_paths.setdefault(c, set()).add(path)
            elif s == DEPENDS and c not in depends:
                depends.append(c)
    path_problems = [f"{label}: {_why_false(c, ps)}" for c, ps in false_paths.items()]
    path_problems += [f"{label}: {_why_depends(c)}" for c in depends]
    # A statement that also matches requests made WITH MFA is a blanket deny, not enforcement.
    with_mfa = [FALSE if c.unresolved else _cond_state(c, _WITH_MFA_CONTEXT) for c in conds]
    if cond_paths and conds and all(s == TRUE for s in with_mfa):
        res.problems.append(f"{label} denies requests even when MFA is used: it is a blanket deny, "
                            "not MFA enforcement.")
        return res

    # ---- actions ----
    has_action, action = _ci_get(stmt, "Action")
    has_not_action, not_action = _ci_get(stmt, "NotAction")
    scope_problems: list[str] = []
    denied_enrolment: set = set()
    thief = _thief(cond_paths or ALL_PATHS)
    if has_not_action:
        entries = _as_list(not_action)
        holes = []
        exempted_enrolment = set()
        for e in entries:
            if _is_unresolved(e) or not isinstance(e, str):
                if not optimistic:
                    scope_problems.append(f"{label}: a NotAction entry is not resolved — it could exempt "
                                          "anything.")
                res.unknown = res.unknown or f"{label}: a NotAction entry is not resolved"
                continue
            for a in _ENROLMENT:
                if _matches(e.strip(), a):
                    exempted_enrolment.add(a)
            hole = _exemption_hole(e)
            if hole is not None and e.strip().lower() in ACCEPTED_NOTACTION:
                hole = None  # the team accepts it (.mfaguard.yaml), with a reason printed by the scan
            if hole is not None:
                holes.append(hole)
        for pattern, dangerous in holes:
            named = _name_actions(dangerous)
            if named:
                scope_problems.append(f"{label}: NotAction exempts {pattern} — without MFA {thief} "
                                      f"can still call {named}.")
            else:
                scope_problems.append(f"{label}: NotAction exempts {pattern}, which is not needed to "
                                      f"enrol an MFA device — without MFA {thief} can still call it.")
        denied_enrolment = {a for a in _ENROLMENT if a not in exempted_enrolment}
    elif has_action:
        entries = _as_list(action)
        everything = False
        listed = []
        for e in entries:
            if _is_unresolved(e) or not isinstance(e, str):
                res.unknown = res.unknown or f"{label}: an Action entry is not resolved"
                everything = everything or optimistic
                continue
            if _covers_everything(e.strip()):
                everything = True
            listed.append(e.strip())
        if not everything:
            res.targeted = True
            scope_problems.append(
                f"{label} denies only {', '.join(listed) or 'no action'} without MFA — "
                f"{thief} can still call every other action.")
        denied_enrolment = {a for a in _ENROLMENT if everything or any(_matches(e, a) for e in listed)}
    else:
        scope_problems.append(f"{label} has no Action or NotAction: it denies nothing.")

    # ---- resources ----
    has_res, resource = _ci_get(stmt, "Resource")
    has_not_res, not_resource = _ci_get(stmt, "NotResource")
    enrol_resource = True
    if has_not_res:
        entries = _as_list(not_resource)
        if any(_is_unresolved(r) for r in entries):
            res.unknown = res.unknown or f"{label}: a NotResource entry is not resolved"
        resolved = [r for r in entries if not _is_unresolved(r)]
        bad = [str(r) for r in resolved if not (isinstance(r, str) and _is_mfa_arn(r))]
        if bad or (not optimistic and len(resolved) < len(entries)):
            scope_problems.append(
                f"{label}: NotResource exempts {', '.join(bad) or 'an unresolved resource'} — "
                f"those resources stay reachable without MFA for {thief}.")
        enrol_resource = _enrolment_resource(resolved, not_resource=True)
    elif has_res:
        entries = _as_list(resource)
        if any(_is_unresolved(r) and not _is_arn_text(r) for r in entries):
            res.unknown = res.unknown or f"{label}: a Resource entry is not resolved"
        covers, narrow = _resource_scope(entries, optimistic)
        if not covers:
            if narrow and all(_is_self_arn(r) for r in narrow):
                scope_problems.append(
                    f"{label} denies only on the user's own IAM resources ({', '.join(narrow)}) — "
                    f"self-management scope, not account-wide enforcement: {thief} still reaches "
                    "every other resource without MFA.")
            else:
                scope_problems.append(
                    f"{label} denies only on {', '.join(narrow) or 'unresolved resources'}, not "
                    f"Resource \"*\" — {thief} still reaches every other resource without MFA.")
        enrol_resource = covers or _enrolment_resource(narrow, not_resource=False)
    else:
        scope_problems.append(f"{label} has no Resource or NotResource: IAM rejects it, so it "
                              "denies nothing.")
        enrol_resource = False

    # ---- principals (resource policies only; identity policies have none) ----
    has_p, principal = _ci_get(stmt, "Principal")
    has_np, not_principal = _ci_get(stmt, "NotPrincipal")
    if has_np:
        scope_problems.append(f"{label} uses NotPrincipal: the principals it lists are not denied "
                              "without MFA.")
    if has_p and _principal_narrows(principal):
        scope_problems.append(f"{label} applies only to the principals it names, not to every "
                              "identity that carries the policy.")

    if cond_paths and denied_enrolment and enrol_resource and not has_np:
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


def _statements(document: dict) -> tuple[list, str | None]:
    found, stmts = _ci_get(document, "Statement")
    if not found:
        return [], None
    if _is_unresolved(stmts):
        return [], "the Statement element is not resolved"
    if isinstance(stmts, dict):
        return [stmts], None
    if isinstance(stmts, (list, tuple)):
        flat: list = []
        for st in stmts:  # Checkov may wrap a statement in a one-element list
            while isinstance(st, list) and len(st) == 1:
                st = st[0]
            flat.append(st)
        return flat, None
    return [], None


def _evaluate_dict(document: dict) -> Verdict:
    stmts, whole_unresolved = _statements(document)
    if whole_unresolved:
        return Verdict(unknown=whole_unresolved)
    enforced_best: set = set()
    enforced_worst: set = set()
    attempts = False
    lockout = False
    problems: list[str] = []
    lockout_problems: list[str] = []
    unknowns: list[str] = []
    allow_if_mfa = False
    relevant_targeted: list = []
    for i, stmt in enumerate(stmts):
        worst = _evaluate_statement(stmt, i, optimistic=False)
        best = _evaluate_statement(stmt, i, optimistic=True)
        enforced_worst |= worst.enforced
        enforced_best |= best.enforced
        attempts = attempts or worst.mentions_present or bool(worst.enforced)
        lockout = lockout or worst.lockout
        lockout_problems.extend(worst.lockout_problems)
        problems.extend(worst.problems)
        if worst.relevant:
            relevant_targeted.append(worst.targeted)
        if best.enforced - worst.enforced:
            unknowns.append(best.unknown or worst.unknown or f"statement {i + 1} is not resolved")
            attempts = attempts or best.relevant
        if isinstance(stmt, dict):
            _, eff = _ci_get(stmt, "Effect")
            _, cond = _ci_get(stmt, "Condition")
            if isinstance(eff, str) and eff.strip().lower() == "allow" and isinstance(cond, dict):
                allow_if_mfa = allow_if_mfa or any(
                    isinstance(body, dict) and any(str(k).lower() == _MFA_PRESENT for k in body)
                    for body in cond.values())
    if enforced_worst == ALL_PATHS:
        problems = []  # other statements' gaps are closed by the one(s) that enforce everywhere
    problems = lockout_problems + problems
    unknown = None
    if enforced_best - enforced_worst:
        unknown = "; ".join(dict.fromkeys(unknowns))
    if allow_if_mfa and not enforced_worst:
        problems.append("An Allow that requires MFA is not enforcement: another policy can still "
                        "allow the same actions without MFA. Add a Deny with BoolIfExists "
                        "aws:MultiFactorAuthPresent \"false\".")
    if attempts and enforced_worst != ALL_PATHS and not unknown:
        problems.append(f"Open without MFA: {describe_paths(ALL_PATHS - enforced_worst)}.")
    targeted = bool(attempts and not enforced_worst and relevant_targeted and all(relevant_targeted))
    return Verdict(attempts=attempts, enforced=frozenset(enforced_worst), lockout=lockout,
                   problems=tuple(dict.fromkeys(problems)), unknown=unknown, targeted=targeted)


def _decode_string(text: str) -> Any:
    s = text.strip()
    if not s:
        return Unresolved("the policy document is empty")
    if s.startswith("%7B") or s.startswith("%7b") or (s.startswith("%") and "%22" in s):
        s = urllib.parse.unquote(s)
    if not s.startswith("{") and is_reference(s):
        return Unresolved(f"the policy document is a reference: {s[:80]}")
    try:
        return json.loads(s)
    except ValueError as exc:
        if _has_reference(s):
            return Unresolved(f"the policy document is not resolved: {s[:80]}")
        return Unresolved(f"the policy document is not valid JSON ({exc.msg} at line {exc.lineno})")


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
        parsed = _decode_string(document)
        verdict = evaluate(parsed) if not isinstance(parsed, str) else Verdict(
            unknown="the policy document is a string, not an object")
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
