import sys

from .cli import main

if __name__ == "__main__":  # not when a child process (spawn) imports this module again
    sys.exit(main())
