"""Full-text search: tokenizer (text) and query parser (query), free of any database."""
