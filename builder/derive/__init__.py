"""Stage 4, derive: every page's view worked out once from the linked archive (derive.py), with what
it read (reads.py), its history (history.py), network drawing, timeline picture (chronology.py), JSON-LD
and citation."""
