"""`python -m afterview`."""

import sys

from afterview.cli.main import main

sys.exit(main())
