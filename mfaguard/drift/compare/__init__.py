"""Compare the desired state (plan/state) with the live account: pure code, no boto3.

    compare(desired, live) -> Comparison(findings, notes, evaluated)

One module per domain, over a shared Context (the two states, the findings and notes):

    context.py      Comparison, Context (add a finding, add a note), wording helpers
    root.py         the root user: IAM.9, IAM.6
    iam_engines.py  the engine (mfaguard.policy.coverage) over the desired and the live principals
    iam.py          IAM users: IAM.5, IAM.19 (missing, unmanaged, drift, noncompliant)
    iam_groups.py   IAM groups: missing, or no longer enforcing MFA live
    iam_policies.py managed policies the plan owns or read: a default version that no longer enforces
    iam_users.py    a user renamed, a sign-in path added by hand, a user pending destroy
    iam_explain.py  what changed live, in words
    cognito.py      Cognito user pools: Cognito.5, Cognito.1, Cognito.4

Finding kinds (DESIGN.md):

* ``drift``        live differs from the plan: a pool's MFA or threat protection lowered (its MFA raised by
                   hand: the next apply undoes it), TOTP switched off, a user removed from the group
                   that enforced MFA, an enforcing policy detached or its document (or the default
                   version of a policy the plan owns or read) changed so it no longer enforces, a
                   console password or access key added by hand, a user or group renamed by hand;
* ``missing``      planned (managed by this plan) but absent live;
* ``unmanaged``    live users and pools absent from the plan, each with its own compliance
                   (``compliance`` PASSED when it has MFA: reported because nobody manages it);
* ``pending_destroy`` live users and pools the plan deletes, each with its own compliance;
* ``noncompliant`` live state fails IAM.5, IAM.6, IAM.9, IAM.19, Cognito.5, Cognito.1 or Cognito.4 as Security
                   Hub defines them (IAM.5 only for users with a console password, IAM.19 for every
                   user, Cognito.5 only for pools with password sign-in, root without credentials passes).

Which policies reach a principal, and their verdicts, is decided by the engine
(mfaguard.policy.coverage) on both sides, exactly as for the scan's checks; severities and
titles come from mfaguard.catalogue.CONTROLS.  Unknown values (None) are never drift: they become
notes ("could not decide ...").  Parts the live reader could not read (``live.unread``) produce
neither ``missing`` nor ``unmanaged`` findings.

``compliance`` is always the live state of the control (a drift kept in check by an MFA device is
PASSED, at LOW severity).  Every (resource, control) evaluated that needs nothing is an evaluation
(kind ``evaluated``, PASSED) in ``Comparison.evaluated``, apart from the findings: ASFF carries
them so a re-import turns a fixed Security Hub finding PASSED.
"""
from __future__ import annotations

from mfaguard.drift.compare.cognito import compare_pools
from mfaguard.drift.compare.context import Comparison, Context
from mfaguard.drift.compare.iam import IamComparer
from mfaguard.drift.compare.iam_engines import Engines
from mfaguard.drift.compare.iam_groups import compare_groups
from mfaguard.drift.compare.iam_policies import compare_policies
from mfaguard.drift.compare.root import compare_root
from mfaguard.drift.model import AccountState

__all__ = ["Comparison", "compare"]


def compare(desired: AccountState, live: AccountState) -> Comparison:
    ctx = Context(desired, live)
    compare_root(ctx)
    engines = Engines(ctx)
    IamComparer(ctx, engines).users()
    compare_groups(ctx, engines)
    compare_policies(ctx, engines)
    compare_pools(ctx)
    return ctx.finish()
