"""The IAM part of the desired state: plan/state resource instances -> the engine's Principals model.

desired.py reads the JSON into resource instances and resolves references; this module turns
the IAM ones into users, groups, managed policies, attachments (every kind, the
``*_policy_attachments_exclusive`` resources included), permissions boundaries and sign-in
credentials, the same model the Checkov adapter builds from HCL and the live reader from boto3,
so one engine (mfaguard.policy.coverage) decides for all three.

A link that cannot be resolved is never dropped: an unknown ``policy_arn`` is an ``Unresolved``
reference (UNKNOWN, not "no policy"), and a policy or membership whose user/group is unknown is
a ``Dangling`` link that may reach any user.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mfaguard.drift.model import AccountState, Attachment, Dangling, Group, InlinePolicy, ManagedPolicy, User
from mfaguard.policy.model import AFTER_APPLY_GROUP
from mfaguard.policy.semantics import Unresolved
from mfaguard.policy.values import policy_document

if TYPE_CHECKING:  # pragma: no cover
    from mfaguard.drift.desired import _Instance, _Reader

USER, GROUP, POLICY = "aws_iam_user", "aws_iam_group", "aws_iam_policy"


class IamBuilder:
    def __init__(self, reader: "_Reader", state: AccountState, by_type: dict[str, list["_Instance"]]) -> None:
        self.r = reader
        self.state = state
        self.by_type = by_type

    def build(self) -> None:
        self.principals()
        self.credentials()
        self.memberships()
        self.attachments()
        self.inline_policies()

    # -- principals ----------------------------------------------------------
    def user(self, name: Any) -> User | None:
        if not isinstance(name, str) or not name:
            return None
        return self.state.users.setdefault(name, User(name=name))

    def group(self, name: Any) -> Group | None:
        if not isinstance(name, str) or not name:
            return None
        return self.state.groups.setdefault(name, Group(name=name))

    def principals(self) -> None:
        for inst in self.by_type.get(USER, []):
            u = self.user(inst.get("name") or inst.ident("id"))
            if u is None:
                continue
            u.address, u.arn, u.id = inst.address, inst.ident("arn"), inst.ident("unique_id")
            path = inst.get("path")
            u.path = None if "path" in inst.unknown else path if isinstance(path, str) and path else "/"
            if inst.get("permissions_boundary") or "permissions_boundary" in inst.unknown:
                u.permissions_boundary = self.r._policy_ref(inst, "permissions_boundary")
        for inst in self.by_type.get(GROUP, []):
            g = self.group(inst.get("name") or inst.ident("id"))
            if g is not None:
                g.address, g.arn, g.id = inst.address, inst.ident("arn"), inst.ident("unique_id")
        for inst in self.by_type.get(POLICY, []):
            arn = inst.ident("arn")
            path = inst.get("path")
            self.state.policies[arn or inst.address] = ManagedPolicy(
                name=inst.get("name") or inst.ident("id") or inst.address, arn=arn, address=inst.address,
                document=policy_document(self.r._policy_text(inst)) or Unresolved("the policy is unknown until apply"),
                path=path if isinstance(path, str) and path else None,
                path_known="path" not in inst.unknown,
            )

    def credentials(self) -> None:
        for inst in self.by_type.get("aws_iam_user_login_profile", []):
            u = self.user(self.r._name(inst, "user", USER))
            if u is not None:
                u.console = True
                u.console_by.append(inst.address)
            else:
                self.state.unresolved_credentials.append(inst.address)
        for inst in self.by_type.get("aws_iam_access_key", []):
            u = self.user(self.r._name(inst, "user", USER))
            if u is None:
                self.state.unresolved_credentials.append(inst.address)
                continue
            if inst.get("status") in (None, "Active"):
                u.access_keys = True
                u.keys_by.append(inst.address)
            elif u.access_keys is None:
                u.access_keys = False

    # -- links ---------------------------------------------------------------
    def memberships(self) -> None:
        for inst in self.by_type.get("aws_iam_group_membership", []):
            g = self.group(self.r._name(inst, "group", GROUP))
            users = [self.user(n) for n in self.r._names(inst, "users", USER)]
            self._members(inst, users, [g] if g else [], "group" if g is None else "users")
        for inst in self.by_type.get("aws_iam_user_group_membership", []):
            u = self.user(self.r._name(inst, "user", USER))
            groups = [self.group(n) for n in self.r._names(inst, "groups", GROUP)]
            self._members(inst, [u] if u else [], [g for g in groups if g], "user" if u is None else "groups")

    def _members(self, inst: "_Instance", users: list, groups: list, missing: str) -> None:
        users = [u for u in users if u is not None]
        if users and not groups:
            # known users join a group known only after apply: a group that cannot be judged
            # (UNKNOWN for them), never a link that may reach every user
            unknown_group = f"{AFTER_APPLY_GROUP}{inst.address}.{missing}"
            for u in users:
                if unknown_group not in u.groups:
                    u.groups.append(unknown_group)
            return
        if not users or not groups:
            if users or groups:
                self.state.dangling.append(Dangling(
                    f"{missing} of {inst.address} (unknown until apply)",
                    groups=[g.name for g in groups], anything=not groups))
            return
        for u in users:
            for g in groups:
                if g.name not in u.groups:
                    u.groups.append(g.name)

    def _attach(self, inst: "_Instance", target: User | Group | None, ref: Any, what: str) -> None:
        if ref is None:
            return
        link = Attachment(ref, via=inst.address)
        if target is None:
            self.state.dangling.append(Dangling(f"{what} of {inst.address} (unknown until apply)", policies=[link],
                                                group_policy=what.startswith("group"),
                                                members_only=what.startswith("group")))
        elif not any(_same(link, old) for old in target.attached_policy_arns):
            target.attached_policy_arns.append(link)

    def attachments(self) -> None:
        r, bt = self.r, self.by_type
        for inst in bt.get("aws_iam_user_policy_attachment", []):
            self._attach(inst, self.user(r._name(inst, "user", USER)), r._policy_ref(inst), "user")
        for inst in bt.get("aws_iam_group_policy_attachment", []):
            self._attach(inst, self.group(r._name(inst, "group", GROUP)), r._policy_ref(inst), "group")
        for inst in bt.get("aws_iam_policy_attachment", []):
            ref = r._policy_ref(inst)
            for name in r._names(inst, "users", USER):
                self._attach(inst, self.user(name), ref, "users")
            for name in r._names(inst, "groups", GROUP):
                self._attach(inst, self.group(name), ref, "groups")
        for inst in bt.get("aws_iam_user_policy_attachments_exclusive", []):
            u = self.user(r._name(inst, "user_name", USER))
            for ref in r._policy_refs(inst, "policy_arns"):
                self._attach(inst, u, ref, "user_name")
        for inst in bt.get("aws_iam_group_policy_attachments_exclusive", []):
            g = self.group(r._name(inst, "group_name", GROUP))
            for ref in r._policy_refs(inst, "policy_arns"):
                self._attach(inst, g, ref, "group_name")

    def inline_policies(self) -> None:
        for rtype, attr, pick in (("aws_iam_user_policy", "user", self.user), ("aws_iam_group_policy", "group",
                                                                                 self.group)):
            for inst in self.by_type.get(rtype, []):
                target = pick(self.r._name(inst, attr, USER if attr == "user" else GROUP))
                policy = InlinePolicy(name=inst.get("name") or inst.address,
                                      document=policy_document(self.r._policy_text(inst)), address=inst.address)
                if target is None:
                    self.state.dangling.append(Dangling(f"{attr} of {inst.address} (unknown until apply)",
                                                        policies=[policy], group_policy=attr == "group",
                                                        members_only=attr == "group"))
                else:
                    target.inline_policies.append(policy)


def _same(a: Attachment, b: Any) -> bool:
    ref_b = b.ref if isinstance(b, Attachment) else b
    return not isinstance(a.ref, Unresolved) and a.ref == ref_b
