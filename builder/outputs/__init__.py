"""Stage 5, the outputs made from the views: pages (render.py and templates/), the search index
(search/), the data downloads (data/), the feed, redirects (files.py gathers those besides pages)."""
