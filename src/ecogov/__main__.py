import sys

from ecogov.cli import main

sys.exit(main())
