"""Features for short Chinese social text: characters, words, negation scope, emoticons, hashtags.

The model never sees raw text: :func:`extract_features` turns a Simplified text into a list
of string features that a hashing vectorizer maps to columns. Everything it needs is in
:class:`FeatureConfig`, which is saved as JSON beside the coefficients, so a saved model is
rebuilt exactly without pickles.

Example:
    >>> extract_features("服务不太好[怒]", FeatureConfig(word_ngrams=False))[:6]
    ['e:怒', 'c:服', 'c:务', 'c:不', 'c:~太', 'c:~好']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from opinion.text.tokenize import HASHTAG as TOKEN_HASHTAG

if TYPE_CHECKING:
    import numpy as np

# Weibo-style emoticons "[哈哈]" and hashtags "#话题#".
EMOTICON_RE = re.compile(r"\[([^\[\]\s]{1,8})\]")
HASHTAG_RE = re.compile(r"#([^#\s]{1,40})#")
URL_RE = re.compile(r"https?://\S+|www\.\S+")
MENTION_RE = re.compile(r"@[\w\u4e00-\u9fff-]{1,30}")
# Clause and sentence boundaries.
CLAUSE_SPLIT_RE = re.compile(r"[，,。.！!？?；;：:、~～…\s\n\r\t]+")
CLAUSE_RE = re.compile(r"[^，,。.！!？?；;：:、~～…\s]+")
# A sentence ends at its final punctuation and the closing quotes or brackets right after it
# (他说：“我很好。” is one sentence; the ” had opened the next one), and at the marks after
# those (“太好了！”？？ is one sentence: the ？？ were lost until 2026-12-07).
SENTENCE_TERMINATORS = "。！？!?；;\n…"
SENTENCE_CLOSERS = "”’」』）》〉】)"
# An ASCII "." ends a sentence after a Chinese character or a closer and before another, a closer,
# white space or the end (外观很喜欢.售后太差.), and so does a run of them (好吃...); 3.5, U.S.,
# e.g., v1.2, baidu.com and the 1. of a list do not. prepare makes ， ！ ？ full width but leaves
# "." (until 2026-12-08 a review typed with "." was one sentence).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ASCII_STOP = rf"\.{{2,}}|(?<=[{_HAN}{SENTENCE_CLOSERS}])\.(?=[{_HAN}{SENTENCE_CLOSERS}]|\s|$)"
SENTENCE_END_RE = re.compile(
    f"(?:(?:[{SENTENCE_TERMINATORS}]|{_ASCII_STOP})[{SENTENCE_TERMINATORS}.]*[{SENTENCE_CLOSERS}]*)+")
# A raw URL, whose ? ; ! do not end a sentence; a mark at its end does (看这个http://t.cn/x？).
URL_SPAN_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9\-_~/#=&%+]")
# Spans whose marks end no sentence: raw URLs and #话题# (#钟南山说了什么？#), which the tokenizer
# keeps one token: cut there, its words counted for a theme in the sentence, not in the document.
_UNCUT_SPAN_RE = re.compile(f"{URL_SPAN_RE.pattern}|{TOKEN_HASHTAG.pattern}")
_PUNCTUATION_ONLY_RE = re.compile(f"[{SENTENCE_TERMINATORS}{SENTENCE_CLOSERS}.\\s]*")

NEGATORS: frozenset[str] = frozenset("不没别未非无莫勿甭")
# Words that start with a negator character but do not negate what follows.
NON_NEGATING: tuple[str, ...] = (
    "不错", "不过", "不仅", "不但", "不管", "不论", "不久", "不少", "不得不", "不禁",
    "不断", "不停", "不用谢", "不愧", "不亦乐乎", "非常", "非凡", "无论", "无比", "无限",
    "无敌", "无疑", "未来", "没想到", "没事", "别人", "别的", "别处", "别说", "莫名",
    "并非", "无非", "非得", "除非", "不然", "无聊", "无奈", "无语",
    # words in their own right, not "no + what follows": 没有无线网 is no Wi-Fi, not an affirmation
    "无线", "无烟", "无耻", "无数", "无辜", "无偿",
)
# Words that close a negation scope (adversatives): "不好吃但是便宜".
SCOPE_BREAKERS: tuple[str, ...] = ("但是", "但", "可是", "不过", "然而", "却", "而且")
_SEPARATORS = frozenset("，,。.！!？?；;：:、~～… \n\r\t\u3000")
_BREAKER_FIRST = frozenset(b[0] for b in SCOPE_BREAKERS)
_NEGATOR_RE = re.compile("[" + "".join(sorted(NEGATORS)) + "]")
NEGATED = "~"  # prefix of a character inside a negation scope
DOUBLE_NEGATION = "¬¬"  # stands for 不是不 / 没有不 ...
# What a negator must directly follow to cancel it: 不是不喜欢, 没有不好, 不能不说 (but not
# the many 不X不Y idioms: 不伦不类, 不明不白 stay negated).
DOUBLE_NEGATION_OPENERS: frozenset[str] = frozenset(
    ("不是", "没有", "不能", "不会", "不可", "并非", "并不是", "没", "无", "非", "未"))


@dataclass(frozen=True)
class FeatureConfig:
    """Settings of the feature extractor; stored in the model's JSON.

    Options:
        char_ngram_max: longest character n-gram (1..char_ngram_max).
        word_ngrams: add jieba words and word bigrams.
        negation_scope: characters after a negator (up to this many, within the clause)
            are marked as negated; 0 turns negation marking off.
        n_features: hashing space size (a power of two).
        lexicon: add one feature per HowNet sentiment word found, by its sign and
            whether it is negated (``l:+``, ``l:-``, ``l:~+``, ``l:~-``), so that
            "不 + a positive word" is learned once for every positive word.
        raw_char_ngrams: character n-grams over the whole lower-cased text instead,
            punctuation, spaces and emoji included and no clause, negation or emoticon
            features (scikit-learn's ``analyzer="char"``: the plain baseline's features).
    """

    char_ngram_max: int = 3
    word_ngrams: bool = True
    negation_scope: int = 6
    n_features: int = 2**20
    lexicon: bool = False
    raw_char_ngrams: bool = False
    version: int = 4  # bump when the same settings give other features (4: A-not-A questions, 无线 ...)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _mark_negation(clause: str, scope: int) -> list[str]:
    """One mark per character of ``clause``: the character, or ``~`` + it inside a negation scope.

    A negator right after 不是/没有/不能 ... cancels it (``不是不喜欢``, ``没有不好``): the span
    becomes one ``¬¬`` mark followed by empty marks, and what follows is not negated. Any
    other negator opens a new scope (``不知道为什么不开心``, ``不明不白``).

    >>> "".join(_mark_negation("不太好", 6)), "".join(_mark_negation("没有不好", 6))
    ('不~太~好', '¬¬好')
    """
    out: list[str] = []
    remaining = 0  # characters left in the current scope
    opened_at = -1  # index of the negator that opened the scope
    i, n = 0, len(clause)
    while i < n:
        ch = clause[i]
        breaker = ch in _BREAKER_FIRST and next(
            (b for b in SCOPE_BREAKERS if clause.startswith(b, i)), None)
        if breaker:
            remaining = 0
            out.extend(breaker)
            i += len(breaker)
            continue
        if ch in NEGATORS and scope:
            exempt = next((w for w in NON_NEGATING if clause.startswith(w, i)), None)
            if exempt is None and _is_a_not_a(clause, i):
                exempt = ch  # 是不是, 能不能, 有没有: a question, not a negation
            if exempt:
                marks = NEGATED if remaining else ""
                out.extend(marks + c for c in exempt)
                remaining = max(0, remaining - len(exempt))
                i += len(exempt)
                continue
            if remaining and clause[opened_at:i] in DOUBLE_NEGATION_OPENERS:  # an affirmation
                out[opened_at:] = [DOUBLE_NEGATION] + [""] * (i - opened_at)
                remaining = 0
            else:
                out.append(ch)
                remaining, opened_at = scope, i
            i += 1
            continue
        if remaining:
            out.append(NEGATED + ch)
            remaining -= 1
        else:
            out.append(ch)
        i += 1
    return out


def _is_a_not_a(clause: str, i: int) -> bool:
    """Whether the negator at ``clause[i]`` is the middle of an A-not-A question
    (是不是, 好不好吃, 有没有): the same non-negator character on both sides.

    >>> _is_a_not_a("你是不是不喜欢", 2), _is_a_not_a("不是不喜欢", 2)
    (True, False)
    """
    return (0 < i < len(clause) - 1 and clause[i - 1] == clause[i + 1]
            and clause[i - 1] not in NEGATORS)


def clean_for_features(text: str) -> tuple[str, list[str]]:
    """Lower-case ``text``, pull out emoticon and hashtag features, drop URLs and @mentions.

    >>> clean_for_features("#疫情#加油[心]@小明")
    ('加油', ['e:心', 'h:疫情'])
    """
    extras = [f"e:{m}" for m in EMOTICON_RE.findall(text)]
    extras += [f"h:{m}" for m in HASHTAG_RE.findall(text)]
    body = EMOTICON_RE.sub(" ", HASHTAG_RE.sub(" ", text))
    body = MENTION_RE.sub(" ", URL_RE.sub(" ", body)).lower()
    return body.strip(), extras


def extract_features(text: str, config: FeatureConfig, *,
                     words: Sequence[str] | None = None) -> list[str]:
    """The string features of one Simplified ``text`` (see the module example).

    ``words`` are the text's jieba words when the caller already has them; otherwise
    they are computed when ``config.word_ngrams`` is on.
    """
    top = config.char_ngram_max
    if config.raw_char_ngrams:
        return raw_char_ngrams(text, top)
    body, features = clean_for_features(text or "")
    negated = [False] * len(body)
    dropped = [False] * len(body)  # inside a double negation
    for match in CLAUSE_RE.finditer(body):
        clause = match.group()
        if not (config.negation_scope and _NEGATOR_RE.search(clause)):
            # fast path, same features: no negator, so every mark is the character itself
            for size in range(1, top + 1):
                features.extend(["c:" + clause[start:start + size]
                                 for start in range(len(clause) - size + 1)])
            continue
        marks = _mark_negation(clause, config.negation_scope)
        for offset, mark in enumerate(marks):
            negated[match.start() + offset] = mark[:1] == NEGATED
            dropped[match.start() + offset] = mark in ("", DOUBLE_NEGATION)
        chars = [m for m in marks if m]
        n = len(chars)
        for size in range(1, top + 1):
            features.extend(["c:" + "".join(chars[start:start + size])
                             for start in range(n - size + 1)])
    if config.word_ngrams or config.lexicon:
        tokens = _marked_words(body, negated, dropped,
                               words if words is not None else _jieba_words(body))
        if config.lexicon:
            features.extend(lexicon_features(tokens))
        if config.word_ngrams:
            features.extend(["w:" + w for w in tokens])
            features.extend([f"b:{a}|{b}" for a, b in zip(tokens, tokens[1:])])
    return features


def has_double_negation(text: str, scope: int = FeatureConfig.negation_scope) -> bool:
    """Whether a negator in ``text`` cancels another (``¬¬``: 不是不喜欢, 没有不好), as the
    main features read it; a character n-gram model cannot (不是不喜欢 holds 不喜欢).

    >>> has_double_negation("其实不是不喜欢"), has_double_negation("不好，不喜欢")
    (True, False)
    """
    if not scope or len(_NEGATOR_RE.findall(text or "")) < 2:
        return False
    body = clean_for_features(text)[0]
    return any(DOUBLE_NEGATION in _mark_negation(match.group(), scope)
               for match in CLAUSE_RE.finditer(body) if len(_NEGATOR_RE.findall(match.group())) >= 2)


def raw_char_ngrams(text: str, top: int) -> list[str]:
    """Character 1..``top``-grams of the lower-cased ``text`` with runs of white space as one
    space: scikit-learn's ``analyzer="char"``.

    >>> raw_char_ngrams("好！！", 2)
    ['好', '！', '！', '好！', '！！']
    """
    return _char_analyzer(top)(text or "")


@functools.lru_cache(maxsize=4)
def _char_analyzer(top: int):
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char", ngram_range=(1, top)).build_analyzer()


def _marked_words(body: str, negated: list[bool], dropped: list[bool],
                  words: Sequence[str]) -> list[str]:
    """The words of ``body``, negated ones prefixed by ``~``, separators and double negations left out."""
    tokens: list[str] = []
    offset = 0
    any_marks = any(negated) or any(dropped)
    for word in words:
        if not word or word[0] in _SEPARATORS:
            offset += len(word)
            continue
        # the segmenter returns every character, so offsets add up; find() if not
        at = offset if body.startswith(word, offset) else body.find(word, offset)
        if at < 0:
            tokens.append(word)
            continue
        offset = at + len(word)
        if any_marks and dropped[at]:
            continue
        tokens.append(NEGATED + word if any_marks and negated[at] else word)
    return tokens


def lexicon_features(tokens: Sequence[str]) -> list[str]:
    """One feature per sentiment word of the HowNet lexicon in ``tokens`` (marked words).

    A word that starts with a negator and is not listed whole (不太好, 没满意) counts as
    its listed rest, negated.

    >>> lexicon_features(["我", "今天", "不", "~高兴"]), lexicon_features(["服务", "不太好"])
    (['l:~+'], ['l:~+'])
    """
    polarity = _lexicon_polarity()
    out = []
    for token in tokens:
        negated = token[:1] == NEGATED
        word = token[1:] if negated else token
        sign = polarity.get(word)
        if sign is None and len(word) > 1 and word[0] in NEGATORS:
            rest = next((word[k:] for k in (1, 2) if word[k:] in polarity), None)
            if rest is not None:
                sign, negated = polarity[rest], not negated
        if sign:
            out.append(("l:~" if negated else "l:") + ("+" if sign > 0 else "-"))
    return out


@functools.lru_cache(maxsize=1)
def _lexicon_polarity() -> dict[str, float]:
    from opinion.sentiment.lexicon_files import read_lexicon

    return read_lexicon()[0]


def _jieba_words(text: str) -> list[str]:
    return segmenter().cut(text)


@functools.lru_cache(maxsize=1)
def segmenter():
    """The text stage's word segmenter (rjieba when installed, else jieba; same words).

    Its ``cut(text)`` keeps punctuation, which the clause rules need.
    """
    from opinion.text.tokenize import Tokenizer

    return Tokenizer(stopwords=False).segmenter


def split_sentences(text: str) -> list[str]:
    """Split ``text`` at sentence-final punctuation, keeping the punctuation.

    A sentence ends at 。！？!?；; … or a line break, at a "." after a Chinese character or a
    run of them (see ``_ASCII_STOP``), with the closing quotes and brackets and any further
    marks right after it; marks inside a raw URL or a #话题# end nothing. Invariant: nothing but white space is lost, i.e.
    ``re.sub(r"\\s", "", "".join(split_sentences(t))) == re.sub(r"\\s", "", t)`` for every
    ``t``. So marks that open the text (……, ！！！) go with the first sentence, marks with no
    words of their own (the ？？ of “好！”？？) with the sentence before, a text of marks only
    is one sentence, and the ``?`` inside a raw URL ends nothing (until 2026-12-07 such marks
    were dropped and ``http://t.cn/a?x=1`` was cut at its ``?``).

    >>> split_sentences("房间很好。早餐太差！")
    ['房间很好。', '早餐太差！']
    >>> split_sentences("他说：“我很好。”然后走了。")
    ['他说：“我很好。”', '然后走了。']
    >>> split_sentences("……哈哈哈，好开心。“太好了！”？？他问")
    ['……哈哈哈，好开心。', '“太好了！”？？', '他问']
    >>> split_sentences("外观很喜欢.售后太差...3.5分")
    ['外观很喜欢.', '售后太差...', '3.5分']
    """
    text = text or ""
    sentences: list[str] = []
    cuts = _sentence_ends(text)
    opening = ""  # marks before the first sentence with words
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        piece = text[start:end]
        if not piece.strip():
            continue
        if not _PUNCTUATION_ONLY_RE.fullmatch(piece):
            sentences.append(opening + piece)
            opening = ""
        elif sentences:  # no words of its own: the sentence before ends with it
            sentences[-1] = sentences[-1].rstrip() + piece.strip()
        else:
            opening += piece
    if opening:  # marks only: one sentence
        sentences.append(opening)
    return [s.strip() for s in sentences]


def _sentence_ends(text: str) -> list[int]:
    """Where the sentences of ``text`` end: after each run of final marks that does not start
    inside a URL or a hashtag. Both lists are in text order, so one pass walks them together.

    >>> _sentence_ends("#怎么办？#别怕！看http://t.cn/a?b=1。")
    [9, 28]
    """
    spans = [m.span() for m in _UNCUT_SPAN_RE.finditer(text)] if (
        "#" in text or "://" in text or "www." in text) else []
    cuts: list[int] = []
    k = 0
    for match in SENTENCE_END_RE.finditer(text):
        while k < len(spans) and spans[k][1] <= match.start():
            k += 1
        if k == len(spans) or match.start() < spans[k][0]:
            cuts.append(match.end())
    return cuts


@dataclass
class FeatureHasher:
    """Map feature lists to a sparse matrix with scikit-learn's hashing (no vocabulary)."""

    config: FeatureConfig = field(default_factory=FeatureConfig)

    def transform(self, texts: Iterable[str], *, idf=None):
        """Hash ``texts`` into a CSR matrix of shape (n, config.n_features), rows L2-normalised.

        Features are binary; with ``idf`` (one float32 weight per column, see
        :func:`idf_weights`) each present feature weighs its idf before the normalisation.
        """
        return weigh_and_normalise(self.binary_counts(texts), idf)

    def binary_counts(self, texts: Iterable[str]):
        """Hash ``texts`` into an unnormalised 0/1 CSR matrix (the input of :func:`idf_weights`).

        Whole-text character n-grams (``raw_char_ngrams``) are hashed by
        :func:`opinion.sentiment.char_ngrams.hashed_char_ngrams`, the rest by scikit-learn.
        """
        import numpy as np
        from sklearn.feature_extraction.text import HashingVectorizer

        if self.config.raw_char_ngrams:
            from opinion.sentiment.char_ngrams import hashed_char_ngrams

            return hashed_char_ngrams(list(texts), top=self.config.char_ngram_max,
                                      n_features=self.config.n_features)

        vectorizer = HashingVectorizer(
            analyzer=lambda t: extract_features(t, self.config),
            n_features=self.config.n_features,
            alternate_sign=False,
            norm=None,
            binary=True,
            dtype=np.float32,
        )
        return vectorizer.transform(list(texts))


def weigh_and_normalise(binary_counts, idf=None):
    """Rows of a 0/1 matrix times ``idf`` (when given), then scaled to length 1 (in place)."""
    from sklearn.preprocessing import normalize

    if idf is not None:
        binary_counts.data *= idf[binary_counts.indices]
    return normalize(binary_counts, copy=False)


def idf_weights(binary_counts) -> np.ndarray:
    """Smoothed inverse document frequency of each column, ``ln((1+n)/(1+df)) + 1`` (float32).

    ``binary_counts`` is an unnormalised 0/1 document-feature matrix (the training texts);
    the formula is scikit-learn's ``TfidfTransformer(smooth_idf=True)``.

    >>> import numpy as np, scipy.sparse as sp
    >>> [round(float(w), 3) for w in idf_weights(sp.csr_matrix(np.array([[1, 1], [1, 0]])))]
    [1.0, 1.405]
    """
    import numpy as np

    n_docs = binary_counts.shape[0]
    doc_freq = np.bincount(binary_counts.indices, minlength=binary_counts.shape[1])
    return (np.log((1.0 + n_docs) / (1.0 + doc_freq)) + 1.0).astype(np.float32)


def to_simplified(text: str) -> str:
    """``text`` in the analysis script (Simplified), as the text stage converts it.

    >>> to_simplified("這間酒店")
    '这间酒店'
    """
    from opinion.text.script import to_analysis

    return to_analysis(text)
