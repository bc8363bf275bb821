"""`python -m builder`: the `archive` command."""

from .cli.commands import main

if __name__ == "__main__":
    main()
