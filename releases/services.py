"""The door to releases: what other apps (the withdrawal, the commands) may call.

- ``build_release``: make the next release of the public archive.
- ``remove_withdrawn``: take every withdrawn record out of the stored releases
  holding it; a withdrawal calls it once its transaction commits.
- ``reconcile_all``: after a restore, check every release on disk against the
  whole withdrawal ledger and read its checksums again.
"""

from releases.amend import reconcile_all, remove_withdrawn
from releases.build import build_release

__all__ = ["build_release", "reconcile_all", "remove_withdrawn"]
