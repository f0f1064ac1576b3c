"""The editors' workplace. Status changes only through the workflow actions.

One module per record type or concern; importing them registers each admin
with the admin site (Django imports ``testimonies.admin`` at start-up).
"""

from testimonies.admin import incident, ledger, links, testimony, vocabularies

__all__ = ["incident", "ledger", "links", "testimony", "vocabularies"]
