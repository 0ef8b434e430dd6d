"""How one planned resource refers to another: the `configuration` references of a plan.

A link whose value is unknown until apply (``policy_arn = aws_iam_policy.x.arn`` of a policy
created in the same run, ``user = aws_iam_user.u.name``) is resolved through the expressions'
``references`` in the plan's ``configuration``, within the same module instance.  The reader
(desired.py) mixes this in; desired_iam.py asks it for names, documents and policy references.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterable

from mfaguard.policy.semantics import Unresolved

if TYPE_CHECKING:  # pragma: no cover
    from mfaguard.drift.desired import _Instance


class ReferenceResolver:
    config: dict[str, dict[str, Any]]  # config address -> configuration resource
    instances: list["_Instance"]

    def _references(self, inst: "_Instance", attr: str) -> list[str]:
        cfg = self.config.get(inst.config_address) or {}
        expr = (cfg.get("expressions") or {}).get(attr)
        if isinstance(expr, dict):
            return [r for r in expr.get("references") or [] if isinstance(r, str)]
        return []

    def _resolve(self, inst: "_Instance", attr: str, types: Iterable[str]) -> "_Instance | None":
        """The resource instance that `attr` of `inst` refers to (same module instance)."""
        types = tuple(types)
        for ref in self._references(inst, attr):
            parts = ref.split(".")
            if parts[0] == "data":
                if len(parts) < 3:
                    continue
                rtype, rname_idx = parts[1], parts[2]
                mode = "data"
            else:
                if len(parts) < 2:
                    continue
                rtype, rname_idx = parts[0], parts[1]
                mode = "managed"
            if rtype not in types:
                continue
            m = re.match(r"^([^\[]+)(\[.*\])?$", rname_idx)
            if not m:
                continue
            rname, idx = m.group(1), m.group(2)
            cands = [i for i in self.instances
                     if i.mode == mode and i.type == rtype and i.name == rname and i.module == inst.module]
            if idx:
                key = idx[1:-1]
                try:
                    key = json.loads(key)
                except ValueError:
                    pass
                cands = [c for c in cands if c.index == key]
            if len(cands) == 1:
                return cands[0]
            same = [c for c in cands if c.index == inst.index]
            if len(same) == 1:
                return same[0]
        return None

    def _name(self, inst: "_Instance", attr: str, rtype: str) -> str | None:
        """A user/group name: the value, else the name of the resource it references."""
        value = inst.get(attr)
        if isinstance(value, str) and value:
            return value
        src = self._resolve(inst, attr, (rtype,))
        if src is not None:
            name = src.get("name")
            return name if isinstance(name, str) and name else None
        return None

    def _names(self, inst: "_Instance", attr: str, rtype: str) -> list[str]:
        value = inst.get(attr)
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str) and v]
        names = []
        for ref in self._references(inst, attr):
            parts = ref.split(".")
            if len(parts) >= 2 and parts[0] == rtype:
                for cand in self.instances:
                    if (cand.mode == "managed" and cand.type == rtype and cand.module == inst.module
                            and cand.name == parts[1].split("[")[0]):
                        name = cand.get("name")
                        if isinstance(name, str) and name and name not in names:
                            names.append(name)
        return names

    def _policy_text(self, inst: "_Instance", attr: str = "policy") -> Any:
        text = inst.get(attr)
        if text is None:
            src = self._resolve(inst, attr, ("aws_iam_policy_document",))
            if src is not None:
                text = src.ident("json")  # read at plan time: planned values or prior_state
        return text

    def _policy_ref(self, inst: "_Instance", attr: str = "policy_arn") -> str | Unresolved | None:
        """A managed policy reference: its ARN when known, else the aws_iam_policy's address, else
        Unresolved (never dropped: an unknown policy may be the one that enforces); None when unset."""
        value = inst.get(attr)
        if isinstance(value, str) and value:
            return value
        src = self._resolve(inst, attr, ("aws_iam_policy",))
        if src is not None:
            return src.ident("arn") or src.address
        if attr in inst.unknown or self._references(inst, attr):
            refs = ", ".join(self._references(inst, attr)[:1]) or "unknown until apply"
            return Unresolved(f"{attr} of {inst.address} ({refs}) cannot be resolved from the plan")
        return None

    def _policy_refs(self, inst: "_Instance", attr: str) -> list[str | Unresolved]:
        """The policy references of a list attribute (``policy_arns`` of the *_exclusive resources)."""
        value = inst.get(attr)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        out: list[str | Unresolved] = []
        for ref in self._references(inst, attr):
            parts = ref.split(".")
            if len(parts) >= 2 and parts[0] == "aws_iam_policy":
                name = parts[1].split("[")[0]
                hits = [c for c in self.instances if c.mode == "managed" and c.type == "aws_iam_policy"
                        and c.name == name and c.module == inst.module]
                for hit in hits:
                    ref_value = hit.ident("arn") or hit.address
                    if ref_value not in out:
                        out.append(ref_value)
            elif parts[0] != "aws_iam_policy":
                out.append(Unresolved(f"{attr} of {inst.address} ({ref}) cannot be resolved from the plan"))
        if not out and (attr in inst.unknown or value is None and attr in inst.values):
            out.append(Unresolved(f"{attr} of {inst.address} cannot be resolved from the plan"))
        return out
