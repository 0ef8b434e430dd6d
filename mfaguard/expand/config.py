"""Read one module folder into blocks: the files Terraform/OpenTofu would load, parsed by
hcl2's grammar (the parser Checkov ships), expressions kept as parse trees.

    load_module(folder, relevant=None) -> ModuleConfig

Files: ``*.tf``, ``*.tf.json``, ``*.tofu``, ``*.tofu.json`` directly in the folder;
``x.tofu`` replaces ``x.tf`` and ``x.tofu.json`` replaces ``x.tf.json``, as OpenTofu loads
them (the scan's rule: ``mfaguard.scan.roots.config_files``).  Override files (``override.tf``, ``*_override.tf``) are merged by Terraform with rules
mfaguard does not reproduce: a folder that has one raises ``ConfigError`` (the caller falls
back to Checkov's own HCL reading of that root).

``relevant`` (resource types) passes ``.tf``/``.tofu`` texts through mfaguard's scan
prefilter first, so resource blocks no check reads are never parsed (line numbers kept).
"""
from __future__ import annotations

import collections
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Tree

HCL_SUFFIXES = (".tf", ".tofu")
JSON_SUFFIXES = (".tf.json", ".tofu.json")


class ConfigError(Exception):
    """The folder cannot be read faithfully (syntax error, override file, unreadable file)."""


@dataclass
class Expr:
    """One attribute's expression: a lark tree (HCL) or a decoded JSON value (.tf.json)."""

    node: Any
    json: bool = False
    text_line: int = 0


@dataclass
class Block:
    kind: str
    labels: list[str]
    attrs: dict[str, Expr]
    blocks: list["Block"]
    file: str
    start: int
    end: int

    def children(self, kind: str) -> list["Block"]:
        return [b for b in self.blocks if b.kind == kind]


@dataclass
class ModuleConfig:
    folder: str
    blocks: list[Block] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


def module_files(folder: str) -> list[str]:
    """The configuration files of `folder`, as OpenTofu/Terraform select them (the scan's own
    rule, mfaguard.scan.roots.config_files)."""
    from mfaguard.scan.roots import config_files

    if not os.path.isdir(folder):
        raise ConfigError(f"{folder}: not a folder")
    files = config_files(folder)
    for f in files:
        stem = os.path.basename(f).split(".", 1)[0]
        if stem == "override" or stem.endswith("_override"):
            raise ConfigError(f"{f}: override files are merged by Terraform with rules mfaguard does not reproduce")
    return files


_CACHE: "collections.OrderedDict[tuple, ModuleConfig]" = collections.OrderedDict()
_CACHE_SIZE = 256  # module folders kept per process (shared modules called by several roots)


def load_module(folder: str, relevant: frozenset[str] | None = None, skip: frozenset[str] = frozenset()) -> ModuleConfig:
    """`skip`: absolute paths the scan refused (too large, not a regular file): a module that has
    one is not expanded (the caller's fallback reports the file).

    A folder read before in this process with the same file names and contents and the same
    `relevant` types is not parsed again: a module shared by several roots of a monorepo costs
    one parse per worker process.  A ModuleConfig is never modified once built."""
    files = module_files(folder)
    refused = [f for f in files if os.path.abspath(f) in skip]
    if refused:
        raise ConfigError(f"{refused[0]}: refused by the scan's input checks")
    texts = _read_texts(files)
    key = (os.path.abspath(folder), relevant, tuple((f, hashlib.sha1(t.encode("utf-8", "surrogatepass")).digest())
                                                    for f, t in texts.items()))
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    config = _load_module(folder, files, texts, relevant)
    _CACHE[key] = config
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return config


def _read_texts(files: list[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for f in files:
        try:
            with open(f, encoding="utf-8-sig") as fh:
                texts[f] = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{f}: cannot be read ({exc})") from exc
    return texts


def _load_module(folder: str, files: list[str], texts: dict[str, str], relevant: frozenset[str] | None) -> ModuleConfig:
    hcl_texts = {f: t for f, t in texts.items() if f.endswith(HCL_SUFFIXES)}
    if relevant is not None and hcl_texts:
        from mfaguard.scan.prefilter import filter_module

        filtered, _stats = filter_module(hcl_texts, relevant)
        hcl_texts.update(filtered)
    config = ModuleConfig(folder=folder, files=files)
    for f in files:
        if f.endswith(JSON_SUFFIXES):
            config.blocks.extend(_json_blocks(f, texts[f]))
        else:
            config.blocks.extend(_hcl_blocks(f, hcl_texts[f]))
    return config


# --------------------------------------------------------------------------- HCL
class _TreeOnly:
    """Stands in for hcl2's parser object inside ``hcl2.api.loads``: the parse tree, not the dict."""

    @staticmethod
    def parse(text: str) -> Any:
        from hcl2.parser import Hcl2

        return Hcl2.lark_parser.parse(text)


def parse_tree(text: str) -> Any:
    """hcl2's parse tree of `text`, through ``hcl2.loads``'s own pre-checks (an unclosed quote
    is refused before lark's lexer, which can backtrack for minutes on one)."""
    import hcl2.api

    original = hcl2.api.hcl2
    hcl2.api.hcl2 = _TreeOnly()  # type: ignore[assignment]
    try:
        return hcl2.api.loads(text)
    finally:
        hcl2.api.hcl2 = original


def _hcl_blocks(path: str, text: str) -> list[Block]:
    try:
        tree = parse_tree(text)
    except Exception as exc:  # lark errors, unclosed quotes: Checkov reports the syntax error itself
        raise ConfigError(f"{path}: HCL syntax error ({type(exc).__name__})") from exc
    body = next(c for c in tree.children if isinstance(c, Tree) and c.data == "body")
    _attrs, blocks = _body(body, path)
    return blocks


def _body(body: Tree, path: str) -> tuple[dict[str, Expr], list[Block]]:
    attrs: dict[str, Expr] = {}
    blocks: list[Block] = []
    for item in body.children:
        if not isinstance(item, Tree):
            continue
        if item.data == "attribute":
            kids = [c for c in item.children if isinstance(c, Tree)]
            name = str(kids[0].children[0])
            attrs[name] = Expr(kids[1], text_line=item.meta.line)
        elif item.data == "block":
            blocks.append(_block(item, path))
    return attrs, blocks


def _block(node: Tree, path: str) -> Block:
    kind = str(node.children[0].children[0])
    labels: list[str] = []
    body = None
    for child in node.children[1:]:
        if isinstance(child, Token):
            labels.append(json.loads(str(child)) if str(child).startswith('"') else str(child))
        elif child.data == "identifier":
            labels.append(str(child.children[0]))
        elif child.data == "body":
            body = child
    attrs, blocks = _body(body, path) if body is not None else ({}, [])
    return Block(kind, labels, attrs, blocks, path, node.meta.line, node.meta.end_line)


# --------------------------------------------------------------------------- JSON syntax
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
           "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}
_META_BLOCKS = {"dynamic": 1, "content": 0, "lifecycle": 0, "provisioner": 1, "connection": 0}


def _json_blocks(path: str, text: str) -> list[Block]:
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: invalid JSON at line {exc.lineno}") from exc
    portions = data if isinstance(data, list) else [data]  # HCL JSON syntax allows an array of bodies
    if not all(isinstance(p, dict) for p in portions):
        raise ConfigError(f"{path}: a Terraform JSON file must hold an object")
    lines = text.count("\n") + 1
    where = _json_lines(text)
    blocks: list[Block] = []
    for portion in portions:
        for kind, value in portion.items():
            if kind.startswith("//"):
                continue
            for labels, body in _json_labelled(value, _LABELS.get(kind, 0)):
                for one in body if isinstance(body, list) else [body]:
                    block = _json_block(kind, labels, one, path, lines, top=True)
                    block.start, block.end = where.get((kind, *labels), (1, lines))
                    blocks.append(block)
    return blocks


def _json_lines(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """(kind, labels...) -> (first, last line) of each resource/data block, from the scan's
    Terraform-JSON reader (mfaguard.scan.tfjson), which keeps real line numbers."""
    from mfaguard.scan import tfjson

    out: dict[tuple[str, ...], tuple[int, int]] = {}
    try:
        data = tfjson.loads(text)
    except Exception:  # noqa: BLE001 - lines are a courtesy; the whole file's range stays
        return out
    for kind in ("resource", "data"):
        for entry in data.get(kind, []) or []:
            for rtype, by_name in (entry or {}).items():
                for name, body in (by_name or {}).items():
                    if isinstance(body, dict) and "__start_line__" in body:
                        out[(kind, rtype, name)] = (body["__start_line__"], body["__end_line__"])
    return out


def _json_labelled(value: Any, depth: int) -> list[tuple[list[str], Any]]:
    if depth == 0:
        return [([], value)]
    out: list[tuple[list[str], Any]] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, inner in item.items():
            for labels, body in _json_labelled(inner, depth - 1):
                out.append(([key] + labels, body))
    return out


def _json_block(kind: str, labels: list[str], body: Any, path: str, lines: int, top: bool = False) -> Block:
    attrs: dict[str, Expr] = {}
    blocks: list[Block] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key.startswith("//"):
                continue
            if key in _META_BLOCKS and kind != "locals" and isinstance(value, (dict, list)):
                for sub_labels, sub in _json_labelled(value, _META_BLOCKS[key]):
                    for one in sub if isinstance(sub, list) else [sub]:
                        blocks.append(_json_block(key, sub_labels, one, path, lines))
            else:
                attrs[key] = Expr(value, json=True)
    return Block(kind, labels, attrs, blocks, path, 1, lines)
