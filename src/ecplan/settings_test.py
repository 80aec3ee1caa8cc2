"""Settings for the test suite: ``ECPLAN_ENV=test`` and a private, temporary data directory."""

import os
import tempfile

os.environ["ECPLAN_ENV"] = "test"
os.environ.setdefault("ECPLAN_DATA_DIR", tempfile.mkdtemp(prefix="ecplan-test-"))

from ecplan.settings import *  # noqa: F403
