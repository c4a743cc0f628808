"""An explainable lexicon scorer: HowNet sentiment words with negators, degree words, adversatives.

Each sentiment word found in a clause counts +1 (positive) or -1 (negative), times the
degree words before it (很 2.0, 有点 0.6 ...); each negator before it (不, 没, 别, 未, 非 ...)
flips the sign, and a negator before a degree word softens instead ("不太好" = -0.5 × 好), as
does a word listed both as a negator and as a degree word ("不怎么喜欢" = -0.5 × 喜欢).
A clause after an adversative (但是, 不过 ...) counts 1.5 times, the clause before it 0.5.
The score is ``sigmoid(total)``: 0.5 when no sentiment word is found, near 0 for a long
complaint (a total of -900 once raised OverflowError, until 2026-12-08).

Example:
    >>> scorer = LexiconScorer.load()
    >>> result = scorer.explain("房间很干净，但是服务不太好")
    >>> [(hit.word, hit.weight) for hit in result.hits]
    [('干净', 1.0), ('好', -0.75)]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from opinion.sentiment.features import EMOTICON_RE, segmenter, to_simplified
from opinion.sentiment.lexicon_files import read_lexicon

CLAUSE_PUNCT_RE = re.compile(r"^[，,。.！!？?；;：:、~～…\s]+$")
NEGATED_DEGREE_FACTOR = 0.5  # 不太好: a negated degree word softens rather than flips twice
AFTER_ADVERSATIVE, BEFORE_ADVERSATIVE = 1.5, 0.5
WINDOW = 4  # modifiers are looked for up to this many tokens before a sentiment word
MAX_EXPONENT = 700.0  # math.exp overflows past 709.78: sigmoid(-900) is 1e-304, not an error


def sigmoid(total: float) -> float:
    """``1 / (1 + e^-total)`` for any total: ``sigmoid(0.0) == 0.5``, ``sigmoid(-1e4) < 1e-300``."""
    return 1.0 / (1.0 + math.exp(min(-total, MAX_EXPONENT)))


@dataclass(frozen=True)
class Hit:
    """One sentiment word and what modified it: ``Hit("好", -1.125, ("不", "太"))``."""

    word: str
    weight: float
    modifiers: tuple[str, ...] = ()


@dataclass
class LexiconResult:
    """The score of one text and the words behind it."""

    score: float  # sigmoid of total, 0..1
    total: float  # signed sum of the hits' weights
    hits: list[Hit] = field(default_factory=list)


class LexiconScorer:
    """Score texts from word lists; :meth:`load` reads the shipped HowNet lists."""

    def __init__(self, *, polarity: dict[str, float], degree: dict[str, float],
                 negators: frozenset[str], adversatives: frozenset[str]) -> None:
        self.polarity = polarity
        self.degree = degree
        self.negators = negators
        self.adversatives = adversatives
        # 不怎么, 不甚, 没怎么: a negator and a degree word in one, which softens like 不太
        self.negated_degree = negators & degree.keys()

    @classmethod
    def load(cls, folder: str | Path | None = None) -> LexiconScorer:
        """Read the lexicon files in ``folder`` (default: the shipped resource)."""
        polarity, degree, negators, adversatives = read_lexicon(folder)
        return cls(polarity=polarity, degree=degree, negators=negators, adversatives=adversatives)

    # -- tokens ------------------------------------------------------------------
    def _split_token(self, token: str) -> list[str]:
        """Split a jieba token such as 不喜欢 into 不 + 喜欢 when only the rest is a sentiment word."""
        modifiers = self.negators | self.degree.keys()
        if len(token) < 2 or token in modifiers:
            return [token]
        for size in (2, 1):
            head, rest = token[:size], token[size:]
            if head in modifiers and rest and (rest in self.polarity or rest in modifiers):
                return [head, *self._split_token(rest)]
        return [token]

    def tokens(self, text: str) -> list[str]:
        """jieba tokens of ``text`` (Simplified), with emoticons kept whole and negators split."""
        cut = segmenter().cut
        out: list[str] = []
        position = 0
        for match in EMOTICON_RE.finditer(text):
            out.extend(cut(text[position:match.start()]))
            out.append(match.group())
            position = match.end()
        out.extend(cut(text[position:]))
        pieces = [piece for token in out for piece in self._split_token(token) if piece.strip()]
        return self._join_negated_degree(pieces)

    def _join_negated_degree(self, pieces: list[str]) -> list[str]:
        """Join two tokens that make one negated degree word: 没 + 怎么 → 没怎么, 不 + 甚 → 不甚."""
        if not self.negated_degree:
            return pieces
        out: list[str] = []
        for piece in pieces:
            if out and out[-1] + piece in self.negated_degree:
                out[-1] += piece
            else:
                out.append(piece)
        return out

    # -- scoring -----------------------------------------------------------------
    def _score_word(self, tokens: list[str], index: int, start: int) -> Hit:
        """The weighted hit of the sentiment word at ``index``, modifiers from ``start``."""
        word = tokens[index]
        weight = self.polarity[word]
        modifiers: list[str] = []
        degree_since_negator = 1.0
        last_negator: int | None = None
        for j in range(index - 1, max(start, index - WINDOW) - 1, -1):
            token = tokens[j]
            if token in self.polarity:
                break
            if token in self.negators:
                if last_negator is not None and last_negator - j > 2:  # 不知道为什么不开心: only adjacent negators cancel
                    break
                last_negator = j
                # 不太好 (and 不怎么好): undo the degree word and soften instead of flipping in full
                softened = token in self.negated_degree or degree_since_negator != 1.0
                weight *= -NEGATED_DEGREE_FACTOR / degree_since_negator if softened else -1.0
                degree_since_negator = 1.0
                modifiers.append(token)
            elif token in self.degree:
                weight *= self.degree[token]
                degree_since_negator *= self.degree[token]
                modifiers.append(token)
        return Hit(word, round(weight, 4), tuple(reversed(modifiers)))

    def explain_tokens(self, tokens: list[str]) -> LexiconResult:
        """Score a token list and list the hits (see the module docstring for the rules)."""
        clauses: list[list[tuple[Hit, int]]] = [[]]
        clause_start = 0
        adversative_at: list[int] = []
        for index, token in enumerate(tokens):
            if CLAUSE_PUNCT_RE.match(token):
                clauses.append([])
                clause_start = index + 1
            elif token in self.adversatives:
                adversative_at.append(len(clauses))
                clauses.append([])
                clause_start = index + 1
            elif token in self.polarity:
                hit = self._score_word(tokens, index, clause_start)
                clauses[-1].append((hit, len(clauses) - 1))
        factors = [1.0] * len(clauses)
        for at in adversative_at:
            before = next((j for j in range(at - 1, -1, -1) if clauses[j]), None)
            if before is not None:  # the last clause with a sentiment word, past any "，"
                factors[before] *= BEFORE_ADVERSATIVE
            factors[at] *= AFTER_ADVERSATIVE
        hits = [Hit(hit.word, round(hit.weight * factors[c], 4), hit.modifiers)
                for clause in clauses for hit, c in clause]
        total = sum(hit.weight for hit in hits)
        return LexiconResult(score=sigmoid(total), total=total, hits=hits)

    def explain(self, text: str) -> LexiconResult:
        """Score one text and list the words behind the score."""
        return self.explain_tokens(self.tokens(to_simplified(text or "")))

    def score(self, texts: list[str]) -> list[float]:
        """Scores (0..1, 0.5 = no sentiment word) of ``texts``."""
        return [self.explain(text).score for text in texts]
