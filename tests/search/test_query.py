"""Pure tests of the query parser and its FTS5 / tsquery output: no Django database.

SQLite's FTS5 in an in-memory connection (standard library) serves as an oracle that
the MATCH expressions are valid and mean what we say.
"""

import sqlite3
from collections.abc import Iterator

import pytest

from archive.search.forms import stems_text
from archive.search.postgres.syntax import MAX_TERM_BYTES, to_index_tsquery, to_tsquery
from archive.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    ParsedQuery,
    Phrase,
    QueryTooLong,
    parse,
)
from archive.search.sqlite.syntax import to_fts5
from archive.search.text import index_text, is_token

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev-only extra
    given = None


def P(*tokens: str) -> Phrase:
    return Phrase(tokens)


def words(parsed: ParsedQuery) -> tuple[list[list[str]], list[str]]:
    """A compact view of a parse: groups of phrases and exclusions, phrases space-joined."""
    groups = [[" ".join(p.tokens) for p in group] for group in parsed.groups]
    return groups, [" ".join(p.tokens) for p in parsed.excluded]


class WordTests:
    def test_words_are_anded(self) -> None:
        assert parse("Forced Labour") == ParsedQuery(groups=((P("forced"),), (P("labour"),)))

    def test_lowercase_or_is_a_word(self) -> None:
        assert words(parse("wages or food")) == ([["wages"], ["or"], ["food"]], [])

    def test_hyphenated_word_is_a_phrase(self) -> None:
        assert parse("anti-trafficking") == ParsedQuery(groups=((P("anti", "trafficking"),),))

    def test_duplicates_are_removed(self) -> None:
        assert words(parse("debt Debt DEBT")) == ([["debt"]], [])

    def test_empty_and_blank(self) -> None:
        for text in ["", "   ", "\n\t"]:
            parsed = parse(text)
            assert parsed.is_empty
            assert not parsed.has_positive


class PhraseTests:
    def test_quoted_phrase(self) -> None:
        assert words(parse('"forced labour" fishing')) == ([["forced labour"], ["fishing"]], [])

    def test_operators_inside_quotes_are_words(self) -> None:
        assert words(parse('"a OR -b"')) == ([["a or b"]], [])

    def test_unbalanced_quote_makes_rest_a_phrase(self) -> None:
        assert words(parse('boat "forced labour')) == ([["boat"], ["forced labour"]], [])

    def test_empty_quotes_vanish(self) -> None:
        assert parse('"" " "').is_empty
        assert parse('"').is_empty
        # The closing quote ends the empty phrase: what follows is words, not a phrase.
        assert words(parse('"" a b')) == ([["a"], ["b"]], [])

    def test_quote_inside_word_starts_a_phrase(self) -> None:
        assert words(parse('a"b c"d')) == ([["a"], ["b c"], ["d"]], [])

    def test_quoted_terms_are_exact_and_others_are_not(self) -> None:
        parsed = parse('"raided shelters" raided "deported"')
        assert [[p.exact for p in group] for group in parsed.groups] == [[True], [False], [True]]
        assert [p.stems for group in parsed.groups for p in group] == [
            ("raid", "shelter"),
            ("raid",),
            ("deport",),
        ]

    def test_a_quoted_word_and_the_word_are_two_terms(self) -> None:
        assert len(parse('raid "raid"').groups) == 2
        assert parse('"raid"') != parse("raid")

    def test_highlight_stems_leave_out_quoted_terms(self) -> None:
        assert parse('shelters "raided" OR wages').highlight_stems == {"shelter", "wage"}

    def test_curly_and_fullwidth_quotes(self) -> None:
        assert words(parse("“debt bondage”")) == ([["debt bondage"]], [])
        assert words(parse("\uff02debt bondage\uff02")) == ([["debt bondage"]], [])


class OrTests:
    def test_or_binds_two_neighbours(self) -> None:
        assert parse("a OR b c") == ParsedQuery(groups=((P("a"), P("b")), (P("c"),)))

    def test_or_chain(self) -> None:
        assert words(parse("a OR b OR c")) == ([["a", "b", "c"]], [])
        assert words(parse("a OR b c OR d")) == ([["a", "b"], ["c", "d"]], [])

    def test_or_with_phrases(self) -> None:
        assert words(parse('"debt bondage" OR anti-trafficking')) == (
            [["debt bondage", "anti trafficking"]],
            [],
        )

    def test_or_at_start_or_end_is_a_word(self) -> None:
        assert words(parse("OR a")) == ([["or"], ["a"]], [])
        assert words(parse("a OR")) == ([["a"], ["or"]], [])
        assert words(parse("OR")) == ([["or"]], [])

    def test_repeated_or_counts_once(self) -> None:
        assert words(parse("a OR OR b")) == ([["a", "b"]], [])

    def test_or_next_to_exclusion_is_a_word(self) -> None:
        assert words(parse("a OR -b")) == ([["a"], ["or"]], ["b"])
        assert words(parse("-a OR b")) == ([["or"], ["b"]], ["a"])

    def test_or_skips_junk_terms(self) -> None:
        assert words(parse("a OR * b")) == ([["a", "b"]], [])

    def test_or_with_itself(self) -> None:
        assert words(parse("a OR a")) == ([["a"]], [])

    def test_implied_groups_are_dropped(self) -> None:
        # b AND (a OR b) is just b.
        assert words(parse("b a OR b")) == ([["b"]], [])
        assert words(parse("a OR b b OR a")) == ([["a", "b"]], [])


class ExclusionTests:
    def test_excluded_word_and_phrase(self) -> None:
        assert parse('labour -debt -"forced marriage"') == ParsedQuery(
            groups=((P("labour"),),),
            excluded=(P("debt"), Phrase(("forced", "marriage"), exact=True)),
        )

    def test_exclusion_only(self) -> None:
        parsed = parse("-debt")
        assert not parsed.is_empty
        assert not parsed.has_positive
        with pytest.raises(ValueError):
            to_fts5(parsed)
        with pytest.raises(ValueError):
            to_tsquery(parsed)

    def test_lone_minus_is_junk(self) -> None:
        assert parse("- -").is_empty
        assert words(parse("a - b")) == ([["a"], ["b"]], [])
        assert words(parse("a -")) == ([["a"]], [])

    def test_double_minus(self) -> None:
        assert words(parse("a --b")) == ([["a"]], ["b"])

    def test_minus_inside_word_is_not_exclusion(self) -> None:
        assert words(parse("e-mail")) == ([["e mail"]], [])

    def test_excluded_unbalanced_phrase(self) -> None:
        assert words(parse('a -"b c')) == ([["a"]], ["b c"])

    def test_excluded_or(self) -> None:
        assert words(parse("a -OR")) == ([["a"]], ["or"])


class NotAndTests:
    def test_not_before_a_word_or_phrase_excludes_it(self) -> None:
        assert parse("shelter NOT police") == parse("shelter -police")
        assert words(parse('shelter NOT "medical check"')) == ([["shelter"]], ["medical check"])

    def test_and_between_two_terms_is_a_space(self) -> None:
        assert parse("shelter AND police") == parse("shelter police")
        assert parse("a AND AND b") == parse("a b")

    def test_and_then_not(self) -> None:
        assert parse("shelter AND NOT police") == parse("shelter -police")
        assert parse("-police AND shelter") == parse("shelter -police")

    def test_lowercase_not_and_and_are_words(self) -> None:
        assert words(parse("did not and could")) == ([["did"], ["not"], ["and"], ["could"]], [])

    def test_lone_or_trailing_not_is_the_word(self) -> None:
        assert words(parse("NOT")) == ([["not"]], [])
        assert words(parse("shelter NOT")) == ([["shelter"], ["not"]], [])

    def test_not_not_is_the_word_then_an_exclusion(self) -> None:
        assert words(parse("NOT NOT police")) == ([["not"]], ["police"])

    def test_not_before_an_exclusion_is_the_word(self) -> None:
        assert words(parse("NOT -police")) == ([["not"]], ["police"])

    def test_not_alone_with_a_word_is_an_exclusion_only_query(self) -> None:
        parsed = parse("NOT police")
        assert parsed == parse("-police")
        assert not parsed.has_positive

    def test_and_at_an_edge_or_beside_a_keyword_is_the_word(self) -> None:
        assert words(parse("AND")) == ([["and"]], [])
        assert words(parse("AND a")) == ([["and"], ["a"]], [])
        assert words(parse("a AND")) == ([["a"], ["and"]], [])
        assert words(parse("a OR AND b")) == ([["a", "and"], ["b"]], [])

    def test_or_still_binds_tighter_than_and(self) -> None:
        assert parse("a OR b AND c") == parse("a OR b c")

    def test_excluded_keyword_is_the_word(self) -> None:
        assert words(parse("a -NOT -AND")) == ([["a"]], ["not", "and"])

    def test_quoted_keywords_are_words(self) -> None:
        assert words(parse('"NOT AND"')) == ([["not and"]], [])


class JunkTests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("NEAR(a b)", [["near a"], ["b"]]),
            ("NEAR(a b, 5)", [["near a"], ["b"], ["5"]]),
            ("a*", [["a"]]),
            ("title:foo", [["title foo"]]),
            ("^x", [["x"]]),
            ("((", []),
            ("*", []),
            ("a & !b", [["a"], ["b"]]),
            ("a <-> b", [["a"], ["b"]]),
            ("a | b", [["a"], ["b"]]),
            ("a:* b:A", [["a"], ["b a"]]),
            ("'", []),
            ("\\", []),
            ("it's", [["it s"]]),
            ("{a b} + c", [["a"], ["b"], ["c"]]),
        ],
    )
    def test_syntax_of_other_engines_is_plain_text(
        self, text: str, expected: list[list[str]]
    ) -> None:
        assert words(parse(text)) == (expected, [])

    def test_nul_bytes(self) -> None:
        assert words(parse("de\x00bt\x00 bondage")) == ([["debt"], ["bondage"]], [])
        assert parse("\x00\x00").is_empty

    def test_lone_surrogates(self) -> None:
        parsed = parse("\ud800debt \udfff bondage\ud83d")
        assert words(parsed) == ([["debt"], ["bondage"]], [])
        to_fts5(parsed).encode("utf-8")


class ThaiTests:
    def test_unspaced_thai_becomes_a_phrase_of_words(self) -> None:
        assert parse("ค่าจ้างที่ค้างจ่าย") == ParsedQuery(groups=((P("ค่าจ้าง", "ที่", "ค้าง", "จ่าย"),),))

    def test_thai_single_word(self) -> None:
        assert words(parse("ค่าจ้าง")) == ([["ค่าจ้าง"]], [])

    def test_thai_or_and_exclusion(self) -> None:
        assert words(parse("ค่าจ้าง OR เงินเดือน -ประมง")) == (
            [["ค่าจ้าง", "เงินเดือน"]],
            ["ประมง"],
        )

    def test_thai_digits(self) -> None:
        assert words(parse("มาตรา ๒๙")) == ([["มาตรา"], ["29"]], [])
        assert words(parse("มาตรา๒๙")) == ([["มาตรา 29"]], [])

    def test_mixed_thai_english_run_is_a_phrase(self) -> None:
        assert words(parse("overtimeค่าล่วงเวลา")) == ([["overtime ค่าล่วงเวลา"]], [])


class LimitTests:
    def test_long_query_raises(self) -> None:
        with pytest.raises(QueryTooLong) as info:
            parse("a" * 100_000)
        assert isinstance(info.value, ValueError)
        assert str(MAX_QUERY_LENGTH) in str(info.value)
        assert info.value.length == 100_000

    def test_limit_is_inclusive(self) -> None:
        assert not parse("a" * MAX_QUERY_LENGTH).is_empty
        with pytest.raises(QueryTooLong):
            parse("a" * (MAX_QUERY_LENGTH + 1))

    def test_extra_terms_are_ignored(self) -> None:
        parsed = parse(" ".join(f"w{i}" for i in range(MAX_TERMS + 8)))
        assert parsed.truncated
        assert len(parsed.groups) == MAX_TERMS
        assert parsed.groups[-1] == (P(f"w{MAX_TERMS - 1}"),)

    def test_exclusions_count_towards_the_limit(self) -> None:
        parsed = parse(" ".join(f"-w{i}" for i in range(MAX_TERMS + 1)) + " last")
        assert parsed.truncated
        assert len(parsed.excluded) == MAX_TERMS
        assert not parsed.has_positive

    def test_duplicates_do_not_count(self) -> None:
        parsed = parse("a " * (MAX_TERMS + 5) + "b")
        assert not parsed.truncated
        assert words(parsed) == ([["a"], ["b"]], [])

    def test_exactly_max_terms_is_not_truncated(self) -> None:
        parsed = parse(" ".join(f"w{i}" for i in range(MAX_TERMS)))
        assert not parsed.truncated
        assert len(parsed.groups) == MAX_TERMS


class ParsedQueryTests:
    def test_highlight_tokens(self) -> None:
        parsed = parse('"forced labour" OR labour ค่าจ้างที่ค้างจ่าย -debt')
        assert parsed.highlight_tokens == ("forced", "labour", "ค่าจ้าง", "ที่", "ค้าง", "จ่าย")

    def test_is_frozen(self) -> None:
        parsed = parse("a")
        with pytest.raises(AttributeError):
            parsed.groups = ()  # type: ignore[misc]

    def test_phrase_rejects_non_words(self) -> None:
        for bad in [(), ("",), ('a"b',), ("a b",), ("a'",)]:
            with pytest.raises(ValueError, match="must be non-empty words") as info:
                Phrase(bad)
            assert repr(bad) in str(info.value)

    @pytest.mark.parametrize("to_query", [to_fts5, to_tsquery, to_index_tsquery])
    def test_exclusion_only_queries_are_refused_by_every_engine(self, to_query) -> None:
        with pytest.raises(ValueError, match="no positive terms"):
            to_query(parse("-debt"))

    def test_hashable(self) -> None:
        assert {parse("a OR b -c"), parse("a OR b -c")} == {parse("a OR b -c")}


class Fts5Tests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("labour", '{stems} : "labour"'),
            ("forced labour", '{stems} : "forc" AND {stems} : "labour"'),
            ('"forced labour"', '{text} : "forced labour"'),
            ("anti-trafficking", '{stems} : "anti traffick"'),
            ("a OR b c", '({stems} : "a" OR {stems} : "b") AND {stems} : "c"'),
            ("a OR b OR c", '({stems} : "a" OR {stems} : "b" OR {stems} : "c")'),
            ("labour -debt", '{stems} : "labour" NOT {stems} : "debt"'),
            (
                'a b -"c d" -e',
                '({stems} : "a" AND {stems} : "b") NOT {text} : "c d" NOT {stems} : "e"',
            ),
            ("a OR b -c", '({stems} : "a" OR {stems} : "b") NOT {stems} : "c"'),
            ('NEAR(x) "AND" OR', '{stems} : "near x" AND {text} : "and" AND {stems} : "or"'),
            ("ค่าจ้างที่ค้างจ่าย", '{stems} : "ค่าจ้าง ที่ ค้าง จ่าย"'),
        ],
    )
    def test_output(self, text: str, expected: str) -> None:
        assert to_fts5(parse(text)) == expected

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError):
            to_fts5(parse(""))


class TsqueryTests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("labour", "'labour'"),
            ("forced labour", "'forc' & 'labour'"),
            # The stems even when quoted: the tsvector holds stems, the text is checked.
            ('"forced labour"', "('forc' <-> 'labour')"),
            ("a OR b c", "('a' | 'b') & 'c'"),
            ('a OR "b c" OR d', "('a' | ('b' <-> 'c') | 'd')"),
            ('labour -debt -"c d"', "'labour' & !'debt' & !('c' <-> 'd')"),
            ("a OR b -c", "('a' | 'b') & !'c'"),
            ("a & !b <-> 'c' \\d", "'a' & 'b' & 'c' & 'd'"),
            ("ค่าจ้างที่ค้างจ่าย", "('ค่าจ้าง' <-> 'ที่' <-> 'ค้าง' <-> 'จ่าย')"),
        ],
    )
    def test_output(self, text: str, expected: str) -> None:
        assert to_tsquery(parse(text)) == expected

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError):
            to_tsquery(parse("   "))


class IndexTsqueryTests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("labour", "('labour')"),
            ('"sit on the floor"', "(('sit' & 'on' & 'the' & 'floor'))"),
            # Only an excluded single word not quoted can be excluded by the index.
            ('a OR "b c" -"d e" -f -"g"', "('a' | ('b' & 'c')) & !'f'"),
            ("raided shelters -police", "('raid') & ('shelter') & !'polic'"),
            ('"the the"', "('the')"),
            ("ค่าจ้างที่ค้างจ่าย", "(('ค่าจ้าง' & 'ที่' & 'ค้าง' & 'จ่าย'))"),
        ],
    )
    def test_output(self, text: str, expected: str) -> None:
        assert to_index_tsquery(parse(text)) == expected

    def test_a_word_of_the_longest_indexable_size_is_kept(self) -> None:
        def lexemes_of(word: str) -> str:
            return to_index_tsquery(ParsedQuery(groups=((Phrase((word,)),),)))

        longest = "a" * MAX_TERM_BYTES
        assert lexemes_of(longest) == f"('{longest}')"
        assert lexemes_of(longest + "a") == "(' unindexable')"

    def test_a_word_too_long_to_index_is_in_no_document(self) -> None:
        # 500 characters that NFKC makes into one 6,000-byte word.
        assert to_index_tsquery(parse("police " + "\u3300" * 400)) == (
            "('polic') & (' unindexable')"
        )

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError):
            to_index_tsquery(parse("-only"))


# --- FTS5 oracle -------------------------------------------------------------------------

DOCS = {
    1: "Anti-trafficking work in Songkhla",
    2: "Trafficking, anti everything",
    3: "Forced labour and debt bondage on a fishing boat",
    4: "Forced marriage; labour rights",
    5: "ค่าจ้างที่ค้างจ่าย overtime",
    6: "แรงงานประมง ค่าจ้าง ๓๐๐ บาท",
}


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    try:
        # The tokenizer options the real table must use: Thai marks (Mn) are word characters.
        conn.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(text, stems, "
            "tokenize=\"unicode61 categories 'L* M* N* Co'\")"
        )
    except sqlite3.OperationalError as exc:  # pragma: no cover
        pytest.skip(f"SQLite without FTS5: {exc}")
    conn.executemany(
        "INSERT INTO doc(rowid, text, stems) VALUES (?, ?, ?)",
        [(key, index_text(body), stems_text(index_text(body))) for key, body in DOCS.items()],
    )
    yield conn
    conn.close()


def match(conn: sqlite3.Connection, text: str) -> set[int]:
    rows = conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (to_fts5(parse(text)),))
    return {row[0] for row in rows}


class Fts5OracleTests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("anti-trafficking", {1}),
            ("trafficking", {1, 2}),
            ("trafficking -anti", set()),
            ("trafficking -work", {2}),
            ("labour", {3, 4}),
            ('"forced labour"', {3}),
            ("force labours", {3, 4}),
            ('"forced labours"', set()),
            ('"force labour"', set()),
            ('"trafficking" -"everything"', {1}),
            ('forced -"debt bondage"', {4}),
            ("forced -debt -marriage", set()),
            ("boat OR marriage", {3, 4}),
            ("boat OR marriage forced -debt", {4}),
            ("ค่าจ้าง", {5, 6}),
            ("ค่าจ้างที่ค้างจ่าย", {5}),
            ("ค่าจ้าง -overtime", {6}),
            ("๓๐๐", {6}),
            ("300 บาท", {6}),
            ('NEAR(anti) "OR" title:x', set()),
            ("AND OR NOT", {3}),  # the words "and" or "not"
        ],
    )
    def test_matches(self, fts: sqlite3.Connection, text: str, expected: set[int]) -> None:
        assert match(fts, text) == expected


# --- Properties ----------------------------------------------------------------------------

_FTS5_KEYWORDS = {"AND", "OR", "NOT"}


def unquoted_fts5(expression: str) -> list[str]:
    """The words outside double-quoted strings, after checking everything else is ( ) or space."""
    outside: list[str] = []
    i = 0
    while i < len(expression):
        ch = expression[i]
        if ch == '"':
            i += 1
            while True:
                assert i < len(expression), "unterminated string"
                if expression[i] == '"':
                    if expression[i + 1 : i + 2] == '"':
                        i += 2
                        continue
                    break
                i += 1
            outside.append(" ")
        else:
            outside.append(ch)
        i += 1
    text = "".join(outside).replace("{text} : ", " ").replace("{stems} : ", " ")
    assert set(text) <= set("()ANDORT "), text
    return text.replace("(", " ").replace(")", " ").split()


def unquoted_tsquery(expression: str) -> str:
    outside: list[str] = []
    i = 0
    while i < len(expression):
        if expression[i] == "'":
            i += 1
            while expression[i] != "'" or expression[i + 1 : i + 2] == "'":
                i += 2 if expression[i] in "'\\" else 1
        else:
            outside.append(expression[i])
        i += 1
    return "".join(outside)


if given is not None:
    _PIECES = [
        '"',
        "-",
        "OR",
        "or",
        " ",
        "(",
        ")",
        "*",
        ":",
        "^",
        "NEAR",
        "AND",
        "NOT",
        "&",
        "!",
        "|",
        "<->",
        "'",
        "\\",
        "+",
        "\x00",
        "\ud800",
        "\u201c",
        "\u00ad",
        "ค่าจ้าง",
        "ที่ค้างจ่าย",
        "๒๙",
        "anti-trafficking",
        "a",
        "b",
    ]
    query_text = st.one_of(
        st.text(st.characters(exclude_categories=()), max_size=600),
        st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=60).map(
            "".join
        ),
    )

    @settings(deadline=None, database=None, max_examples=400)
    @given(query_text)
    def test_property_parse_is_safe(text: str) -> None:
        try:
            parsed = parse(text)
        except QueryTooLong:
            assert len(text) > MAX_QUERY_LENGTH
            return
        phrases = [p for group in parsed.groups for p in group] + list(parsed.excluded)
        assert len(set(phrases)) <= MAX_TERMS
        for phrase in phrases:
            assert phrase.tokens
            assert all(is_token(token) for token in phrase.tokens)
        assert all(parsed.groups)
        if not parsed.has_positive:
            return
        fts5 = to_fts5(parsed)
        fts5.encode("utf-8")
        assert set(unquoted_fts5(fts5)) <= _FTS5_KEYWORDS
        tsquery = to_tsquery(parsed)
        assert set(unquoted_tsquery(tsquery)) <= set("()&|!<-> ")
        lexemes = to_index_tsquery(parsed)
        assert set(unquoted_tsquery(lexemes)) <= set("()&|! ")

    @settings(deadline=None, database=None, max_examples=200)
    @given(query_text)
    def test_property_fts5_accepts_every_expression(text: str) -> None:
        if len(text) > MAX_QUERY_LENGTH:
            return
        parsed = parse(text)
        if not parsed.has_positive:
            return
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute(
                "CREATE VIRTUAL TABLE doc USING fts5(text, stems, "
                "tokenize=\"unicode61 categories 'L* M* N* Co'\")"
            )
            indexed = index_text(text)
            conn.execute(
                "INSERT INTO doc(text, stems) VALUES (?, ?)", (indexed, stems_text(indexed))
            )
            conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (to_fts5(parsed),)).fetchall()
        finally:
            conn.close()

else:  # pragma: no cover

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_property_parse_is_safe() -> None:
        pass

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_property_fts5_accepts_every_expression() -> None:
        pass
