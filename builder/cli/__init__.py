"""The `archive` command (commands.py) and what its verbs need: scaffolds for `archive new`
(scaffold.py, intake.py, scaffolds/), `archive schema` (schema_export.py), `make bag` (bag.py)."""
