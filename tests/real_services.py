"""The real Redis the tests that need one use. Its database can be chosen, so that two test
runs side by side (CI runs SQLite's and PostgreSQL's at once) never empty each other's."""

import os

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
