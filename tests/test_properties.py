"""The loader answers anything with a record or a clear problem, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.model.errors import Problem
from builder.load.load import Refused, Source, parse_front_matter, read_source
from builder.model.schema import KIND_BY_FOLDER, Record
from builder.validate.validate import validate_source

FOLDERS = sorted(KIND_BY_FOLDER)
FIELDS = sorted({name for model in KIND_BY_FOLDER.values() for name in model.model_fields} | {"dates", "date"})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["2013-05", "2013-02-30", "2013-05-22", "alpha", "../x", "Bad Id", "2001", "held"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=4)),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)


def _answer(folder: str, raw: bytes) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "content" / folder / "record-1.md"
        path.parent.mkdir(parents=True)
        path.write_bytes(raw)
        result = read_source(str(path), path.relative_to(root).as_posix())
    if isinstance(result, Source):
        result = validate_source(result)
    return result


def _is_clear(result: object) -> bool:
    if isinstance(result, Record):
        return True
    problems = result if isinstance(result, list) else [result]
    return bool(problems) and all(isinstance(p, Problem) and p.path and p.message for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=st.sampled_from(FOLDERS), raw=st.binary(max_size=400))
def test_arbitrary_bytes(folder, raw):
    assert _is_clear(_answer(folder, raw))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=st.sampled_from(FOLDERS), data=front_matter, body=st.text(max_size=200))
def test_arbitrary_yaml_front_matter(folder, data, body):
    raw = ("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body).encode("utf-8", "surrogatepass")
    assert _is_clear(_answer(folder, raw))


@settings(max_examples=200, deadline=None)
@given(folder=st.sampled_from(FOLDERS), text=st.text(max_size=300))
def test_arbitrary_text_after_a_fence(folder, text):
    assert _is_clear(_answer(folder, ("---\n" + text).encode("utf-8", "surrogatepass")))


# YAML's punctuation, so that anchors, aliases, merges, tags, nesting and repeated keys turn up.
yaml_syntax = st.lists(st.sampled_from([*"&*<[]{}:-,?!|>'\"#\n ab1", "  ", "name", "!!str ", "\\e"]),
                       max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(folder=st.sampled_from(FOLDERS), text=yaml_syntax)
def test_arbitrary_yaml_syntax(folder, text):
    assert _is_clear(_answer(folder, ("---\n" + text + "\n---\n").encode()))


@settings(max_examples=300, deadline=None)
@given(data=front_matter)
def test_strict_composer_reads_what_pyyaml_reads(data):
    """The loader composes the YAML itself (to refuse aliases before they unfold): what it
    accepts, it must read exactly as PyYAML's own composer does."""
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parsed, _ = parse_front_matter(text)
    except Refused:
        return  # a control character or a key repeated once made text: refused, not misread
    assert repr(parsed) == repr(yaml.safe_load(text))
