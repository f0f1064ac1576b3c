"""The full-text engine: a reader's words in, ids of matching published testimonies out.

It knows the search document's tables and nothing of facets, pages or the
public/draft workflow; ``testimonies.search`` is the one subsystem that calls
it, to search (its ``faceted`` module) and to index (its ``index`` module).

- ``text``: the tokenizer shared by indexing and querying (NFKC, case folding,
  Thai segmented with newmm), so both always see the same words.
- ``forms``: each English token's Snowball stem, stored beside the tokens and
  looked up for every term not quoted, so a word finds its forms.
- ``query``: the web-search syntax parsed into a ``ParsedQuery``; only word
  characters survive (the invariant lives in ``Phrase``). No database syntax.
- ``engine``: the ``SearchEngine`` interface (match, rank, purge) and
  ``get_engine()``, which imports the vendor package when first asked.
- ``sqlite/``, ``postgres/``: one package per database, each holding its SQL
  (``engine.py``) and its query syntax (``syntax.py``: FTS5 MATCH, tsquery).
- ``snippets``: a hit's best paragraph with the matched words marked, made in
  Python so that both databases give the same snippet; and a title or summary
  with the same words marked.
- ``spelling``: the words one edit from a misspelt one; the engine's
  ``word_counts`` says which its index holds (published text only).
"""
