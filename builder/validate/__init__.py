"""Stage 2, validate: front matter into typed records (validate.py), bodies held to the allowlist
(safety.py), each file's result cached by its bytes (cache.py)."""
