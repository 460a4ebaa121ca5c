"""`python -m okrdocs.cli`: the same as the `okrdocs` command."""

import sys

from . import main

sys.exit(main())
