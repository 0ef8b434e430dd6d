"""Adopting mfaguard on an existing codebase: baselines (baseline.py) and the team's
configuration file, .mfaguard.yaml (config.py).  Both act on a finished ScanResult, so the
verdicts themselves stay the engine's."""
