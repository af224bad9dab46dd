"""pytest-odoo session settings for the cross-module tests."""

import os

# With --odoo-http, pytest-odoo starts a server and, through queue_job's server-wide hook,
# its job runner. That runner posts the demo's pending jobs to /queue_job/runjob on the test
# server, where they run on the test cursor in the middle of whichever test is running, and
# it updates queue.job rows from its own connection (serialization failures). Tests that need
# jobs perform them themselves (tests/test_readme_demo.py), so the runner stays off here; it
# reads this before the session's server starts.
os.environ.setdefault("ODOO_QUEUE_JOB_CHANNELS", "root:0")
