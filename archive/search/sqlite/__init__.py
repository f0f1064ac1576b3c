"""SQLite FTS5: the engine (``engine.py``, its SQL) and the MATCH syntax (``syntax.py``).

Imported only when the database is SQLite (see ``archive.search.engine.get_engine``).
"""
