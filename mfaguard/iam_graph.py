"""IAM facts read from Checkov's graph, shared by CKV_MFA_4 and CKV2_MFA_1..3.

Checkov builds one graph per run (HCL runner and plan runner alike).  The four IAM checks
are graph checks (``IamGraphCheck`` below, a ``BaseGraphCheck`` with its own ``run``): the
first one to run on a graph builds an ``IamIndex`` of the IAM vertices (users, credentials,
groups, memberships, attachments, policy documents), the others reuse it.  Every distinct
policy document is judged once by ``mfaguard.policy.semantics.evaluate``; coverage of a
user's sign-in paths is ``semantics.coverage``.  Nothing here restates policy semantics or
check metadata (those live in ``mfaguard.policy.semantics`` and ``mfaguard.catalogue``).

How a link (membership, attachment, inline policy) is resolved to the user, group or
policy it names, in this order:

1. a concrete name equal to a configured user's / group's ``name`` (plans render names;
   this is what makes ``count``/``for_each`` instances precise);
2. graph edges labelled with the attribute (HCL) and not ``[cross-variable]``;
3. a reference string in the value (``aws_iam_policy.x.arn``, ``data.aws_iam_policy_document.x.json``,
   ``${aws_iam_user.u.name}``), looked up in the same module;
4. plans only: ``references_`` edges, filtered by the target's resource type.

Policy documents are never taken from Checkov's rendered ``json`` of an
``aws_iam_policy_document`` (its converter keeps only the last of two ``condition`` blocks
with the same test and variable): they are rebuilt from the raw statement blocks by
``mfaguard.policy.documents``.

Per-finding messages: Checkov does not carry a graph check's details into its records, so
each verdict's message is kept in ``DETAILS`` and exposed by ``details_for(record)``;
``mfaguard scan`` copies them into ``record.details`` (SARIF attachments, CLI "Details").
"""
from __future__ import annotations

import functools
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from mfaguard import catalogue
from mfaguard.policy import semantics

log = logging.getLogger(__name__)

PASSED, FAILED, UNKNOWN = "PASSED", "FAILED", "UNKNOWN"

USER = "aws_iam_user"
GROUP = "aws_iam_group"
POLICY = "aws_iam_policy"
DOC = "data.aws_iam_policy_document"
LOGIN_PROFILE = "aws_iam_user_login_profile"
ACCESS_KEY = "aws_iam_access_key"
USER_POLICY = "aws_iam_user_policy"
GROUP_POLICY = "aws_iam_group_policy"
USER_ATTACH = "aws_iam_user_policy_attachment"
GROUP_ATTACH = "aws_iam_group_policy_attachment"
POLICY_ATTACH = "aws_iam_policy_attachment"
USER_GROUPS = "aws_iam_user_group_membership"
GROUP_MEMBERS = "aws_iam_group_membership"
EXTERNAL_POLICY = "data.aws_iam_policy"

IAM_TYPES = frozenset({USER, GROUP, POLICY, DOC, LOGIN_PROFILE, ACCESS_KEY, USER_POLICY, GROUP_POLICY,
                       USER_ATTACH, GROUP_ATTACH, POLICY_ATTACH, USER_GROUPS, GROUP_MEMBERS, EXTERNAL_POLICY})
DOCUMENT_TYPES = (POLICY, GROUP_POLICY, USER_POLICY, DOC)

_THIEF = {frozenset({semantics.CONSOLE}): "a stolen password", frozenset({semantics.ACCESS_KEYS}): "a stolen access key"}

_REF_RE = re.compile(
    r"((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?"
)
_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::([^:]*):policy/(?:.*/)?([^/]+)$")


# --------------------------------------------------------------------------- graph access
def _graph_vertices(graph: Any) -> list[tuple[int, dict]]:
    """(index, attributes) for rustworkx.PyDiGraph and networkx.DiGraph alike."""
    if hasattr(graph, "node_indices"):  # rustworkx: payload is (index, attrs)
        out = []
        for i in graph.node_indices():
            payload = graph[i]
            out.append((i, payload[1] if isinstance(payload, tuple) else payload))
        return out
    return [(i, data if "block_type_" in data else data.get("attr", data)) for i, data in graph.nodes(data=True)]


def _graph_edges(graph: Any) -> list[tuple[int, int, str]]:
    if hasattr(graph, "weighted_edge_list"):
        return [(s, t, (d or {}).get("label", "") if isinstance(d, dict) else str(d))
                for s, t, d in graph.weighted_edge_list()]
    return [(s, t, (d or {}).get("label", "")) for s, t, d in graph.edges(data=True)]


# --------------------------------------------------------------------------- model
@dataclass(eq=False)
class Node:
    idx: int
    attrs: dict
    type: str  # resource_type, data sources prefixed "data."
    address: str  # Terraform address as Checkov knows it (module prefix included)
    local: str  # block name inside its module, e.g. aws_iam_user.jess
    module: str  # "module.x." prefix or ""
    out: dict = field(default_factory=dict)  # edge label -> [Node]

    @property
    def display(self) -> str:
        if not self.type.startswith("data.") or ".data." in f".{self.address}":
            return self.address
        return f"{self.module}data.{self.local}"

    def entity(self) -> dict:
        """What Checkov needs to make a record of this vertex (it deep-copies it per record):
        its own bookkeeping keys, not the flattened attribute copies."""
        slim = self.__dict__.get("_entity")
        if slim is None:
            slim = {k: v for k, v in self.attrs.items() if k.endswith("_") or k in _ENTITY_KEYS}
            self.__dict__["_entity"] = slim
        return slim

    @property
    def name(self) -> str | None:
        value = self.attrs.get("name")
        return value if isinstance(value, str) and value else None

    def value(self, key: str) -> Any:
        return self.attrs.get(key)

    def raw_config(self) -> dict:
        config = self.attrs.get("config_") or {}
        for part in _definition_path(config):
            config = config.get(part, {}) if isinstance(config, dict) else {}
        return config if isinstance(config, dict) else {}


def _definition_path(config: dict) -> list[str]:
    path = []
    while isinstance(config, dict) and len(config) == 1 and len(path) < 2:
        key = next(iter(config))
        path.append(key)
        config = config[key]
    return path


@dataclass
class PolicyRef:
    """One policy that reaches a user or group, and how."""

    how: str  # e.g. "aws_iam_group_policy_attachment.mfa -> aws_iam_policy.mfa"
    verdict: semantics.Verdict
    group: Node | None = None  # set when it reaches the user through this group


@dataclass
class Subject:
    node: Node
    policies: list[PolicyRef] = field(default_factory=list)
    # users: group nodes / groups: member user nodes
    links: list[Node] = field(default_factory=list)
    console: list[Node] = field(default_factory=list)
    keys: list[Node] = field(default_factory=list)


@dataclass
class Dangling:
    """A link whose user or group side cannot be resolved (it may reach any user)."""

    what: str
    # True for a group policy / attachment whose group cannot be resolved
    group_policy: bool = False
    # the verdicts it would bring: a list of Verdicts, a list of group Subjects (their
    # policies), or None (unknown: anything)
    potential: Any = None


@dataclass
class Result:
    verdict: str
    message: str


# --------------------------------------------------------------------------- documents
def _documents_module():  # imported lazily: the semantics team owns the converters
    from mfaguard.policy import documents

    return documents


def _flat(value: Any) -> Any:
    """Unwrap Checkov's single-element list wrapping of HCL values."""
    while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    return value


def _strings(value: Any) -> list[str]:
    value = _flat(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(_strings(v))
        return out
    return []


class IamIndex:
    """Everything the IAM checks need from one graph, computed once."""

    def __init__(self, graph: Any) -> None:
        self.nodes: list[Node] = []
        by_idx: dict[int, Node] = {}
        # variable / output / module / locals vertices: followed when a link reaches a user or
        # group through a module input or output (module.x.name -> output -> aws_iam_user)
        self._glue: dict[int, dict] = {}
        self._glue_out: dict[int, list[tuple[str, int]]] = {}
        for idx, attrs in _graph_vertices(graph):
            rtype = attrs.get("resource_type")
            if attrs.get("block_type_") in _GLUE_TYPES:
                self._glue[idx] = attrs
                continue
            if attrs.get("block_type_") not in ("resource", "data") or rtype not in IAM_TYPES:
                continue
            if _counted_out(attrs):
                continue
            local = attrs.get("block_name_") or ""
            address = attrs.get("__address__") or local
            node = Node(idx, attrs, rtype, address, local, _module_prefix(address, rtype))
            self.nodes.append(node)
            by_idx[idx] = node
        self.plan = any("__change_actions__" in n.raw_config() for n in self.nodes)
        self._by_idx = by_idx
        for src, dst, label in _graph_edges(graph):
            if label.startswith("[cross-variable]"):
                continue
            a, b = by_idx.get(src), by_idx.get(dst)
            if a is not None and b is not None:
                a.out.setdefault(label, []).append(b)
            elif a is not None and dst in self._glue:
                a.out.setdefault(label, []).append(dst)  # type: ignore[arg-type]  # glue index
            elif src in self._glue and (b is not None or dst in self._glue):
                self._glue_out.setdefault(src, []).append((label, dst))
        self.by_type: dict[str, list[Node]] = {}
        self.by_key: dict[tuple[str, str, str], list[Node]] = {}  # (module, type, name without index)
        self.by_name: dict[tuple[str, str], list[Node]] = {}
        for node in self.nodes:
            self.by_type.setdefault(node.type, []).append(node)
            base = node.local.split(".", 2)[-1] if node.local.startswith("data.") else node.local.split(".", 1)[-1]
            bare = base.split("[", 1)[0]
            self.by_key.setdefault((node.module, node.type, base), []).append(node)
            if bare != base:
                self.by_key.setdefault((node.module, node.type, bare), []).append(node)
            if node.name and node.type in (USER, GROUP, POLICY):
                self.by_name.setdefault((node.type, node.name), []).append(node)
        self._verdicts: dict[str, semantics.Verdict] = {}
        self._doc_cache: dict[int, tuple[Any, str | None]] = {}
        self.users: dict[int, Subject] = {n.idx: Subject(n) for n in self.by_type.get(USER, [])}
        self.groups: dict[int, Subject] = {n.idx: Subject(n) for n in self.by_type.get(GROUP, [])}
        self._link()

    # ---------------------------------------------------------------- resolution
    def _lookup_refs(self, node: Node, text: str, types: Iterable[str]) -> list[Node]:
        types = set(types)
        found: list[Node] = []
        for m in _REF_RE.finditer(text):
            mod, data, rtype, name, index = m.groups()
            rtype = f"data.{rtype}" if data else rtype
            if rtype not in types:
                continue
            module = node.module + (mod or "")
            hits = self.by_key.get((module, rtype, name + (index or "")))
            if not hits:
                hits = self.by_key.get((module, rtype, name)) or []
                if index and not _LITERAL_INDEX.match(index) and len(hits) > 1:
                    hits = []  # aws_iam_user.u[each.key] of an unexpanded block: which instance is unknown
            found.extend(hits)
        return found

    def _edge_targets(self, node: Node, attr: str, types: Iterable[str]) -> list[Node]:
        types = set(types)
        out: list[Node] = []
        for label, targets in node.out.items():
            if label == attr or label.startswith(attr + "."):
                for t in targets:
                    if isinstance(t, Node):
                        if t.type in types:
                            out.append(t)
                    else:
                        out.extend(self._through_glue(t, types))
        return _unique(out)

    def _through_glue(self, start: int, types: set, depth: int = 0) -> list[Node]:
        """Follow module inputs (variable -> module call attribute), outputs (value) and locals."""
        if depth > 6:
            return []
        attrs = self._glue.get(start, {})
        kind, name = attrs.get("block_type_"), str(attrs.get("block_name_") or "")
        wanted = {"variable": ("default",), "output": ("value",), "locals": (name,), "module": ()}.get(kind, ())
        out: list[Node] = []
        for label, dst in self._glue_out.get(start, []):
            if kind == "module":
                continue
            if label not in wanted and not any(label.startswith(w + ".") for w in wanted):
                continue
            node = self._by_idx.get(dst)
            if node is not None:
                if node.type in types:
                    out.append(node)
            elif self._glue.get(dst, {}).get("block_type_") == "module" and kind == "variable":
                for label2, dst2 in self._glue_out.get(dst, []):
                    if label2 == name or label2.startswith(name + "."):
                        n2 = self._by_idx.get(dst2)
                        if n2 is not None:
                            if n2.type in types:
                                out.append(n2)
                        else:
                            out.extend(self._through_glue(dst2, types, depth + 1))
            else:
                out.extend(self._through_glue(dst, types, depth + 1))
        return out

    def _each_of_users(self, node: Node, attr: str) -> list[Node]:
        """`for_each = aws_iam_user.u` + `user = each.value.name` / `each.key` (Checkov leaves the
        block unexpanded): every instance of aws_iam_user.u."""
        value = str(_flat(node.value(attr)) or "")
        m = _EACH_OF_USERS.match(str(_flat(node.value("for_each")) or ""))
        if not m or value.strip("${} ") not in ("each.value.name", "each.value.id", "each.key", "each.value.user"):
            return []
        return self._lookup_refs(node, m.group(1) + "[*]", (USER,))

    def _plan_ref_targets(self, node: Node, types: Iterable[str]) -> list[Node]:
        types = set(types)
        return [t for t in node.out.get("references_", []) if t.type in types]

    def resolve(self, node: Node, attr: str, rtype: str) -> tuple[list[Node], list[str]]:
        """Targets of `attr` of type `rtype`, and the values that could not be resolved."""
        found: list[Node] = []
        unresolved: list[str] = []
        values = _strings(node.value(attr))
        for value in values:
            by_name = self.by_name.get((rtype, value)) if rtype in (USER, GROUP) else None
            if by_name:
                found.extend(by_name)
                continue
            refs = self._lookup_refs(node, value, (rtype,))
            if refs:
                found.extend(refs)
            else:
                unresolved.append(value)
        templated = any(_TEMPLATED.search(v) for v in unresolved)
        if (unresolved or not values) and not templated:
            # (Checkov links a templated reference to the first instance only: not used)
            edges = self._edge_targets(node, attr, (rtype,)) or (
                self._plan_ref_targets(node, (rtype,)) if not found else []
            )
            if edges:
                found.extend(edges)
                # edges cannot say which value they came from: values beyond their number
                # stay unresolved (they may name a user/group this graph cannot reach)
                unresolved = unresolved[len(edges):]
        return _unique(found), unresolved

    # ---------------------------------------------------------------- documents
    def document(self, node: Node, attr: str = "policy", _seen: frozenset = frozenset()) -> tuple[Any, str | None]:
        """(parsed document, None) or (None, reason) for a policy-bearing node."""
        if node.type == DOC:
            return self._data_document(node, _seen)
        key = node.idx if attr == "policy" else -node.idx - 1
        if key in self._doc_cache:
            return self._doc_cache[key]
        documents = _documents_module()
        value = node.value(attr)
        targets: list[Node] = []
        if isinstance(value, str) and documents.is_reference(value) and not value.lstrip().startswith("{"):
            targets = self._lookup_refs(node, value, (DOC, POLICY, GROUP_POLICY, USER_POLICY))
            if not targets:
                targets = self._edge_targets(node, attr, (DOC, POLICY, GROUP_POLICY, USER_POLICY))
            if not targets and self.plan:
                targets = self._plan_ref_targets(node, (DOC,))
            targets = [t for t in _unique(targets) if t is not node and t.idx not in _seen]
        if len(targets) == 1:
            result = self.document(targets[0], "policy", _seen | {node.idx})
        else:
            doc = documents.from_policy_attribute(value)
            if isinstance(doc, semantics.Unresolved):
                shown = "unknown until apply" if value is None else str(value)[:160]
                result = (None, f"the {attr} of {node.display} ({shown}) cannot be resolved from the configuration")
            else:
                result = (doc, None)
        self._doc_cache[key] = result
        return result

    def _data_document(self, node: Node, seen: frozenset) -> tuple[Any, str | None]:
        if node.idx in self._doc_cache:
            return self._doc_cache[node.idx]
        if node.idx in seen:
            return None, f"{node.display} refers to itself"
        seen = seen | {node.idx}

        def resolve(reference: str) -> Any:
            targets = [t for t in self._lookup_refs(node, reference, (DOC, POLICY)) if t.idx not in seen]
            if len(targets) != 1:
                return None
            doc, _reason = self.document(targets[0], "policy", seen)
            return doc

        doc = _documents_module().from_policy_document_config(node.raw_config(), resolve=resolve)
        if isinstance(doc, semantics.Unresolved):
            result: tuple[Any, str | None] = (None, f"{node.display}: {doc.reason}")
        else:
            result = (doc, None)
        self._doc_cache[node.idx] = result
        return result

    def verdict(self, node: Node) -> semantics.Verdict:
        doc, reason = self.document(node)
        if doc is None:
            return semantics.Verdict(unknown=reason)
        key = json.dumps(doc, sort_keys=True, default=str)
        cached = self._verdicts.get(key)
        if cached is None:
            cached = semantics.evaluate(doc)
            self._verdicts[key] = cached
        return cached

    def managed_policy(self, node: Node) -> tuple[semantics.Verdict, str]:
        """Verdict and description of the policy an attachment's policy_arn names."""
        targets, unresolved = self.resolve(node, "policy_arn", POLICY)
        if len(targets) == 1:
            return self.verdict(targets[0]), targets[0].display
        if len(targets) > 1:
            return semantics.Verdict(unknown=f"policy_arn of {node.display} matches several policies"), node.display
        external = self._lookup_refs(node, str(node.value("policy_arn") or ""), (EXTERNAL_POLICY,))
        value = str(_flat(node.value("policy_arn")))
        if external:
            return semantics.Verdict(unknown=f"{external[0].display} reads a policy that is not in the configuration "
                                             f"and cannot be judged"), external[0].display
        m = _ARN_RE.match(value)
        if m:
            account, name = m.groups()
            if account != "aws":
                hits = self.by_name.get((POLICY, name))
                if hits and len(hits) == 1:
                    return self.verdict(hits[0]), hits[0].display
                return semantics.Verdict(unknown=f"policy {value} is not in the configuration and cannot be judged"), value
            return semantics.Verdict(unknown=f"AWS-managed policy {value} cannot be judged from the configuration"), value
        return semantics.Verdict(unknown=f"policy_arn of {node.display} ({value}) cannot be resolved from the "
                                         f"configuration"), value

    # ---------------------------------------------------------------- linking
    def _link(self) -> None:
        users, groups = self.users, self.groups

        def user_targets(node: Node, attr: str, potential: Any = None, grants: bool = True) -> list[Subject]:
            targets, unresolved = self.resolve(node, attr, USER)
            if not targets and not grants:
                targets = self._each_of_users(node, attr)
            if unresolved and grants:  # a credential whose user is unknown grants no policy
                self.dangling.append(Dangling(f"{attr} of {node.display} ({', '.join(unresolved)})", False, potential))
            return [users[t.idx] for t in targets if t.idx in users]

        def group_targets(node: Node, attr: str, potential: Any = None) -> list[Subject]:
            targets, unresolved = self.resolve(node, attr, GROUP)
            if unresolved:
                self.dangling.append(Dangling(f"{attr} of {node.display} ({', '.join(unresolved)})",
                                              potential is not None, potential))
            return [groups[t.idx] for t in targets if t.idx in groups]

        self.dangling: list[Dangling] = []
        t = self.by_type
        for node in t.get(LOGIN_PROFILE, []):
            for u in user_targets(node, "user", grants=False):
                u.console.append(node)
        for node in t.get(ACCESS_KEY, []):
            for u in user_targets(node, "user", grants=False):
                u.keys.append(node)
        for node in t.get(USER_GROUPS, []):
            gs = group_targets(node, "groups")
            for u in user_targets(node, "user", gs):
                for g in gs:
                    _connect(u, g)
        for node in t.get(GROUP_MEMBERS, []):
            gs = group_targets(node, "group")
            for u in user_targets(node, "users", gs):
                for g in gs:
                    _connect(u, g)
        for node in t.get(USER_POLICY, []):
            verdict = self.verdict(node)
            for u in user_targets(node, "user", [verdict]):
                u.policies.append(PolicyRef(node.display, verdict))
        for node in t.get(GROUP_POLICY, []):
            verdict = self.verdict(node)
            for g in group_targets(node, "group", [verdict]):
                g.policies.append(PolicyRef(node.display, verdict))
        for node in t.get(USER_ATTACH, []):
            verdict, what = self.managed_policy(node)
            for u in user_targets(node, "user", [verdict]):
                u.policies.append(PolicyRef(f"{node.display} -> {what}", verdict))
        for node in t.get(GROUP_ATTACH, []):
            verdict, what = self.managed_policy(node)
            for g in group_targets(node, "group", [verdict]):
                g.policies.append(PolicyRef(f"{node.display} -> {what}", verdict))
        for node in t.get(POLICY_ATTACH, []):
            verdict, what = self.managed_policy(node)
            if _strings(node.value("users")):
                for u in user_targets(node, "users", [verdict]):
                    u.policies.append(PolicyRef(f"{node.display} -> {what}", verdict))
            if _strings(node.value("groups")):
                for g in group_targets(node, "groups", [verdict]):
                    g.policies.append(PolicyRef(f"{node.display} -> {what}", verdict))

    # ---------------------------------------------------------------- judgements
    def user_policies(self, user: Subject) -> list[PolicyRef]:
        refs = list(user.policies)
        for g in user.links:
            for ref in self.groups[g.idx].policies:
                refs.append(PolicyRef(ref.how, ref.verdict, group=g))
        return refs

    def potential_verdicts(self, dangling: Dangling) -> list[semantics.Verdict]:
        if dangling.potential is None:
            return [semantics.Verdict(unknown=f"{dangling.what} cannot be resolved")]
        out = []
        for item in dangling.potential:
            if isinstance(item, Subject):
                out.extend(r.verdict for r in item.policies)
            else:
                out.append(item)
        return out

    def enforcing_policies(self, paths: frozenset) -> list[Node]:
        """Managed policies (aws_iam_policy) of the configuration that enforce MFA on `paths`
        without a lock-out: attaching one adds no other permission."""
        cache = self.__dict__.setdefault("_enforcing_policies", {})
        if paths not in cache:
            out = []
            for node in self.by_type.get(POLICY, []):
                verdict = self.verdict(node)
                if not verdict.lockout and semantics.coverage(paths, [verdict]).covered:
                    out.append(node)
            cache[paths] = sorted(out, key=lambda n: n.address)
        return cache[paths]

    def enforcing_groups(self, paths: frozenset) -> list[Node]:
        cache = self.__dict__.setdefault("_enforcing", {})
        if paths in cache:
            return cache[paths]
        out = []
        for g in self.groups.values():
            cov = semantics.coverage(paths, [r.verdict for r in g.policies])
            if cov.covered:
                out.append(g.node)
        cache[paths] = sorted(out, key=lambda n: n.address)
        return cache[paths]


def _module_prefix(address: str, rtype: str) -> str:
    """`module.a.module.b.` of `module.a.module.b.aws_iam_user.x[0]` ("" at the root)."""
    bare = rtype[5:] if rtype.startswith("data.") else rtype
    for marker in (f"data.{bare}.", f"{bare}."):
        pos = address.rfind(marker)
        if pos == 0 or (pos > 0 and address[pos - 1] == "."):
            return address[:pos]
    return ""


def _connect(user: Subject, group: Subject) -> None:
    if group.node not in user.links:
        user.links.append(group.node)
    if user.node not in group.links:
        group.links.append(user.node)


def _unique(nodes: Iterable[Node]) -> list[Node]:
    seen, out = set(), []
    for n in nodes:
        if n.idx not in seen:
            seen.add(n.idx)
            out.append(n)
    return out


_EMPTY_FOR_EACH = re.compile(r"^\{?\[?\s*for\s+\w+\s*(?:,\s*\w+)?\s+in\s+(?:\{\s*\}|\[\s*\])\s*:")
_LITERAL_INDEX = re.compile(r'^\[(?:\d+|"[^"]*"|\*)\]$')
_TEMPLATED = re.compile(r"\beach\.|\bcount\.index\b")
_EACH_OF_USERS = re.compile(r"^\$?\{?\s*(aws_iam_user\.[A-Za-z0-9_-]+)\s*\}?$")
_ENTITY_KEYS = frozenset({"__address__", "resource_type", "__start_line__", "__end_line__", "hash"})
_GLUE_TYPES = frozenset({"variable", "output", "module", "locals"})


def _counted_out(attrs: dict) -> bool:
    """Blocks whose count is 0 or whose for_each is empty have no instances."""
    count = attrs.get("count")
    if count in (0, False, "0", "false") or count == [0]:
        return True
    for_each = attrs.get("for_each")
    if for_each in ({}, [], "{}", "[]"):
        return True
    return isinstance(for_each, str) and bool(_EMPTY_FOR_EACH.match(for_each.strip()))


# --------------------------------------------------------------------------- cache
_lock = threading.Lock()
_cache: tuple[Any, IamIndex] | None = None


def index_for(graph: Any) -> IamIndex:
    """The IamIndex of `graph`, built once per graph and shared by the four checks."""
    global _cache
    with _lock:
        if _cache is not None and _cache[0] is graph:
            return _cache[1]
        index = IamIndex(graph)
        _cache = (graph, index)
        return index


# --------------------------------------------------------------------------- messages
DETAILS: dict[tuple[str, str, str], list[str]] = {}


def _aliases(node: Node) -> set[str]:
    names = {node.address, node.local, node.display}
    if node.type.startswith("data."):
        names.add(f"data.{node.local}")
    return names


def _remember(check_id: str, node: Node, message: str) -> None:
    import os

    path = os.path.abspath(node.attrs.get("file_path_") or "")
    for alias in _aliases(node):
        DETAILS[(check_id, path, alias)] = [message]


def details_for(record: Any) -> list[str]:
    """The case-specific message for a Checkov record of one of the IAM checks ([] if none)."""
    import os

    path = os.path.abspath(getattr(record, "file_abs_path", "") or "")
    for alias in (getattr(record, "resource", None), getattr(record, "resource_address", None)):
        if alias and (record.check_id, path, alias) in DETAILS:
            return list(DETAILS[(record.check_id, path, alias)])
    return []


def _paths_text(paths: Iterable[str]) -> str:
    return semantics.describe_paths(paths)


def _short(node: Node) -> str:
    return node.name or node.local.split(".", 1)[-1]


def _fix_for_user(index: IamIndex, user: Subject, check_id: str, open_paths: frozenset) -> str:
    """The shortest safe fix. Attaching a managed policy the configuration already has, which
    enforces MFA on the open paths, grants nothing else; joining an enforcing group also grants
    the group's other permissions, so it is offered only when no such policy exists, and says so."""
    label = lambda other: re.sub(r"[^A-Za-z0-9_]", "_", f"{_short(user.node)}_{_short(other)}")  # noqa: E731
    here = _module_prefix(user.node.address, USER)  # a reference must stay inside the user's module
    policies = [p for p in index.enforcing_policies(open_paths) if _module_prefix(p.address, POLICY) == here]
    if policies:
        p = policies[0]
        return (f"Fix: attach {p.display}, which already enforces MFA on {_paths_text(open_paths)}, "
                f"to {_short(user.node)}:\n"
                f'resource "aws_iam_user_policy_attachment" "{label(p)}" {{\n'
                f"  user       = {user.node.local}.name\n"
                f"  policy_arn = {p.local}.arn\n"
                f"}}")
    groups = [g for g in index.enforcing_groups(open_paths) if g not in user.links]
    if groups:
        g = groups[0]
        return (f"Fix: add {_short(user.node)} to group {_short(g)} ({g.display}), which already enforces MFA on "
                f"{_paths_text(open_paths)} (membership also grants the group's other permissions; if that is "
                f"too much, attach the MFA enforcement policy to the user instead):\n"
                f'resource "aws_iam_user_group_membership" "{label(g)}" {{\n'
                f"  user   = {user.node.local}.name\n"
                f"  groups = [{g.local}.name]\n"
                f"}}")
    block = user.node.local.split(".", 1)[-1]
    return "Fix: attach the MFA enforcement policy:\n" + catalogue.check(check_id).fix_hcl.replace("USER", block)


def judge_user(index: IamIndex, user: Subject, paths: frozenset, check_id: str) -> Result:
    refs = index.user_policies(user)
    cov = semantics.coverage(paths, [r.verdict for r in refs])
    name = _short(user.node)
    creds = []
    if user.console:
        creds.append(f"a console password ({', '.join(n.display for n in user.console)})")
    if user.keys:
        creds.append(f"access keys ({', '.join(n.display for n in user.keys)})")
    has = " and ".join(creds) if creds else "no credentials declared here (console password and access keys can be added by hand)"
    reached = [r for r in refs if r.verdict.enforced]
    if cov.covered:
        via = "; ".join(f"{r.how}" + (f" via group {_short(r.group)}" if r.group else "") for r in reached)
        return Result(PASSED, f"IAM user {name} has {has}; MFA is enforced by {via}.")
    open_text = _paths_text(cov.open_paths)
    unknown_reason = cov.unknown
    if not unknown_reason:
        relevant = []
        for d in index.dangling:
            maybe = semantics.coverage(cov.open_paths, [r.verdict for r in refs] + index.potential_verdicts(d))
            if maybe.covered or maybe.unknown:
                relevant.append(d.what)
        if relevant:
            unknown_reason = ("a link that may reach this user cannot be resolved from the configuration: "
                              + "; ".join(relevant))
    if unknown_reason:
        return Result(UNKNOWN, f"IAM user {name} has {has}; whether MFA is enforced on {open_text} cannot be "
                               f"decided: {unknown_reason}.")
    partial = ""
    if reached:
        partial = " Policies that reach the user enforce only " + "; ".join(
            f"{_paths_text(r.verdict.enforced)} ({r.how})" for r in reached) + "."
    thief = _THIEF.get(frozenset(cov.open_paths), "a stolen password or access key")
    return Result(FAILED, f"IAM user {name} has {has} and no MFA-enforcing Deny reaches them on {open_text}: "
                          f"{thief} is enough to get in.{partial} " + _fix_for_user(index, user, check_id, cov.open_paths))


def user_paths(user: Subject) -> frozenset:
    paths = set()
    if user.console:
        paths.add(semantics.CONSOLE)
    if user.keys:
        paths.add(semantics.ACCESS_KEYS)
    return frozenset(paths) or semantics.ALL_PATHS


def run_check(check_id: str, graph: Any) -> tuple[list[dict], list[dict], list[dict]]:
    """(passed, failed, unknown) vertex attribute dicts for one IAM check on one graph."""
    passed: list[dict] = []
    failed: list[dict] = []
    unknown: list[dict] = []
    buckets = {PASSED: passed, FAILED: failed, UNKNOWN: unknown}
    try:
        index = index_for(graph)
        judged = judge(index, check_id)
    except Exception as exc:  # never a silent pass: Checkov's thread pool would drop the error
        log.exception("%s could not judge this configuration", check_id)
        judged = [(node, Result(UNKNOWN, f"{check_id} could not judge this resource (internal error: {exc!r})."))
                  for node in _fallback_nodes(graph, check_id)]
    for node, result in judged:
        buckets[result.verdict].append(node.entity())
        _remember(check_id, node, result.message)
    return passed, failed, unknown


def _fallback_nodes(graph: Any, check_id: str) -> list[Node]:
    types = {"CKV_MFA_4": set(DOCUMENT_TYPES), "CKV2_MFA_3": {GROUP}}.get(check_id, {USER})
    out = []
    for idx, attrs in _graph_vertices(graph):
        rtype = attrs.get("resource_type")
        if attrs.get("block_type_") in ("resource", "data") and rtype in types:
            local = attrs.get("block_name_") or ""
            address = attrs.get("__address__") or local
            out.append(Node(idx, attrs, rtype, address, local, ""))
    return out


def judge(index: IamIndex, check_id: str) -> list[tuple[Node, Result]]:
    out: list[tuple[Node, Result]] = []
    if check_id == "CKV_MFA_4":
        for rtype in DOCUMENT_TYPES:
            for node in index.by_type.get(rtype, []):
                out.append((node, judge_document(index, node)))
    elif check_id == "CKV2_MFA_1":
        for user in index.users.values():
            if user.console:
                out.append((user.node, judge_user(index, user, frozenset({semantics.CONSOLE}), check_id)))
    elif check_id == "CKV2_MFA_2":
        for user in index.users.values():
            out.append((user.node, judge_user(index, user, user_paths(user), check_id)))
    elif check_id == "CKV2_MFA_3":
        for group in index.groups.values():
            members = [index.users[u.idx] for u in group.links if index.users[u.idx].console]
            if members:
                out.append((group.node, judge_group(index, group, members)))
    else:
        raise ValueError(f"not an IAM check: {check_id}")
    return out


def judge_document(index: IamIndex, node: Node) -> Result:
    verdict = index.verdict(node)
    where = node.display
    if verdict.unknown:
        return Result(UNKNOWN, f"{where}: the policy document cannot be judged: {verdict.unknown}.")
    if not verdict.attempts:
        return Result(PASSED, f"{where} does not condition a Deny on aws:MultiFactorAuthPresent (not an MFA "
                              f"enforcement policy).")
    if verdict.enforced == semantics.ALL_PATHS and not verdict.lockout and not verdict.problems:
        return Result(PASSED, f"{where} enforces MFA on console and access keys and leaves MFA enrolment open.")
    problems = " ".join(verdict.problems) or (
        f"It enforces MFA only on {_paths_text(verdict.enforced)}." if verdict.enforced else "It enforces nothing.")
    return Result(FAILED, f"{where} tries to enforce MFA but does not: {problems} Corrected statement:\n"
                          + catalogue.check("CKV_MFA_4").fix_hcl)


def judge_group(index: IamIndex, group: Subject, members: list[Subject]) -> Result:
    name = _short(group.node)
    cov = semantics.coverage(frozenset({semantics.CONSOLE}), [r.verdict for r in group.policies])
    who = ", ".join(_short(m.node) for m in members)
    if cov.covered:
        via = "; ".join(r.how for r in group.policies if semantics.CONSOLE in r.verdict.enforced)
        return Result(PASSED, f"IAM group {name} has console members ({who}) and enforces MFA ({via}).")
    unknown_reason = cov.unknown
    if not unknown_reason:
        relevant = []
        for d in index.dangling:
            if d.group_policy and (any(semantics.CONSOLE in v.enforced for v in d.potential)
                                   or any(v.unknown for v in d.potential)):
                relevant.append(d.what)
        if relevant:
            unknown_reason = ("a policy that may belong to this group is attached to a group that cannot be "
                              "resolved from the configuration: " + "; ".join(relevant))
    if unknown_reason:
        return Result(UNKNOWN, f"IAM group {name} has console members ({who}); whether its policies enforce MFA "
                               f"cannot be decided: {unknown_reason}.")
    block = group.node.local.split(".", 1)[-1]
    return Result(FAILED, f"IAM group {name} has console members ({who}) and none of its policies enforces MFA on "
                          f"console sign-in. Fix: attach the MFA enforcement policy:\n"
                          + catalogue.check("CKV2_MFA_3").fix_hcl.replace("GROUP", block))


# --------------------------------------------------------------------------- Checkov glue
@functools.lru_cache(maxsize=None)
def make_check_class():
    """The BaseGraphCheck subclass the files in checks/ derive from (imported lazily: Checkov is heavy)."""
    from checkov.common.bridgecrew.severities import Severities
    from checkov.common.graph.checks_infra.base_check import BaseGraphCheck

    class IamGraphCheck(BaseGraphCheck):
        check_id = ""

        def __init__(self) -> None:
            super().__init__()
            meta = catalogue.check(self.check_id)
            self.id = meta.id
            self.name = meta.name
            self.category = "IAM"
            self.resource_types = [r.replace("data.", "") for r in meta.resources]
            self.severity = Severities[meta.severity]
            self.guideline = meta.guideline
            self.check_path = __file__

        def run(self, graph_connector: Any) -> tuple[list[dict], list[dict], list[dict]]:
            return run_check(self.id, graph_connector)

    return IamGraphCheck


def register(check: Any) -> None:
    """Add `check` to Checkov's terraform graph registry (shared by the HCL and plan runners).

    Checkov may import a checks/ file several times in one process: the newest instance
    replaces an older one with the same id.
    """
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.runner_filter import RunnerFilter

    registry = get_graph_checks_registry("terraform")
    registry.checks[:] = [c for c in registry.checks if c.id != check.id]
    registry.checks.append(check)
    RunnerFilter.notify_external_check(check.id)
