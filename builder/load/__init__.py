"""Stage 1, load: read content/'s ordinary files and split each into front matter and body."""
