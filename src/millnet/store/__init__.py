"""The run store: solved plans saved with what produced them (SQLite by default, PostgreSQL by
URL), listed, reloaded as Results, exported and deleted.

::

    from millnet.store import Store
    store = Store()                      # --store URL, else $MILLNET_STORE, else .millnet/runs.db
    run_id = store.save(results)         # one transaction: all of the run or none of it
    same = store.load(run_id[:10])       # an id or a unique prefix of one
    store.list(case="mini", status="optimal", limit=10)

SQLAlchemy is imported on first use, so importing this package costs a command nothing.
"""

from millnet.store.engine import ENV_VAR, store_url
from millnet.store.errors import AmbiguousRunError, StoreError, UnknownRunError
from millnet.store.ids import new_run_id
from millnet.store.keys import options_hash, results_key, run_key, task_key
from millnet.store.store import RunInfo, Store, open_results, parse_moment

__all__ = [
    "ENV_VAR",
    "AmbiguousRunError",
    "RunInfo",
    "Store",
    "StoreError",
    "UnknownRunError",
    "new_run_id",
    "open_results",
    "options_hash",
    "parse_moment",
    "results_key",
    "run_key",
    "store_url",
    "task_key",
]
