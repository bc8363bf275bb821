"""Stage 6, write: pages and site staged under build/staging/ and swapped in whole; MkDocs renders."""
