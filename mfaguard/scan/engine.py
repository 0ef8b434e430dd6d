"""The scan engine: Checkov's terraform (HCL) and terraform_plan runners, in process,
with only mfaguard's checks, offline.

    scan(paths) -> ScanResult      reports (Checkov Report objects, one per framework that
                                   ran), the UNKNOWN records Checkov's Report drops, and the
                                   input errors (one InputError per bad file)
    scan_root(folder) -> ScanResult   one root module alone (for callers that discover roots
                                   with mfaguard.scan.roots.discover_roots themselves)

A scan is split into independent units (engine.Unit): each root module under a folder
(mfaguard.scan.roots), the single files given from one folder, each plan.  Every unit is one
Checkov run with its own graph, in its own worker process when there are several
(mfaguard.scan.workers); records name files relative to the working directory.

It gives the same verdicts as
``checkov -d PATH --external-checks-dir checks --external-checks-dir policies`` for
mfaguard's check IDs (tests/test_scan_equivalence.py proves it on a mixed stack), faster:

* only the check IDs of mfaguard.catalogue.CHECKS run;
* the HCL parser is a TFParser subclass that blanks the resource blocks no MFA check can
  depend on before hcl2 parses them (mfaguard.scan.prefilter), so neither the parse nor
  Checkov's graph pays for 2,000 unrelated buckets; line numbers are unchanged;
* no module downloads, no Bridgecrew platform, no other framework is imported.
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

os.environ.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
os.environ.setdefault("BC_SKIP_MAPPING", "TRUE")
# Checkov gives up on an .tf file whose hcl2 parse takes longer than this (default 10 s, which a
# 150 KB file can exceed on a loaded CI machine) and then silently skips it.  mfaguard reports
# such a file as an input error; 60 s makes that rare.  Files over inputs.MAX_HCL_BYTES are refused.
os.environ.setdefault("HCL_PARSE_TIMEOUT_SEC", "60")


TOO_DEEP = ("nesting is too deep to read (brackets, blocks or JSON nested hundreds of levels deep); "
            "flatten it")


def _skip_builtin_checks() -> None:
    """Keep Checkov from importing its ~1,000 built-in Terraform checks (about 1.2 s of a
    pre-commit run; only mfaguard's check IDs run anyway).

    checkov/terraform/checks/{resource,data,provider,module}/__init__.py each star-import
    their provider packages (``from checkov.terraform.checks.resource.aws import *``).  An
    empty package object with the real ``__path__`` is put in sys.modules for each of those,
    so the star imports find nothing while any explicit submodule import still works.
    Set MFAGUARD_BUILTIN_CHECKS=1 to import them as usual.
    """
    import importlib.util
    import sys
    import types

    if os.environ.get("MFAGUARD_BUILTIN_CHECKS") == "1" or "checkov.terraform" in sys.modules:
        return
    spec = importlib.util.find_spec("checkov")
    if spec is None or not spec.submodule_search_locations:
        return
    base = os.path.join(list(spec.submodule_search_locations)[0], "terraform", "checks")
    star = re.compile(r"^from (checkov\.terraform\.checks\.[\w.]+) import \*", re.M)
    for kind in ("resource", "data", "provider", "module"):
        try:
            with open(os.path.join(base, kind, "__init__.py"), encoding="utf-8") as fh:
                names = star.findall(fh.read())
        except OSError:
            continue
        for name in names:
            folder = os.path.join(base, *name.split(".")[3:])
            if name in sys.modules or not os.path.isfile(os.path.join(folder, "__init__.py")):
                continue
            module = types.ModuleType(name)
            module.__path__ = [folder]
            module.__package__ = name
            module.__file__ = os.path.join(folder, "__init__.py")
            sys.modules[name] = module


_skip_builtin_checks()

import hcl2  # noqa: E402  (bc-python-hcl2, as Checkov ships it)
from checkov.common.bridgecrew.check_type import CheckType  # noqa: E402
from checkov.common.models.enums import CheckResult  # noqa: E402
from checkov.common.output.report import Report, merge_reports  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402
from checkov.terraform import clean_bad_definitions, validate_malformed_definitions  # noqa: E402
from checkov.terraform.modules.module_utils import clean_parser_types, serialize_definitions  # noqa: E402
from checkov.terraform.parser_utils import load_or_die_quietly  # noqa: E402
from checkov.terraform.tf_parser import TFParser  # noqa: E402
from checkov.terraform.modules.module_objects import TFDefinitionKey  # noqa: E402

from mfaguard import paths as mfaguard_paths  # noqa: E402
from mfaguard.catalogue import CHECKS  # noqa: E402
from mfaguard.checks_support import NOT_APPLICABLE  # noqa: E402
from mfaguard.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, InputError  # noqa: E402
from mfaguard.scan import inputs as scan_inputs  # noqa: E402
from mfaguard.scan import tfjson, workers  # noqa: E402
from mfaguard.scan.roots import config_files, walk_module_folders  # noqa: E402
from mfaguard.scan.prefilter import FilterStats, filter_module, relevant_resource_types  # noqa: E402

def quiet_checkov_logging() -> None:
    """Checkov logs through the root logger (``logging.error(...)`` gives ``ERROR:root:...``
    lines) and installs a stderr handler on import: none of that reaches mfaguard's user, whose
    stderr carries one line per bad input.  MFAGUARD_DEBUG=1 keeps Checkov's logging."""
    if os.environ.get("MFAGUARD_DEBUG") == "1":
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
    root.addHandler(logging.NullHandler())
    root.setLevel(logging.CRITICAL + 1)
    for name in ("checkov", "hcl2", "lark"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


quiet_checkov_logging()


@dataclass
class ScanResult:
    reports: list[Any] = field(default_factory=list)  # checkov Report, by check_type
    # checkov Records with result UNKNOWN, by check_type ("terraform", "terraform_plan")
    unknown_by_type: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def unknown(self) -> list[Any]:
        return [r for recs in self.unknown_by_type.values() for r in recs]

    @property
    def undecided(self) -> list[Any]:
        """UNKNOWN records that mean "cannot decide" (not "not applicable")."""
        return [r for r in self.unknown if not str((r.details or [""])[0]).startswith(NOT_APPLICABLE)]

    @property
    def passed(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.passed_checks]

    @property
    def failed(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.failed_checks]

    @property
    def skipped(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.skipped_checks]

    def exit_code(self, unknown_fails: bool = False) -> int:
        """2 when any input was bad (findings still reported), else 1 on a failed check
        (or, with unknown_fails, an UNKNOWN one), else 0."""
        if self.errors:
            return EXIT_BAD_INPUT
        if self.failed or (unknown_fails and self.undecided):
            return EXIT_FINDINGS
        return EXIT_OK


@contextlib.contextmanager
def capture_unknown() -> Iterator[list]:
    """Collect the UNKNOWN records Checkov's Report.add_record silently drops."""
    captured: list = []
    original = Report.add_record

    def add_record(self: Report, record: Any) -> None:
        if record.check_result.get("result") == CheckResult.UNKNOWN:
            captured.append(record)
        original(self, record)

    Report.add_record = add_record  # type: ignore[method-assign]
    try:
        yield captured
    finally:
        Report.add_record = original  # type: ignore[method-assign]


def describe_parse_error(exc: BaseException) -> str:
    """One line for an hcl2/lark/json exception."""
    if isinstance(exc, RecursionError):
        return TOO_DEEP
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if isinstance(exc, tfjson.JsonSyntaxError):
        return f"not Terraform JSON configuration syntax: {exc}"
    if "exceeded maximum timeout" in str(exc):
        return (f"HCL parsing took longer than {os.environ.get('HCL_PARSE_TIMEOUT_SEC')} s and was abandoned "
                "(raise HCL_PARSE_TIMEOUT_SEC, or split the file)")
    line, col = getattr(exc, "line", None), getattr(exc, "column", None)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    token = getattr(exc, "token", None)
    if token is not None and line is not None:
        kind, value = str(getattr(token, "type", "")), str(token)
        if kind == "$END" or not value:
            shown = "end of file"
        elif "NEW_LINE" in kind or value.strip() == "":
            shown = "end of line"
        else:
            shown = repr(value[:40])
        return f"HCL syntax error at line {line}, column {col}: unexpected {shown}"
    first = re.sub(r"\s*\(line \d+ col \d+\)$", "", first)
    where = f" at line {line}, column {col}" if line is not None and line != -1 else ""
    return f"HCL syntax error{where}: {first}"[:300]


class FilteringTFParser(TFParser):
    """Checkov's TFParser, but each folder's .tf texts go through the prefilter first."""

    def __init__(self, relevant: frozenset[str] | None, skip: set[str], *, root_only: bool = False) -> None:
        super().__init__()
        self.root_only = root_only  # a root module: its own folder and the modules it calls, no sub-folder walk
        self.relevant = relevant
        self.skip = {os.path.abspath(p) for p in skip}
        self.errors: dict[str, BaseException] = {}
        self.parsed: dict[str, Any] = {}  # abs path -> parsed definitions (files mode)
        self.stats = FilterStats()

    def _add_stats(self, s: FilterStats) -> None:
        self.stats = FilterStats(self.stats.resources + s.resources, self.stats.kept + s.kept,
                                 self.stats.files_unchanged + s.files_unchanged)

    def prefilter(self, files: list[str]) -> dict[str, str]:
        """Filtered texts of `files` (one module folder); unreadable files are recorded."""
        texts: dict[str, str] = {}
        for f in files:
            if not f.endswith((".tf", ".tofu")) or os.path.abspath(f) in self.skip:
                continue  # never read a refused file (too large, not a regular file)
            try:
                with open(f, encoding="utf-8-sig") as fh:
                    texts[f] = fh.read()
            except (OSError, UnicodeDecodeError):
                continue  # load_or_die_quietly reports it
        filtered, stats = filter_module(texts, self.relevant)
        self._add_stats(stats)
        for f in stats.too_deep:  # refused before hcl2 sees it
            self.errors[f] = RecursionError("too deep")
            self.skip.add(os.path.abspath(f))
        return {f: t for f, t in filtered.items() if t is not texts[f]}

    def _parse_text(self, file: str, text: str, parsing_errors: dict[str, Exception]) -> Any:
        try:
            raw = hcl2.loads(text)
            return clean_bad_definitions(validate_malformed_definitions(raw))
        except Exception:  # the blanking broke something: parse the original instead
            return load_or_die_quietly(file, parsing_errors)

    def _load_one(self, file: str, changed: dict[str, str], parsing_errors: dict[str, Exception]) -> Any:
        if os.path.abspath(file) in self.skip:
            return None
        if file in changed:
            return self._parse_text(file, changed[file], parsing_errors)
        if file.endswith((".tf.json", ".tofu.json")):
            try:
                return tfjson.load(file)
            except Exception as exc:  # noqa: BLE001 - reported as this file's one-line error
                parsing_errors[file] = exc
                return None
        return load_or_die_quietly(file, parsing_errors)

    def handle_variables(self, dir_contents: list[os.DirEntry[str]], vars_files: Any, specified_vars: Any) -> list[str]:
        """Checkov's tfvars handling, but the configuration files OpenTofu loads: .tf, .tf.json,
        .tofu, .tofu.json (x.tofu replaces x.tf), plus Checkov's .hcl."""
        files = super().handle_variables(dir_contents, vars_files, specified_vars)
        if not dir_contents:
            return files
        folder = os.path.dirname(dir_contents[0].path)
        chosen = config_files(folder, [e.name for e in dir_contents])
        return chosen + [f for f in files if f.endswith(".hcl")]

    def _parse_directory(self, include_sub_dirs: bool = True, **kwargs: Any) -> None:
        super()._parse_directory(include_sub_dirs and not self.root_only, **kwargs)

    def _load_files(self, files: list[str]) -> list[tuple[str, Any]]:
        files_to_data: list[tuple[str, Any]] = []
        to_parse = []
        for file in files:
            if file in self.loaded_files_map:  # preloaded, failures included: never parse twice
                files_to_data.append((file, self.loaded_files_map[file]))
                if file in self.errors:
                    self.out_parsing_errors[file] = self.errors[file]  # type: ignore[assignment]
            else:
                to_parse.append(file)
        changed = self.prefilter(to_parse)
        for file in to_parse:
            errors: dict[str, Exception] = {}
            data = self._load_one(file, changed, errors)
            self.out_parsing_errors.update(errors)
            self.errors.update(errors)
            files_to_data.append((file, data))
            if file not in self.loaded_files_map:
                self.loaded_files_map[file] = data
        return files_to_data

    def preload(self, directory: str) -> None:
        """Parse (prefiltered) every .tf file under `directory` into loaded_files_map, walking it
        as Checkov's module finder does, so neither the finder nor the folder loader parses
        an unfiltered text."""
        by_dir: dict[str, list[str]] = {}
        # the whole tree, as Checkov's module finder walks it (it would parse unfiltered otherwise)
        for root, names in walk_module_folders(directory):
            files = config_files(root, names)
            if files:
                by_dir[root] = files
        for files in by_dir.values():
            changed = self.prefilter(files)
            for file in files:
                errors: dict[str, Exception] = {}
                data = self._load_one(file, changed, errors)
                self.errors.update(errors)
                self.loaded_files_map[file] = data

    def parse_directory(self, directory: str, *args: Any, **kwargs: Any) -> Any:
        self.preload(directory)
        return super().parse_directory(directory, *args, **kwargs)

    def parse_file(self, file: str, parsing_errors: dict[str, Exception]) -> dict[str, Any] | None:
        if not file.endswith((".tf", ".tf.json", ".tofu", ".tofu.json", ".hcl")):
            return None
        errors: dict[str, Exception] = {}
        if file in self.parsed:
            result = self.parsed[file]
            if file in self.errors:
                errors[file] = self.errors[file]  # type: ignore[assignment]
        else:
            result = self._load_one(file, {}, errors)
        parsing_errors.update(errors)
        self.errors.update(errors)
        if result:
            return clean_parser_types(serialize_definitions(result))
        return None


_ACTIVE: list[FilteringTFParser] = []


def _cached_load(file: str | os.PathLike, parsing_errors: dict[str, Exception], clean_definitions: bool = True) -> Any:
    """Stands in for load_or_die_quietly in Checkov's module finder during a scan."""
    path = os.fspath(file)
    for parser in _ACTIVE:
        if path in parser.loaded_files_map:
            if path in parser.errors:
                parsing_errors[path] = parser.errors[path]  # type: ignore[assignment]
            return parser.loaded_files_map[path]
    return load_or_die_quietly(file, parsing_errors, clean_definitions)


@contextlib.contextmanager
def _active(parser: FilteringTFParser) -> Iterator[None]:
    from checkov.terraform.module_loading import module_finder

    _ACTIVE.append(parser)
    original = module_finder.load_or_die_quietly
    module_finder.load_or_die_quietly = _cached_load  # type: ignore[assignment]
    try:
        yield
    finally:
        module_finder.load_or_die_quietly = original  # type: ignore[assignment]
        _ACTIVE.remove(parser)


def check_ids() -> list[str]:
    return sorted(CHECKS)


def _runner_filter(framework: str) -> RunnerFilter:
    return RunnerFilter(
        framework=[framework],
        checks=check_ids(),
        show_progress_bar=False,
        download_external_modules=False,
        run_image_referencer=False,
    )


def _first_report(result: Any) -> Any:
    return result[0] if isinstance(result, list) else result


def _tf_runner(parser: FilteringTFParser) -> Any:
    from checkov.terraform.runner import Runner

    class FilesRunner(Runner):  # type: ignore[misc]
        def _parse_files(self, files: list[str], parsing_errors: dict[str, Exception]) -> None:
            """Single files were parsed (prefiltered) by mfaguard already, every configuration
            form included; Checkov's own version skips .tf.json/.tofu and forks a pool."""
            if self.definitions is None:
                self.definitions = {}
            for file in files:
                result = parser.parse_file(file, parsing_errors)
                if result is not None:
                    self.definitions[TFDefinitionKey(file_path=file)] = result

    runner = FilesRunner(parser=parser)
    runner.graph_manager.parser = parser
    return runner


# --------------------------------------------------------------------------- units of work
@dataclass(frozen=True)
class Unit:
    """One independent Checkov run: a root module folder, the single files given from one
    folder, or one plan.  Units never share a graph, an IAM index or a temporary file."""

    kind: str  # "root" | "files" | "plan" (given) | "plan?" (a JSON found in a folder)
    paths: tuple[str, ...]


@dataclass
class UnitResult:
    """What a unit gives back (plain, picklable data: it crosses a process boundary)."""

    check_type: str
    report: Any
    unknown: list[Any]
    errors: dict[str, str]  # absolute path -> one-line problem
    resources: int = 0
    kept: int = 0


@dataclass(frozen=True)
class Settings:
    relevant: frozenset[str] | None
    skip: frozenset[str]
    ext_dirs: tuple[str, ...]


def display_path(path: str) -> str:
    """The one path form of every report: relative to the working directory (absolute when
    the file is outside it)."""
    rel = os.path.relpath(os.path.abspath(path))
    return os.path.abspath(path) if rel.startswith("..") else rel


def _repath(records: list[Any]) -> None:
    for record in records:
        absolute = str(getattr(record, "file_abs_path", "") or "")
        if absolute:
            record.file_path = record.repo_file_path = display_path(absolute)
        caller = getattr(record, "caller_file_path", None)
        if caller and os.path.isabs(str(caller)):
            record.caller_file_path = display_path(str(caller))


def _errors_of(parser_errors: dict[str, BaseException], unparsed: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(set(parser_errors) | set(unparsed)):
        exc = parser_errors.get(path)
        out[os.path.abspath(path)] = describe_parse_error(exc) if exc is not None else "could not be parsed"
    return out


def _run_expanded(root: str, settings: Settings) -> UnitResult | None:
    """A root module judged through mfaguard's own expansion (docs/expand.md): Checkov's plan
    runner on the synthetic plan, records at the HCL blocks.  None: not expandable."""
    from mfaguard.expand.checkov_run import run_root

    run = run_root(root, list(settings.ext_dirs), _runner_filter("terraform_plan"), settings.relevant,
                   skip=settings.skip)
    if run is None:
        return None
    _repath(run.report.get_all_records() + run.unknown)
    return UnitResult(CheckType.TERRAFORM, run.report, run.unknown, {})


def _run_hcl(unit: Unit, settings: Settings) -> UnitResult:
    expanded = _run_expanded(unit.paths[0], settings) if unit.kind == "root" else None
    if expanded is not None:
        return expanded
    parser = FilteringTFParser(settings.relevant, set(settings.skip), root_only=unit.kind == "root")
    ext_dirs = list(settings.ext_dirs)
    with capture_unknown() as unknown, _active(parser):
        if unit.kind == "root":
            report = _first_report(_tf_runner(parser).run(
                root_folder=unit.paths[0], external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform")))
        else:
            files = [os.path.abspath(f) for f in unit.paths]
            changed = parser.prefilter(files)  # parsed here, in this process: Checkov may fork for parse_file
            for f in files:
                errors: dict[str, Exception] = {}
                parser.parsed[f] = parser._load_one(f, changed, errors)
                parser.errors.update(errors)
            report = _first_report(_tf_runner(parser).run(
                root_folder=None, files=files, external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform")))
        records = report.get_all_records() + list(unknown)
        _attach_record_details(records)  # before the next unit: checkov_adapter.details keeps messages per process
    _repath(records)
    return UnitResult(CheckType.TERRAFORM, report, list(unknown), _errors_of(parser.errors, report.parsing_errors),
                      parser.stats.resources, parser.stats.kept)


def _run_plan(unit: Unit, settings: Settings) -> UnitResult:
    from mfaguard.scan import planfilter

    [path] = unit.paths
    with capture_unknown() as unknown:
        report, errors, seen, kept = planfilter.run_plan(
            path, settings.relevant, list(settings.ext_dirs), _run_plans, explicit=unit.kind == "plan",
            unknown=unknown, attach=_attach_record_details)
    if report is None:
        report = Report(CheckType.TERRAFORM_PLAN)
    if not path.endswith(".json"):
        errors = {p: ("is neither a .tf file (nor .tf.json, .tofu, .tofu.json), a folder nor plan JSON"
                      if e.startswith(("invalid JSON", "JSON is not a Terraform plan")) else e)
                  for p, e in errors.items()}
    _repath(report.get_all_records() + list(unknown))
    return UnitResult(CheckType.TERRAFORM_PLAN, report, list(unknown), errors, seen, kept)


def run_unit(unit: Unit, settings: Settings) -> UnitResult:
    """Scan one unit in this process (a worker of the pool, or the only process)."""
    with _collector_tuned():
        return _run_unit(unit, settings)


@contextlib.contextmanager
def _collector_tuned() -> Iterator[None]:
    """Python's cycle collector walks every long-lived object again at each full collection:
    Checkov's imported modules and checks, and a root's parse trees (hundreds of thousands of
    lark nodes, freed by reference counting, never in cycles). Objects alive before the unit are
    frozen out of the collector's view, and collections are made rarer while the unit runs."""
    mode = os.environ.get("MFAGUARD_GC", "tuned")
    if mode == "default" or not gc.isenabled():
        yield
        return
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(before[0], 50_000), before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _run_unit(unit: Unit, settings: Settings) -> UnitResult:
    try:
        return _run_plan(unit, settings) if unit.kind in ("plan", "plan?") else _run_hcl(unit, settings)
    except RecursionError:
        where = unit.paths[0] if len(unit.paths) == 1 else os.path.dirname(unit.paths[0])
        check_type = CheckType.TERRAFORM_PLAN if unit.kind in ("plan", "plan?") else CheckType.TERRAFORM
        return UnitResult(check_type, Report(check_type), [], {os.path.abspath(where): TOO_DEEP})
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - one line for this unit; the other units are still reported
        where = unit.paths[0] if len(unit.paths) == 1 else os.path.dirname(unit.paths[0])
        check_type = CheckType.TERRAFORM_PLAN if unit.kind in ("plan", "plan?") else CheckType.TERRAFORM
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        return UnitResult(check_type, Report(check_type), [],
                          {os.path.abspath(where): f"could not be scanned ({type(exc).__name__}: {first})"})


def run_units(units: list[Unit], settings: Settings) -> list[UnitResult]:
    """Every unit on its own, in worker processes when there are several (mfaguard.scan.workers)."""
    return workers.map_units(run_unit, units, settings)


exit_on_sigterm = workers.exit_on_sigterm  # the CLI installs it before scanning


def units_of(found: Any) -> list[Unit]:
    units = [Unit("root", (root,)) for root in found.roots]
    by_dir: dict[str, list[str]] = {}
    for f in found.hcl_files:
        by_dir.setdefault(os.path.dirname(os.path.abspath(f)), []).append(os.path.abspath(f))
    units += [Unit("files", tuple(group)) for group in by_dir.values()]
    units += [Unit("plan", (os.path.abspath(p),)) for p in found.plan_files]
    # JSON found in a folder that may be a plan: judged if it is one, silently ignored if not
    units += [Unit("plan?", (os.path.abspath(p),)) for p in found.maybe_plans]
    return units


def _settings(prefilter: bool, external_checks_dirs: list[str] | None, skip: set[str]) -> Settings:
    ext_dirs = external_checks_dirs if external_checks_dirs is not None else mfaguard_paths.external_checks_dirs()
    relevant = relevant_resource_types(ext_dirs) if prefilter else None
    return Settings(relevant, frozenset(os.path.abspath(p) for p in skip), tuple(ext_dirs))


def scan(
    paths: list[str],
    *,
    prefilter: bool = True,
    external_checks_dirs: list[str] | None = None,
) -> ScanResult:
    """Scan folders (each root module on its own), single configuration files and plan JSON
    (each plan on its own); never raises for bad input (see .errors)."""
    found = scan_inputs.collect(list(paths))
    settings = _settings(prefilter, external_checks_dirs, found.skip)
    result = combine(run_units(units_of(found), settings))
    result.errors = list(found.errors) + result.errors
    _dedupe_errors(result)
    return result


def scan_root(root: str, *, prefilter: bool = True, external_checks_dirs: list[str] | None = None,
              skip: set[str] | None = None) -> ScanResult:
    """Scan ONE root module folder (its own Checkov graph; local modules through their calls;
    sub-folders that are roots of their own are not read).  Paths in the result are relative
    to the working directory.  For callers that discover roots themselves
    (mfaguard.scan.roots.discover_roots)."""
    settings = _settings(prefilter, external_checks_dirs, skip or set())
    return combine([run_unit(Unit("root", (root,)), settings)])


def combine(results: list[UnitResult]) -> ScanResult:
    """Unit results -> one ScanResult (one merged Report per framework, in input order)."""
    out = ScanResult()
    by_type: dict[str, list[UnitResult]] = {}
    for r in results:
        by_type.setdefault(r.check_type, []).append(r)
    resources = kept = 0
    for check_type in (CheckType.TERRAFORM, CheckType.TERRAFORM_PLAN):
        group = by_type.get(check_type, [])
        out.unknown_by_type[check_type] = [rec for r in group for rec in r.unknown]
        if not group:
            continue
        merged = Report(check_type)
        for r in group:
            merge_reports(merged, r.report)
            resources, kept = resources + r.resources, kept + r.kept
        merged.parsing_errors = [display_path(p) for p in merged.parsing_errors]
        out.reports.append(merged)
        for r in group:
            out.errors += [InputError(display_path(p), problem) for p, problem in r.errors.items()]
    out.stats = {"resources_seen": resources, "resources_kept": kept}
    return out


def _dedupe_errors(result: ScanResult) -> None:
    seen: set[str] = set()
    errors = []
    for e in result.errors:
        key = os.path.abspath(e.path) if e.path else e.problem
        if key in seen:
            continue
        seen.add(key)
        errors.append(InputError(display_path(e.path), e.problem) if e.path else e)
    result.errors = errors


def _run_plans(files: list[str], ext_dirs: list[str]) -> Any:
    from checkov.terraform.plan_runner import Runner as PlanRunner

    return _first_report(PlanRunner().run(
        root_folder=None, files=files, external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform_plan")))


def _attach_details(result: ScanResult) -> None:
    _attach_record_details(result.passed + result.failed + result.skipped + result.unknown)


def _attach_record_details(records: list[Any]) -> None:
    """Graph checks cannot hand Checkov their per-resource message: mfaguard.checkov_adapter.details keeps
    it, keyed by record (file and address); copy it into record.details where there is none."""
    try:
        from mfaguard.checkov_adapter.details import details_for
    except ImportError:  # pragma: no cover - the IAM checks are not installed
        return
    for record in records:
        if not record.details:
            found = details_for(record)
            if found:
                record.details = found
