"""`archive serve`: the live preview (serve.py) over the incremental build."""
