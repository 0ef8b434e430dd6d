# Both targets work on a fresh machine with only Python 3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench readme fuzz snapshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# A longer fuzz run of the scan's contract (tests/test_fuzz_contract.py); `make test` runs 10 examples.
fuzz: $(STAMP)
	MFAGUARD_FUZZ_EXAMPLES=$${MFAGUARD_FUZZ_EXAMPLES:-400} $(BIN)/python -m pytest -q tests/test_fuzz_contract.py

demo: $(STAMP)
	$(BIN)/python demo/run_demo.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan.py
	$(BIN)/python benchmarks/bench_checks_overhead.py
	$(BIN)/python benchmarks/bench_monorepo.py
	$(BIN)/python benchmarks/bench_expand.py
	$(BIN)/python benchmarks/bench_prefilter.py
	$(BIN)/python benchmarks/bench_plan.py --mb 4 --timeout 300
	$(BIN)/python benchmarks/bench_drift.py
	$(BIN)/python benchmarks/bench_org.py

readme: $(STAMP)
	$(BIN)/python -m mfaguard.docs README.md docs/checks.md

# Rewrites terraform_fixtures/**/snapshot.json from the current output; review with git diff.
snapshots: $(STAMP)
	$(BIN)/python tests/snapshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
