"""The model: what a record is (schema.py), its dates (dates.py), where its page sits (addresses.py),
its authority identifiers (authority.py) and how a problem with it is reported (errors.py).

Every stage reads the model; the model reads no stage.
"""
