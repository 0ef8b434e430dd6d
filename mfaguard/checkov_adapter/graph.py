"""Reading Checkov's graph: vertices and edges (rustworkx or networkx), and the IAM vertex type.

Nothing here knows what a verdict is: it turns the graph Checkov built (HCL runner or plan
runner) into ``Node`` objects with their attributes, Terraform address and module prefix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
USER_ATTACH_EXCLUSIVE = "aws_iam_user_policy_attachments_exclusive"
GROUP_ATTACH_EXCLUSIVE = "aws_iam_group_policy_attachments_exclusive"
USER_GROUPS = "aws_iam_user_group_membership"
GROUP_MEMBERS = "aws_iam_group_membership"
EXTERNAL_POLICY = "data.aws_iam_policy"
# An AWS Organizations policy: CKV_MFA_4 judges its `content` when it is a service control policy
# (the default `type`); SCPs reach principals only live, in member accounts (drift --org).
ORG_POLICY = "aws_organizations_policy"
SCP_TYPE = "SERVICE_CONTROL_POLICY"

IAM_TYPES = frozenset({USER, GROUP, POLICY, DOC, LOGIN_PROFILE, ACCESS_KEY, USER_POLICY, GROUP_POLICY,
                       USER_ATTACH, GROUP_ATTACH, POLICY_ATTACH, USER_ATTACH_EXCLUSIVE, GROUP_ATTACH_EXCLUSIVE,
                       USER_GROUPS, GROUP_MEMBERS, EXTERNAL_POLICY, ORG_POLICY})
DOCUMENT_TYPES = (POLICY, GROUP_POLICY, USER_POLICY, DOC, ORG_POLICY)
GLUE_TYPES = frozenset({"variable", "output", "module", "locals"})

_ENTITY_KEYS = frozenset({"__address__", "resource_type", "__start_line__", "__end_line__", "hash"})
_EMPTY_FOR_EACH = re.compile(r"^\{?\[?\s*for\s+\w+\s*(?:,\s*\w+)?\s+in\s+(?:\{\s*\}|\[\s*\])\s*:")


def graph_vertices(graph: Any) -> list[tuple[int, dict]]:
    """(index, attributes) for rustworkx.PyDiGraph and networkx.DiGraph alike."""
    if hasattr(graph, "node_indices"):  # rustworkx: payload is (index, attrs)
        out = []
        for i in graph.node_indices():
            payload = graph[i]
            out.append((i, payload[1] if isinstance(payload, tuple) else payload))
        return out
    return [(i, data if "block_type_" in data else data.get("attr", data)) for i, data in graph.nodes(data=True)]


def graph_edges(graph: Any) -> list[tuple[int, int, str]]:
    if hasattr(graph, "weighted_edge_list"):
        return [(s, t, (d or {}).get("label", "") if isinstance(d, dict) else str(d))
                for s, t, d in graph.weighted_edge_list()]
    return [(s, t, (d or {}).get("label", "")) for s, t, d in graph.edges(data=True)]


@dataclass(eq=False)
class Node:
    idx: int
    attrs: dict
    type: str  # resource_type, data sources prefixed "data."
    address: str  # Terraform address as Checkov knows it (module prefix included)
    local: str  # block name inside its module, e.g. aws_iam_user.jess
    module: str  # "module.x." prefix or ""
    out: dict = field(default_factory=dict)  # edge label -> [Node | glue vertex index]

    @property
    def key(self) -> str:
        """The node's key in the engine's model (vertex index: unique even when addresses repeat)."""
        return str(self.idx)

    @property
    def display(self) -> str:
        if not self.type.startswith("data.") or ".data." in f".{self.address}":
            return self.address
        return f"{self.module}data.{self.local}"

    @property
    def short(self) -> str:
        """The name for messages: the resource's `name`, else its block name."""
        return self.name or self.local.split(".", 1)[-1]

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


def module_prefix(address: str, rtype: str) -> str:
    """`module.a.module.b.` of `module.a.module.b.aws_iam_user.x[0]` ("" at the root)."""
    bare = rtype[5:] if rtype.startswith("data.") else rtype
    for marker in (f"data.{bare}.", f"{bare}."):
        pos = address.rfind(marker)
        if pos == 0 or (pos > 0 and address[pos - 1] == "."):
            return address[:pos]
    return ""


def counted_out(attrs: dict) -> bool:
    """Blocks whose count is 0 or whose for_each is empty have no instances."""
    count = attrs.get("count")
    if count in (0, False, "0", "false") or count == [0]:
        return True
    for_each = attrs.get("for_each")
    if for_each in ({}, [], "{}", "[]"):
        return True
    return isinstance(for_each, str) and bool(_EMPTY_FOR_EACH.match(for_each.strip()))


def iam_node(idx: int, attrs: dict) -> Node | None:
    """The Node of an IAM resource/data vertex that has instances, else None."""
    rtype = attrs.get("resource_type")
    if attrs.get("block_type_") not in ("resource", "data") or rtype not in IAM_TYPES or counted_out(attrs):
        return None
    local = attrs.get("block_name_") or ""
    address = attrs.get("__address__") or local
    return Node(idx, attrs, rtype, address, local, module_prefix(address, rtype))


def unique(nodes) -> list[Node]:
    seen, out = set(), []
    for n in nodes:
        if n.idx not in seen:
            seen.add(n.idx)
            out.append(n)
    return out
