"""Principal coverage: which policies reach a user or group, and whether they force MFA on its sign-in paths.

    engine = Engine(principals, outside=None)
    engine.coverage(user, paths=None, *, account_sources=())   -> PrincipalCoverage
    engine.group_coverage(group, paths)                         -> PrincipalCoverage (no principal)
    engine.group_verdict(group, paths)                          -> GroupVerdict (CKV2_MFA_3: member by
                                                                   member when a condition names principals)
    engine.document_verdict(document)                           -> Verdict (the one verdict cache)
    engine.fix_for(user, open_paths)                            -> Fix (the shortest safe fix)

The sources that reach a user (DESIGN.md, "Coverage of a user"): its inline policies, its
attached managed policies (however attached: ``aws_iam_user_policy_attachment``,
``aws_iam_policy_attachment``, ``aws_iam_user_policy_attachments_exclusive`` all become
``User.attached_policy_arns``), the same for each of its groups, its permissions boundary (an
explicit Deny in any layer wins), and account-level sources the caller adds
(``account_sources``: the SCPs on a member account, its OUs and root).  Each reference is
resolved by mfaguard.policy.references; each document is judged once by
mfaguard.policy.semantics and then specialised for the principal by ``verdict_for_principal``.

A user is PASSED when the union of the sources enforces MFA on every path judged; UNKNOWN when
a source that cannot be judged (or a dangling link that may reach the user) could close an open
path; FAILED otherwise (AWS-managed policies never enforce: a user reached only by them FAILS).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence, Union

from mfaguard.policy import semantics
from mfaguard.policy.decision import FAILED, PASSED, UNKNOWN  # noqa: F401  (re-exported for the adapters)
from mfaguard.policy.model import AFTER_APPLY_GROUP, Attachment, Dangling, Group, InlinePolicy, PolicyRef, Principals, User
from mfaguard.policy.references import AWS_MANAGED, CONFIGURED, OUTSIDE, Outside, resolve
from mfaguard.policy.semantics import ACCESS_KEYS, ALL_PATHS, CONSOLE, Unresolved, Verdict
from mfaguard.policy.values import policy_document


# how a user's group that nothing declares is named in messages (mfaguard.expand.checkov_run adds
# which module that is not downloaded may create it)
NOT_IN_CONFIGURATION = "is not in the configuration"
_MODULE_PREFIX = re.compile(r'^((?:module\.[A-Za-z0-9_-]+(?:\[(?:"[^"]*"|[^\]])*\])?\.)*)')


def module_of(address: str | None) -> str:
    """``module.a["x"].module.b.`` of ``module.a["x"].module.b.aws_iam_user.u`` ("" at the root)."""
    m = _MODULE_PREFIX.match(address or "")
    return m.group(1) if m else ""


def verdict_for_principal(verdict: Verdict, document: Any, principal: Union[User, Group, None]) -> Verdict:
    """THE hook where a document's verdict is specialised for one principal (semantics.for_principal).

    Conditions ANDed with the MFA test that are decidable per principal (``aws:username``,
    ``aws:PrincipalArn``, ``aws:userid``: a break-glass exemption for one user) are to be
    evaluated here, by a per-principal function of mfaguard.policy.semantics, with ``document``
    (the decoded dict) and the principal's name/ARN/id.  Every document verdict that reaches a
    principal in ``Engine.coverage``/``Engine.group_coverage`` passes through this function once
    (``principal`` is the Group for a group's own coverage, None for what a dangling link could
    bring to a principal nobody knows).
    """
    if not isinstance(principal, User) or not verdict.depends_on_principal:
        return verdict  # only users are specialised: a group's members differ
    return semantics.for_principal(verdict, semantics.Principal(
        name=principal.name if principal.name_known else None, arn=principal.arn, userid=principal.id,
        path=principal.path))


@dataclass(frozen=True)
class AccountSource:
    """An account-level source of enforcement a caller adds to ``Engine.coverage``.

    ``label`` names it in messages ("SCP deny-no-mfa attached to OU ou-ab12"); ``kind`` is a short
    tag ("scp"); ``document`` is its policy document (dict, JSON text, Unresolved or None)."""

    label: str
    document: Any
    kind: str = "scp"


@dataclass(frozen=True)
class Source:
    """One policy that reaches a principal, where it hangs, and its verdict for that principal."""

    kind: str  # inline | managed | boundary | an AccountSource.kind
    key: str  # managed/boundary: the reference (ARN or address); inline: name; account: label
    name: str  # the policy's name
    verdict: Verdict
    resolution: str = CONFIGURED  # references.CONFIGURED | AWS_MANAGED | OUTSIDE | UNKNOWN
    via_group: str | None = None  # key of the group it reaches the user through
    group_name: str | None = None
    address: str | None = None  # the policy's Terraform address
    via: str | None = None  # the resource that attaches it (Terraform address)

    @property
    def label(self) -> str:
        """In words: "policy enforce-mfa", "inline policy x", "permissions boundary b"."""
        word = {"inline": "inline policy", "managed": "policy", "boundary": "permissions boundary"}.get(self.kind)
        return f"{word} {self.name}" if word else self.key

    @property
    def terraform_label(self) -> str:
        """By address where there is one: "aws_iam_user_policy_attachment.a -> aws_iam_policy.p"."""
        if self.kind == "inline":
            return self.address or self.label
        if self.kind not in ("managed", "boundary"):
            return self.label
        target = self.address or self.key
        if self.kind == "boundary":
            return f"permissions boundary {target}"
        return f"{self.via} -> {target}" if self.via else target


@dataclass(frozen=True)
class PrincipalCoverage:
    paths: frozenset  # the sign-in paths judged
    sources: tuple  # every Source that reaches the principal
    enforced: frozenset  # the paths (of ALL_PATHS) some source enforces
    open_paths: frozenset  # paths of `paths` no source enforces
    unknown: str | None  # why it cannot be decided (an unjudgeable source could close an open path)

    @property
    def status(self) -> str:
        if not self.open_paths:
            return PASSED
        return UNKNOWN if self.unknown else FAILED

    @property
    def covered(self) -> bool:
        return not self.open_paths

    def enforcing(self) -> list[Source]:
        return [s for s in self.sources if s.verdict.enforced & self.paths]

    def aws_managed(self) -> list[Source]:
        return [s for s in self.sources if s.resolution == AWS_MANAGED]


@dataclass(frozen=True)
class GroupVerdict:
    """CKV2_MFA_3's decision for a group.  ``coverage`` is the group's own (no principal).  When a
    policy of the group decides per principal (a break-glass ``aws:username`` exemption) and
    enforces on some members, the members are judged one by one: every one covered passes; an
    exempt member fails the group (IAM.5 asks MFA of every user with a console password)."""

    status: str  # PASSED | FAILED | UNKNOWN
    coverage: PrincipalCoverage
    covered: tuple = ()  # member names the group's policies cover, when judged member by member
    exempt: tuple = ()  # member names they do not cover
    undecided: tuple = ()  # (member name, reason) pairs

    @property
    def per_member(self) -> bool:
        return bool(self.covered)


@dataclass(frozen=True)
class Fix:
    """The shortest safe fix for a user: attach a configured policy that already enforces (grants
    nothing else), else join a group that enforces (grants its other permissions too), else new."""

    kind: str  # attach | join | new
    key: str | None = None  # the policy's or group's key in the model
    policy: Any = None  # the ManagedPolicy to attach
    group: Group | None = None


def _denies_only(document: Any) -> bool:
    """Every statement of the (decoded) document is a Deny: attaching it grants nothing."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return isinstance(statements, list) and all(
        isinstance(st, dict) and str(st.get("Effect", "")).lower() == "deny" for st in statements)


def user_paths(user: User) -> frozenset:
    """The sign-in paths of a user: those its credentials give; both when none is declared."""
    paths = set()
    if user.console:
        paths.add(CONSOLE)
    if user.access_keys:
        paths.add(ACCESS_KEYS)
    return frozenset(paths) or ALL_PATHS


def _undeclared(group: Group) -> bool:
    """A group the model knows only by a membership's name: no Terraform address, no ARN read
    live, no policy of its own (a plan's membership naming a group given by a variable)."""
    return group.address is None and group.arn is None and not group.inline_policies \
        and not group.attached_policy_arns


class Engine:
    """Decides over one Principals model; documents are judged once per engine."""

    def __init__(self, principals: Principals, *, outside: Outside | None = None,
                 scope: str = "the configuration") -> None:
        """`outside`: where to look up a policy ARN the model does not hold (drift: the live
        account); `scope`: what the model is, in messages ("the configuration", "the account")."""
        self.model = principals
        self.outside = outside
        self.scope = scope
        self._verdicts: dict[str, Verdict] = {}  # by canonical JSON: each distinct document judged once
        self._by_identity: dict[int, tuple[Any, Verdict]] = {}
        self._resolved: dict[Any, tuple[Any, Any]] = {}
        self._enforcing: dict[tuple, list] = {}

    # ---------------------------------------------------------------- documents
    def document_verdict(self, document: Any) -> Verdict:
        """The verdict of one document (dict, JSON text, Unresolved, None), each distinct one judged once."""
        if isinstance(document, (str, bytes, bytearray)):
            document = policy_document(document)
        if document is None:
            return Verdict(unknown="there is no policy document (null or unknown after apply)")
        if isinstance(document, Unresolved):
            return Verdict(unknown=document.reason)
        seen = self._by_identity.get(id(document))
        if seen is not None and seen[0] is document:  # the same object again: no re-serialising
            return seen[1]
        try:
            key = json.dumps(document, sort_keys=True, default=str)
        except (TypeError, ValueError):
            return semantics.evaluate(document)
        cached = self._verdicts.get(key)
        if cached is None:
            cached = self._verdicts[key] = semantics.evaluate(document)
        self._by_identity[id(document)] = (document, cached)  # keeps the object alive: ids stay unique
        return cached

    def _judged(self, document: Any, principal: Any) -> Verdict:
        return verdict_for_principal(self.document_verdict(document), document, principal)

    # ---------------------------------------------------------------- sources
    def _inline(self, policies: Iterable[InlinePolicy], principal: Any, group_key=None, group=None) -> list[Source]:
        return [Source("inline", p.name, p.name, self._judged(p.document, principal), CONFIGURED,
                       group_key, group.name if group else None, p.address) for p in policies]

    def reference_source(self, ref: PolicyRef, principal: Any, kind: str = "managed",
                         group_key: str | None = None, group: Group | None = None) -> Source:
        res = self.resolve(ref)
        via = ref.via if isinstance(ref, Attachment) else None
        if res.kind in (CONFIGURED, OUTSIDE):
            verdict = self._judged(res.policy.document, principal)
        elif res.kind == AWS_MANAGED:
            verdict = Verdict()  # AWS-managed policies never deny on a missing MFA
        else:
            verdict = Verdict(unknown=res.reason)
        address = res.policy.address if res.policy is not None else None
        return Source(kind, res.ref, res.name, verdict, res.kind, group_key, group.name if group else None,
                      address, via)

    def resolve(self, ref: PolicyRef):
        """What `ref` names (references.resolve), once per reference."""
        inner = ref.ref if isinstance(ref, Attachment) else ref
        key = inner if isinstance(inner, str) else id(inner)
        hit = self._resolved.get(key)
        if hit is None or hit[0] is not inner and not isinstance(inner, str):
            hit = self._resolved[key] = (inner, resolve(inner, self.model, self.outside, self.scope))
        return hit[1]

    def group_sources(self, group_key: str, group: Group, principal: Any) -> list[Source]:
        out = self._inline(group.inline_policies, principal, group_key, group)
        out += [self.reference_source(r, principal, "managed", group_key, group) for r in group.attached_policy_arns]
        return out

    def user_sources(self, user: User, account_sources: Sequence[AccountSource] = ()) -> list[Source]:
        out = self._inline(user.inline_policies, user)
        out += [self.reference_source(r, user) for r in user.attached_policy_arns]
        if user.permissions_boundary is not None:
            out.append(self.reference_source(user.permissions_boundary, user, "boundary"))
        for key in user.groups:
            group = self.model.groups.get(key)
            if group is None or _undeclared(group):
                # a group named by a membership but neither in the configuration nor read live:
                # whatever policies it carries are outside what mfaguard can see
                where = (f"the group named by {key[len(AFTER_APPLY_GROUP):]} is known only after apply"
                         if key.startswith(AFTER_APPLY_GROUP) else f"group {key} {NOT_IN_CONFIGURATION}")
                out.append(Source("group", key, key, Verdict(
                    unknown=f"{where}: the policies it carries cannot be judged"), OUTSIDE, key, key))
            if group is not None:
                out += self.group_sources(key, group, user)
        for extra in account_sources:
            out.append(Source(extra.kind, extra.label, extra.label, self._judged(extra.document, user)))
        return out

    # ---------------------------------------------------------------- coverage
    def coverage(self, user: User, paths: Iterable[str] | None = None, *,
                 account_sources: Sequence[AccountSource] = ()) -> PrincipalCoverage:
        """Whether MFA is enforced on `paths` (default: the user's own sign-in paths) for `user`.

        ``account_sources``: enforcing sources above the account that reach every principal in
        it (e.g. SCPs of a member account, its OUs and root), each with a label for messages."""
        wanted = frozenset(paths) if paths is not None else user_paths(user)
        sources = self.user_sources(user, account_sources)
        return self._cover(wanted, sources, self._dangling_for(user), "a link that may reach this user")

    def _dangling_for(self, user: User) -> list[Dangling]:
        """The unresolved links that may reach `user`. A plan's group policy whose group is named
        only after apply (``members_only``) reaches members of groups only: not a user in no
        group, unless a membership whose users cannot be resolved may put them in one."""
        dangling = self.model.dangling
        may_join = bool(user.groups) or any(not d.group_policy and not d.policies for d in dangling)
        return [d for d in dangling if may_join or not d.members_only]

    def group_coverage(self, group_key: str, paths: Iterable[str]) -> PrincipalCoverage:
        group = self.model.groups[group_key]
        sources = self.group_sources(group_key, group, group)
        return self._cover(frozenset(paths), sources, [d for d in self.model.dangling if d.group_policy],
                           "a policy that may belong to this group is attached to a group that")

    def group_verdict(self, group_key: str, paths: Iterable[str]) -> GroupVerdict:
        """Whether the group's own policies enforce MFA on `paths` for every member who signs in
        that way.  A condition on the principal (a break-glass ``aws:username`` exemption) enforces
        on some members and not others, which the group's own coverage cannot tell: then each
        member with one of `paths` is judged over the group's policies."""
        wanted = frozenset(paths)
        cov = self.group_coverage(group_key, wanted)
        if cov.status != FAILED or not any(s.verdict.depends_on_principal for s in cov.sources):
            return GroupVerdict(cov.status, cov)
        group = self.model.groups[group_key]
        judged = [(u, self._cover(wanted, self.group_sources(group_key, group, u), [], ""))
                  for u in self.model.members(group_key) if user_paths(u) & wanted]
        covered = tuple(u.name for u, c in judged if c.status == PASSED)
        if not covered:
            return GroupVerdict(FAILED, cov)
        exempt = tuple(u.name for u, c in judged if c.status == FAILED)
        undecided = tuple((u.name, c.unknown) for u, c in judged if c.status == UNKNOWN)
        status = FAILED if exempt else UNKNOWN if undecided else PASSED
        return GroupVerdict(status, cov, covered, exempt, undecided)

    def _cover(self, wanted: frozenset, sources: list[Source], dangling: list[Dangling],
               what: str) -> PrincipalCoverage:
        verdicts = [s.verdict for s in sources]
        cov = semantics.coverage(wanted, verdicts)
        enforced = frozenset().union(*(v.enforced for v in verdicts)) if verdicts else frozenset()
        unknown = cov.unknown
        if cov.open_paths and not unknown:
            relevant = [d.what for d in dangling if self._may_close(cov.open_paths, verdicts, d)]
            if relevant:
                unknown = f"{what} cannot be resolved from {self.scope}: " + "; ".join(relevant)
        return PrincipalCoverage(wanted, tuple(sources), enforced, cov.open_paths, unknown)

    def _may_close(self, open_paths: frozenset, verdicts: list[Verdict], d: Dangling) -> bool:
        if d.anything:
            return True
        potential = [self._judged(p.document, None) if isinstance(p, InlinePolicy)
                     else self.reference_source(p, None).verdict for p in d.policies]
        for key in d.groups:
            group = self.model.groups.get(key)
            if group is not None:
                potential += [s.verdict for s in self.group_sources(key, group, None)]
        maybe = semantics.coverage(open_paths, verdicts + potential)
        return maybe.covered or bool(maybe.unknown)

    # ---------------------------------------------------------------- fixes
    def enforcing_policies(self, paths: frozenset) -> list[str]:
        """Keys of configured managed policies that enforce MFA on `paths` with no lock-out and grant
        nothing (Deny statements only), by address."""
        key = ("policies", paths)
        if key not in self._enforcing:
            found = []
            for k, p in self.model.policies.items():
                verdict = self.document_verdict(p.document) if p.address and _denies_only(p.document) else None
                if verdict is not None and not verdict.lockout and semantics.coverage(paths, [verdict]).covered:
                    found.append(k)
            self._enforcing[key] = sorted(found, key=lambda k: self.model.policies[k].address)
        return self._enforcing[key]

    def enforcing_groups(self, paths: frozenset) -> list[str]:
        """Keys of configured groups whose own policies enforce MFA on `paths` (by address)."""
        key = ("groups", paths)
        if key not in self._enforcing:
            found = [k for k, g in self.model.groups.items()
                     if semantics.coverage(paths, [s.verdict for s in self.group_sources(k, g, g)]).covered]
            self._enforcing[key] = sorted(found, key=lambda k: self.model.groups[k].address or k)
        return self._enforcing[key]

    def fix_for(self, user: User, open_paths: frozenset) -> Fix:
        """Attaching a configured policy that already enforces grants nothing else; joining an
        enforcing group also grants its other permissions, so it is offered only without one.
        Only policies and groups in the user's own module (a reference must stay inside it)."""
        here = module_of(user.address)
        policies = [k for k in self.enforcing_policies(open_paths)
                    if module_of(self.model.policies[k].address) == here]
        if policies:
            return Fix("attach", policies[0], policy=self.model.policies[policies[0]])
        groups = [k for k in self.enforcing_groups(open_paths) if k not in user.groups]
        if groups:
            return Fix("join", groups[0], group=self.model.groups[groups[0]])
        return Fix("new")
