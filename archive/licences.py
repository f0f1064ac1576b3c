"""The archive's two licences: one for the testimonies' text, one for the data.

The one place that names them. OAI-PMH records, the OpenAPI document and the
"How to cite and reuse" and open-data pages all read these, so they can never
disagree with each other.

Texts are non-commercial because they are people's own accounts of harm, given
for research, teaching and reporting: a narrator did not agree to see them
sold. The data (ids, dates, places, links to the law, our summaries of laws and
clauses, vocabularies, counts) carries no one's voice and is most useful when
anyone may reuse it, so it only asks for attribution.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    name: str  # how it is cited in short
    title: str  # its full name, in English as the licensor publishes it
    url: str  # the licence's canonical deed; also its identifier in metadata


TEXTS = Licence(
    name="CC BY-NC 4.0",
    title="Creative Commons Attribution-NonCommercial 4.0 International",
    url="https://creativecommons.org/licenses/by-nc/4.0/",
)
DATA = Licence(
    name="CC BY 4.0",
    title="Creative Commons Attribution 4.0 International",
    url="https://creativecommons.org/licenses/by/4.0/",
)
