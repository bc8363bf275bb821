"""Stage 3, link: ids resolved into one Archive with every edge both ways (graph.py), names found in
articles (mentions.py), the source behind each fact (provenance.py), and the checks that need the
whole archive: quotations, body links, what a curator should look at (checks.py)."""
