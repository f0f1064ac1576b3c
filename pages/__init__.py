"""The archive's own pages: about, methodology, consent, citing, contact, open data."""
