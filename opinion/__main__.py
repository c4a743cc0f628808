"""`python -m opinion` runs the command-line interface."""

from opinion.cli import main

if __name__ == "__main__":
    main()
