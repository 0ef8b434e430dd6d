"""The neutral model of IAM principals the engine decides over: no Checkov, no boto3.

Three adapters fill it and ask the same engine (mfaguard.policy.coverage):

    mfaguard.checkov_adapter   Checkov's graph (HCL or plan)          -> Principals
    mfaguard.drift.desired     `terraform show -json` (plan or state) -> AccountState (a Principals)
    mfaguard.drift.live        boto3 (GetAccountAuthorizationDetails) -> AccountState (a Principals)

`None` always means "not known" (unknown after apply, not readable), never "false".  A policy
document is a parsed dict, JSON text, an ``Unresolved(reason)`` marker or None (unknown).

A policy reference (an attachment's ``policy_arn``, a permissions boundary) is an ARN, the key
of a configured policy in ``Principals.policies`` (the Terraform address when the ARN is only
known after apply), an ``Unresolved`` marker (``var.policy_arn`` without a value: never dropped),
or an ``Attachment`` carrying one of those with the resource that attaches it (for messages).
mfaguard.policy.references decides what each one is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from mfaguard.policy.semantics import Unresolved


@dataclass
class ManagedPolicy:
    name: str
    arn: str | None = None
    address: str | None = None  # Terraform address, configuration side only
    document: Any = None  # dict | JSON text | Unresolved | None (unknown)
    # IAM path. None: the ARN's path when the ARN is known, else the provider default "/".
    path: str | None = None
    path_known: bool = True  # False: `path = var.x` without a value (the path could be anything)


@dataclass
class InlinePolicy:
    name: str
    document: Any = None
    address: str | None = None


@dataclass
class Attachment:
    """A policy reference and the resource that makes it (``aws_iam_user_policy_attachment.x``)."""

    ref: Union[str, Unresolved]
    via: str | None = None


PolicyRef = Union[str, Unresolved, Attachment]


def bare_ref(ref: PolicyRef) -> Union[str, Unresolved]:
    """The reference itself, without the resource that attaches it."""
    return ref.ref if isinstance(ref, Attachment) else ref


class _Attached:
    attached_policy_arns: list

    def policy_refs(self) -> list[Union[str, Unresolved]]:
        """The attached policy references (ARNs, addresses, Unresolved markers), without `via`."""
        return [bare_ref(r) for r in self.attached_policy_arns]


@dataclass
class User(_Attached):
    name: str
    arn: str | None = None
    id: str | None = None
    address: str | None = None
    # Sign-in credentials.  Configuration side: login profile / access key declared (None when
    # the configuration says nothing, i.e. one could be added by hand).
    console: bool | None = None
    access_keys: bool | None = None
    mfa_active: bool | None = None  # live side only (credential report / list_mfa_devices)
    groups: list[str] = field(default_factory=list)  # keys of Principals.groups (drift: group names)
    attached_policy_arns: list[PolicyRef] = field(default_factory=list)
    inline_policies: list[InlinePolicy] = field(default_factory=list)
    permissions_boundary: PolicyRef | None = None
    # The resources that give the credentials (addresses), for messages.
    console_by: list[str] = field(default_factory=list)
    keys_by: list[str] = field(default_factory=list)
    # For conditions on the principal (aws:username, aws:PrincipalArn): the IAM path ("/" by
    # default, None when unknown) and whether `name` is the real user name (False when it is a
    # block name standing in for an unresolved `name`).
    path: str | None = "/"
    name_known: bool = True


@dataclass
class Group(_Attached):
    name: str
    arn: str | None = None
    address: str | None = None
    attached_policy_arns: list[PolicyRef] = field(default_factory=list)
    inline_policies: list[InlinePolicy] = field(default_factory=list)
    id: str | None = None  # IAM's unique id (GroupId / unique_id): survives a rename


@dataclass
class Dangling:
    """A link whose user (or group) side cannot be resolved: it may reach any user.

    ``policies``/``groups`` are what it would bring (inline policies and references, or keys of
    Principals.groups); ``anything`` when even that is unknown (a membership whose groups are
    unresolved).  ``group_policy``: a group's policy whose group cannot be resolved."""

    what: str
    policies: list[Union[InlinePolicy, PolicyRef]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    anything: bool = False
    group_policy: bool = False
    # a group policy from a plan, whose group is named only after apply: a plan lists every
    # membership, so it reaches members of groups only, never a user in none
    members_only: bool = False


# A group key for a membership whose group is known only after apply (a plan): what follows
# names the membership's argument, e.g. "aws_iam_group_membership.admins.group".
AFTER_APPLY_GROUP = "known only after apply: "


@dataclass
class Principals:
    users: dict[str, User] = field(default_factory=dict)  # by a key the adapter chooses (drift: name)
    groups: dict[str, Group] = field(default_factory=dict)  # by the keys User.groups uses
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)  # by ARN, or address before apply
    dangling: list[Dangling] = field(default_factory=list)
    account_id: str | None = None
    partition: str = "aws"

    def members(self, group_key: str) -> list[User]:
        return [u for u in self.users.values() if group_key in u.groups]
