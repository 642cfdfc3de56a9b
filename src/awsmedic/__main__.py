import sys

from awsmedic.cli import main

sys.exit(main())
