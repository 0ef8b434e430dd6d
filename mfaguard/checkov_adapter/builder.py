"""Checkov's graph -> the engine's Principals model (users, groups, policies, attachments, boundaries).

Users, groups and managed policies are keyed by their vertex (``Node.key``); every link is
resolved by the index (index.py), every document by graph_documents.py.  A link whose user or
group side cannot be resolved is a ``Dangling`` link with what it would bring; a policy
reference that cannot be resolved is an ``Unresolved`` marker, never dropped.  Which policies
then reach a principal, and with what verdict, is the engine's decision
(mfaguard.policy.coverage), the same one drift asks.
"""
from __future__ import annotations

import re
from typing import Any

from mfaguard.checkov_adapter.graph import (
    ACCESS_KEY, EXTERNAL_POLICY, GROUP, GROUP_ATTACH, GROUP_ATTACH_EXCLUSIVE, GROUP_MEMBERS, GROUP_POLICY,
    LOGIN_PROFILE, POLICY, POLICY_ATTACH, USER, USER_ATTACH, USER_ATTACH_EXCLUSIVE, USER_GROUPS, USER_POLICY, Node,
)
from mfaguard.checkov_adapter.graph_documents import GraphDocuments
from mfaguard.checkov_adapter.index import GraphIndex
from mfaguard.policy.model import AFTER_APPLY_GROUP, Attachment, Dangling, Group, InlinePolicy, ManagedPolicy, Principals, User
from mfaguard.policy.references import parse_policy_arn
from mfaguard.policy.semantics import Unresolved
from mfaguard.policy.values import is_unresolved, strings, unwrap


_VARIABLE = re.compile(r"^\$?\{?\s*var\.([A-Za-z0-9_-]+)\s*\}?$")


class ModelBuilder:
    def __init__(self, index: GraphIndex, docs: GraphDocuments) -> None:
        self.index = index
        self.docs = docs
        self.model = Principals()
        self.nodes: dict[str, Node] = {}

    def build(self) -> Principals:
        t = self.index.by_type
        for node in t.get(POLICY, []):
            self.model.policies[node.key] = self._policy(node)
        for node in t.get(GROUP, []):
            self.model.groups[node.key] = Group(name=node.short, address=node.display)
        for node in t.get(USER, []):
            self.model.users[node.key] = User(name=node.short, address=node.display,
                                              permissions_boundary=self._boundary(node),
                                              path=_literal_path(node), name_known=_literal(node.name) is not None)
        for node in t.get(POLICY, []) + t.get(GROUP, []) + t.get(USER, []):
            self.nodes[node.key] = node
        self._credentials()
        self._memberships()
        self._inline_policies()
        self._attachments()
        return self.model

    # ---------------------------------------------------------------- principals
    def _policy(self, node: Node) -> ManagedPolicy:
        path = unwrap(node.value("path"))
        known = not (path is not None and (not isinstance(path, str) or is_unresolved(path)))
        return ManagedPolicy(name=node.name or node.short, address=node.display,
                             document=self.docs.as_model_document(node),
                             path=path if known and isinstance(path, str) and path else None, path_known=known)

    def _boundary(self, node: Node) -> Any:
        value = unwrap(node.value("permissions_boundary"))
        if value == "" or value == []:
            return None  # the provider's "no boundary" (a module's `default = ""`)
        m = _VARIABLE.match(value) if isinstance(value, str) else None
        if m and self.index.glue.defaults_to_null(node.module, m.group(1)):
            return None  # `permissions_boundary = var.x`, x defaulting to null and not passed: no boundary
        if value is None and not (self.index.plan and self.index.plan_ref_targets(node, (POLICY,))):
            return None
        refs = self.policy_refs(node, "permissions_boundary")
        return refs[0].ref if refs else None

    # ---------------------------------------------------------------- links
    def users_of(self, node: Node, attr: str, dangling: Dangling | None = None) -> list[User]:
        targets, unresolved = self.index.resolve(node, attr, USER)
        if dangling is None and not targets:
            targets = self.index.each_of_users(node, attr)
        if unresolved and dangling is not None:  # a credential whose user is unknown grants no policy
            dangling.what = f"{attr} of {node.display} ({', '.join(unresolved)})"
            self.model.dangling.append(dangling)
        return [self.model.users[t.key] for t in targets if t.key in self.model.users]

    def groups_of(self, node: Node, attr: str, dangling: Dangling) -> list[str]:
        targets, unresolved = self.index.resolve(node, attr, GROUP)
        if unresolved:
            dangling.what = f"{attr} of {node.display} ({', '.join(unresolved)})"
            dangling.members_only = all(u.startswith(AFTER_APPLY_GROUP) for u in unresolved)
            self.model.dangling.append(dangling)
        return [t.key for t in targets if t.key in self.model.groups]

    def _credentials(self) -> None:
        for rtype, flag in ((LOGIN_PROFILE, "console"), (ACCESS_KEY, "access_keys")):
            for node in self.index.by_type.get(rtype, []):
                for u in self.users_of(node, "user"):
                    setattr(u, flag, True)
                    (u.console_by if flag == "console" else u.keys_by).append(node.display)

    def _memberships(self) -> None:
        for rtype, user_attr, group_attr in ((USER_GROUPS, "user", "groups"), (GROUP_MEMBERS, "users", "group")):
            for node in self.index.by_type.get(rtype, []):
                targets, unresolved = self.index.resolve(node, group_attr, GROUP)
                groups = [t.key for t in targets if t.key in self.model.groups]
                # users known: an unresolved group reaches only them (the engine judges a group it
                # does not hold as UNKNOWN); users unknown: it may reach anyone
                dangling = Dangling("", groups=list(groups), anything=bool(unresolved))
                for u in self.users_of(node, user_attr, dangling):
                    for g in groups + list(unresolved):
                        if g not in u.groups:
                            u.groups.append(g)

    def _inline_policies(self) -> None:
        for node in self.index.by_type.get(USER_POLICY, []):
            policy = InlinePolicy(node.display, self.docs.as_model_document(node), node.display)
            for u in self.users_of(node, "user", Dangling("", policies=[policy])):
                u.inline_policies.append(policy)
        for node in self.index.by_type.get(GROUP_POLICY, []):
            policy = InlinePolicy(node.display, self.docs.as_model_document(node), node.display)
            for g in self.groups_of(node, "group", Dangling("", policies=[policy], group_policy=True)):
                self.model.groups[g].inline_policies.append(policy)

    def _attach_users(self, node: Node, attr: str, refs: list[Attachment]) -> None:
        for u in self.users_of(node, attr, Dangling("", policies=list(refs))):
            u.attached_policy_arns.extend(refs)

    def _attach_groups(self, node: Node, attr: str, refs: list[Attachment]) -> None:
        for g in self.groups_of(node, attr, Dangling("", policies=list(refs), group_policy=True)):
            self.model.groups[g].attached_policy_arns.extend(refs)

    def _attachments(self) -> None:
        t = self.index.by_type
        for node in t.get(USER_ATTACH, []):
            self._attach_users(node, "user", self.policy_refs(node, "policy_arn"))
        for node in t.get(GROUP_ATTACH, []):
            self._attach_groups(node, "group", self.policy_refs(node, "policy_arn"))
        for node in t.get(USER_ATTACH_EXCLUSIVE, []):
            self._attach_users(node, "user_name", self.policy_refs(node, "policy_arns"))
        for node in t.get(GROUP_ATTACH_EXCLUSIVE, []):
            self._attach_groups(node, "group_name", self.policy_refs(node, "policy_arns"))
        for node in t.get(POLICY_ATTACH, []):
            refs = self.policy_refs(node, "policy_arn")
            if strings(node.value("users")):
                self._attach_users(node, "users", refs)
            if strings(node.value("groups")):
                self._attach_groups(node, "groups", refs)

    # ---------------------------------------------------------------- policy references
    def policy_refs(self, node: Node, attr: str) -> list[Attachment]:
        """What `attr` (``policy_arn``, ``policy_arns``, ``permissions_boundary``) of `node` refers to:
        configured policies by key, ARNs as written, else Unresolved markers."""
        via = node.display
        targets, unresolved = self.index.resolve(node, attr, POLICY)
        if attr != "policy_arns" and len(targets) > 1:
            return [Attachment(Unresolved(f"{attr} of {node.display} matches several policies"), via)]
        refs = [Attachment(t.key, via) for t in targets]
        refs += [Attachment(self._literal_ref(node, attr, value), via) for value in unresolved]
        if not refs:
            shown = unwrap(node.value(attr))
            why = "is unknown until apply" if shown in (None, []) else \
                f"({str(shown)[:120]}) cannot be resolved from the configuration"
            refs.append(Attachment(Unresolved(f"{attr} of {node.display} {why}"), via))
        return refs

    def _literal_ref(self, node: Node, attr: str, value: str) -> Any:
        external = self.index.lookup_refs(node, value, (EXTERNAL_POLICY,))
        if external:
            arn = unwrap(external[0].value("arn"))
            if parse_policy_arn(arn) is not None:
                return arn  # data "aws_iam_policy" { arn = "arn:aws:iam::aws:policy/..." }
            return Unresolved(f"{external[0].display} reads a policy that is not in the configuration and "
                              "cannot be judged")
        if parse_policy_arn(value) is not None:
            return value
        return Unresolved(f"{attr} of {node.display} ({value}) cannot be resolved from the configuration")


def _literal(value: Any) -> str | None:
    value = unwrap(value)
    return value if isinstance(value, str) and value and not is_unresolved(value) else None


def _literal_path(node: Any) -> str | None:
    """The user's IAM path: "/" when not set, None when it is not a literal."""
    value = node.value("path")
    return "/" if value is None else _literal(value)
