"""`python -m wyoming_servers.models`: the same as `hybrid-voice-models`."""

import sys

from .cli import main

sys.exit(main())
