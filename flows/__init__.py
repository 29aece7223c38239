"""Prefect flows and the `dangjian` CLI: thin shells around pipelines/ and crawlers/.

Prefect reads its settings when first imported, so its home is placed inside the data directory here,
before any flow module imports it (embedded default: local ephemeral mode, nothing outside DANGJIAN_DATA_DIR).
"""

import os
from pathlib import Path

# A first start migrates a fresh Prefect database; on a busy 2-core machine that outlasts Prefect's 20 s default.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# The machines this runs on are often offline: no usage telemetry, so no failed-telemetry errors in the logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_HOME", str(Path(os.environ.get("DANGJIAN_DATA_DIR", "data")).resolve() / "prefect"))
