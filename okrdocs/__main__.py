"""`python -m okrdocs`: the same as the `okrdocs` command."""

import sys

from .cli import main

sys.exit(main())
