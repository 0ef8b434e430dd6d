"""The IAM vertices of one Checkov graph, and how a link finds the resource it names.

How a link (membership, attachment, inline policy) is resolved to the user, group or policy it
names, in this order:

1. a concrete name equal to a configured user's / group's ``name`` (plans render names; this
   is what makes ``count``/``for_each`` instances precise);
2. graph edges labelled with the attribute (HCL) and not ``[cross-variable]`` (Checkov links
   same-named resources across modules with those), through module inputs/outputs (glue.py);
3. a reference string in the value (``aws_iam_policy.x.arn``, ``${aws_iam_user.u.name}``),
   looked up in the same module;
4. plans only: ``references_`` edges, filtered by the target's resource type.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from mfaguard.checkov_adapter.glue import ModuleGlue
from mfaguard.checkov_adapter.graph import (
    GROUP, POLICY, USER, Node, graph_edges, graph_vertices, iam_node, unique,
)
from mfaguard.policy.model import AFTER_APPLY_GROUP
from mfaguard.policy.values import strings, unwrap_lists

_REF_RE = re.compile(
    r"((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?"
)
_LITERAL_INDEX = re.compile(r'^\[(?:\d+|"[^"]*"|\*)\]$')
_TEMPLATED = re.compile(r"\beach\.|\bcount\.index\b")
_EACH_OF_USERS = re.compile(r"^\$?\{?\s*(aws_iam_user\.[A-Za-z0-9_-]+)\s*\}?$")


class GraphIndex:
    """Every IAM vertex of one graph, by type, by (module, type, block name) and by name."""

    def __init__(self, graph: Any) -> None:
        self.nodes: list[Node] = []
        self.by_idx: dict[int, Node] = {}
        self.glue = ModuleGlue(self.by_idx)
        for idx, attrs in graph_vertices(graph):
            if self.glue.add_vertex(idx, attrs):
                continue
            node = iam_node(idx, attrs)
            if node is not None:
                self.nodes.append(node)
                self.by_idx[idx] = node
        self.plan = any("__change_actions__" in n.raw_config() for n in self.nodes)
        for src, dst, label in graph_edges(graph):
            if label.startswith("[cross-variable]"):
                continue
            a, b = self.by_idx.get(src), self.by_idx.get(dst)
            if a is not None and b is not None:
                a.out.setdefault(label, []).append(b)
            elif a is not None and self.glue.has(dst):
                a.out.setdefault(label, []).append(dst)  # a glue vertex index
            else:
                self.glue.add_edge(src, dst, label, b is not None)
        self.by_type: dict[str, list[Node]] = {}
        self.by_key: dict[tuple[str, str, str], list[Node]] = {}  # (module, type, name without index)
        self.by_name: dict[tuple[str, str], list[Node]] = {}
        for node in self.nodes:
            self._add_keys(node)

    def _add_keys(self, node: Node) -> None:
        self.by_type.setdefault(node.type, []).append(node)
        base = node.local.split(".", 2)[-1] if node.local.startswith("data.") else node.local.split(".", 1)[-1]
        bare = base.split("[", 1)[0]
        self.by_key.setdefault((node.module, node.type, base), []).append(node)
        if bare != base:
            self.by_key.setdefault((node.module, node.type, bare), []).append(node)
        if node.name and node.type in (USER, GROUP, POLICY):
            self.by_name.setdefault((node.type, node.name), []).append(node)

    # ---------------------------------------------------------------- lookups
    def lookup_refs(self, node: Node, text: str, types: Iterable[str]) -> list[Node]:
        """The nodes that reference text (``aws_iam_user.u.name``) names, in `node`'s module."""
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

    def edge_targets(self, node: Node, attr: str, types: Iterable[str]) -> list[Node]:
        types = set(types)
        out: list[Node] = []
        for label, targets in node.out.items():
            if label == attr or label.startswith(attr + "."):
                for t in targets:
                    if isinstance(t, Node):
                        if t.type in types:
                            out.append(t)
                    else:
                        out.extend(self.glue.through(t, types))
        return unique(out)

    def plan_ref_targets(self, node: Node, types: Iterable[str]) -> list[Node]:
        types = set(types)
        return [t for t in node.out.get("references_", []) if t.type in types]

    def each_of_users(self, node: Node, attr: str) -> list[Node]:
        """`for_each = aws_iam_user.u` + `user = each.value.name` / `each.key` (Checkov leaves the
        block unexpanded): every instance of aws_iam_user.u."""
        value = str(unwrap_lists(node.value(attr)) or "")
        m = _EACH_OF_USERS.match(str(unwrap_lists(node.value("for_each")) or ""))
        if not m or value.strip("${} ") not in ("each.value.name", "each.value.id", "each.key", "each.value.user"):
            return []
        return self.lookup_refs(node, m.group(1) + "[*]", (USER,))

    def resolve(self, node: Node, attr: str, rtype: str) -> tuple[list[Node], list[str]]:
        """Targets of `attr` of type `rtype`, and the values that could not be resolved."""
        found: list[Node] = []
        unresolved: list[str] = []
        values = strings(node.value(attr))
        for value in values:
            by_name = self.by_name.get((rtype, value)) if rtype in (USER, GROUP) else None
            if by_name:
                found.extend(by_name)
                continue
            refs = self.lookup_refs(node, value, (rtype,))
            if refs:
                found.extend(refs)
            else:
                unresolved.append(value)
        templated = any(_TEMPLATED.search(v) for v in unresolved)
        if (unresolved or not values) and not templated:
            # (Checkov links a templated reference to the first instance only: not used)
            edges = self.edge_targets(node, attr, (rtype,)) or (
                self.plan_ref_targets(node, (rtype,)) if not found else []
            )
            if edges:
                found.extend(edges)
                # edges cannot say which value they came from: values beyond their number
                # stay unresolved (they may name a user/group this graph cannot reach)
                unresolved = unresolved[len(edges):]
        if self.plan and not values and not found and rtype in (USER, GROUP):
            # every user/group argument of a link is required: absent from a plan's values, it is
            # known only after apply (`group = local.x` holding a group's id: the plan's
            # configuration names only the local). Which principal it names is not known: never
            # "no principal" (that turned a member of an enforcing group into a FAIL)
            unresolved = [f"{AFTER_APPLY_GROUP}{node.display}.{attr}"]
        return unique(found), unresolved
