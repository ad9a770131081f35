"""The app with the sample report builders, for the two-server test's separate processes.

gunicorn serves `tests.reports.sample_app:app`; `python -m tests.reports.sample_app worker`
runs `servicecoach worker` with the same builders registered.
"""

from __future__ import annotations

import sys

from tests.reports.samples import register_samples
from training import create_app
from training.cli import main

register_samples()
app = create_app()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
