"""The Checkov side of the IAM checks: it builds the engine's model from Checkov's graph, and asks.

    graph.py            Checkov's vertices and edges -> Node (types, addresses, module prefixes)
    glue.py             module variables / outputs / locals between IAM vertices
    index.py            the IAM vertices of one graph, and how a link finds what it names
    graph_documents.py  the policy document of a vertex (raw statement blocks, references)
    builder.py          -> mfaguard.policy.model.Principals (users, groups, policies, links)
    model.py            IamModel: index + Principals + Engine, built once per graph
    messages.py         messages and fix HCL over the engine's PrincipalCoverage
    check.py            IamGraphCheck (the BaseGraphCheck the files in checks/ subclass), register
    details.py          per-finding messages for Checkov records (``details_for``)

Nothing here decides a verdict: mfaguard.policy (the engine) does, for the scan as for drift.
Importing this package does not import Checkov (check.py does).
"""
from mfaguard.checkov_adapter.graph import IAM_TYPES  # noqa: F401

__all__ = ["IAM_TYPES"]
