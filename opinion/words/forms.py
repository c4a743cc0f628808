"""One written form for each Latin word, whatever its case, in keyword lists, networks and clouds.

Posts write the same Latin word in several cases: in the 620k Weibo posts SARS appears 3,389
times, sars 244 and Sars 16; N95 1,112 times and n95 273. Counted as written, each spelling
is a word of its own: the counts of SARS are split, sars turns up as a second keyword beside
SARS and a cloud draws both. Words view therefore count Latin words by their case-folded
key and show the spelling the corpus uses most (ties: the one that sorts first, so SARS
before Sars before sars). The tokens stay as written; KWIC already matches any case
(:data:`opinion.kwic.any_case`).

The forms are counted over every prepared part in one reading of the tokens (2.1 s for
620k posts: ``benchmarks/latin_forms.py``) and kept in ``WS/words/latin_forms_<state>.parquet`` until the prepared table
changes.

Example:
    >>> preferred_forms({"SARS": 3389, "sars": 244, "Sars": 16, "武汉": 10})
    {'sars': 'SARS', 'Sars': 'SARS'}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from opinion import schema as S
from opinion.io.atomic import atomic_path
from opinion.io.workspace import Workspace

LATIN = r"[A-Za-z]"
FOLDER = "words"


def preferred_forms(counts: Mapping[str, int]) -> dict[str, str]:
    """``{spelling: preferred spelling}`` for the Latin words of ``counts`` written in more than
    one case (only those that differ from their preferred spelling)."""
    best: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        key = word.casefold()
        seen = best.get(key)
        if seen is None or (-n, word) < (-seen[0], seen[1]):
            best[key] = (int(n), word)
    return {word: best[word.casefold()][1] for word in counts if best[word.casefold()][1] != word}


def _state(ws: Workspace) -> str:
    from opinion.words.store import inputs_digest

    return inputs_digest(ws, (S.PREPARED,))[:12]


def _count_latin(ws: Workspace) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    found: list[Any] = []
    for part in ws.parts(S.PREPARED):
        tokens = pq.read_table(ws.part_path(S.PREPARED, part), columns=[S.TOKENS])[S.TOKENS].combine_chunks()
        words = pc.list_flatten(tokens).cast(pa.string())
        found.append(words.filter(pc.fill_null(pc.match_substring_regex(words, LATIN), False)))
    if not found:
        return {}
    counted = pc.value_counts(pa.concat_arrays(found))
    return dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist()))


@functools.lru_cache(maxsize=8)
def _forms(root: str, state: str) -> dict[str, str]:
    import pandas as pd

    ws = Workspace(root)
    path = ws.root / FOLDER / f"latin_forms_{state}.parquet"
    if path.exists():
        frame = pd.read_parquet(path)
        return dict(zip(frame["word"].astype(str), frame["form"].astype(str)))
    forms = preferred_forms(_count_latin(ws))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("latin_forms_*.parquet"):
            old.unlink(missing_ok=True)
        with atomic_path(path) as tmp:
            pd.DataFrame({"word": list(forms), "form": list(forms.values())}, dtype=object).to_parquet(tmp, index=False)
    except OSError:  # a read-only workspace: counted again next time
        pass
    return forms


def latin_forms(ws: Workspace) -> dict[str, str]:
    """The workspace's ``{spelling: preferred spelling}`` (see the module)."""
    return _forms(str(ws.root), _state(ws))


def with_preferred_forms(words: Any, forms: Mapping[str, str]) -> Any:
    """``words`` (a pyarrow string array) with each spelling of ``forms`` replaced by its preferred one."""
    if not forms or not len(words):
        return words
    import pyarrow as pa
    import pyarrow.compute as pc

    spellings = pa.array(list(forms), type=pa.string())
    index = pc.index_in(words, value_set=spellings)
    if index.null_count == len(index):
        return words
    preferred = pc.take(pa.array(list(forms.values()), type=pa.string()), index)
    return pc.coalesce(preferred, words)
