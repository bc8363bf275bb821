"""The model: what a record is (schema.py), its dates (dates.py), where its page sits (addresses.py),
its authority identifiers (authority.py), how a problem with it is reported (errors.py), and its
text as a reader sees it: sentences and quotations (text.py).

Every stage reads the model; the model reads no stage.
"""
