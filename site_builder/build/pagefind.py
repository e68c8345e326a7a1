"""What every Pagefind process site_builder starts shares: its thread settings and the error it
becomes. (Its service mode, ``pagefind --service``, which makes several bundles in one process,
is not used: Pagefind 1.5.2's service left a bundle's ``pagefind-entry.json`` empty about one
time in ten on a busy machine.)"""
from __future__ import annotations

from ..errors import SiteError

# Pagefind's thread pools default to far more threads than a small machine has cores
# (on 2 cores that made it 2-4x slower, from futex contention)
THREADS = {"TOKIO_WORKER_THREADS": "1", "RAYON_NUM_THREADS": "1"}


def failed(detail: str) -> SiteError:
    return SiteError("site.yaml", None, f"Pagefind could not index the site: {detail}")
