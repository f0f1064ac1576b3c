"""OAI-PMH 2.0 with Dublin Core, so libraries can harvest the archive.

``protocol`` checks requests and handles datestamps and resumption tokens,
``repository`` reads the records, ``xml`` and ``verbs`` write the responses.
"""
