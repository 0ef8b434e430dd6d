"""mfaguard: a stolen password or access key is useless on its own.

Layout:
  mfaguard/catalogue.py        check and control metadata (one source of truth)
  mfaguard/policy/             MFA-enforcement semantics of IAM policy documents
  mfaguard/scan/               `mfaguard scan`: Checkov in-process with only mfaguard's checks
  mfaguard/drift/              `mfaguard drift`: plan/state reader, live reader, compare, report
  checks/, policies/           the Checkov checks themselves (--external-checks-dir)
"""
__version__ = "0.1.0"
