import pytest

from testimonies import services
from testimonies.models import RightsViolation, TestimonyClause
from tests.support import factories
from tests.support.sample_archive import HIDDEN_STATES, make_testimonies_in_states

FORMULA = '=HYPERLINK("http://x","y")'
# A published testimony names someone inside a redaction marker: the name is
# in the editors' text only, never on a public surface.
WITHHELD_NAME = "Sentinelwithheldname"


def sentinel(state: str) -> str:
    return f"sentinel{state}"


@pytest.fixture
def open_archive(db):
    """Published testimonies of every kind, and one hidden testimony per hidden state."""
    factories.restore_seed_data()
    reviewer = factories.make_user("Reviewer")
    atipa = factories.make_law(slug="atipa-2008", short_name="ATIPA 2008")
    iccpr = factories.make_law(slug="iccpr", short_name="ICCPR", jurisdiction="int")
    s29 = factories.make_clause(law=atipa, slug="s-29", number="s. 29", heading="Custody")
    art9 = factories.make_clause(law=iccpr, slug="art-9", number="Art. 9", heading="Liberty")
    detention = factories.make_violation_type(label="Arbitrary detention")
    incident = factories.publish_incident(title="A raid that was published")
    draft_incident = factories.make_incident(title=f"{sentinel('draft')} raid", description="x")

    specs = [
        # (title, summary, body words, nationality, province, year, language, clauses)
        (
            "Held in the shelter",
            "Months in a shelter.",
            "shelter wages",
            "burmese",
            "tak",
            2010,
            "en",
            [s29],
        ),
        (
            "Wages lost in the raid",
            "Lost savings.",
            "raid wages",
            "shan",
            "chiang-mai",
            2011,
            "en",
            [s29, art9],
        ),
        (
            "A doctor without consent",
            "Examined by force.",
            "doctor shelter",
            "thai",
            "bangkok",
            2009,
            "en",
            [art9],
        ),
        (
            "ถูกกักตัวในสถานคุ้มครอง",
            "เล่าเรื่องการถูกกักตัว",
            "สถานคุ้มครอง shelter",
            "thai",
            "bangkok",
            2012,
            "th",
            [s29],
        ),
        (FORMULA, FORMULA, "formula shelter", "lao", "tak", 2010, "en", []),
        ("+plus start", "@at start", "raid", "burmese", "tak", 2008, "en", [s29]),
        ("-minus start", "\ttab start", "raid shelter", "burmese", "chiang-mai", 2011, "en", []),
        (
            "\rreturn start",
            f"Plain summary, with a comma, about [[name:{WITHHELD_NAME}]]",
            "wages",
            "cambodian",
            "tak",
            2012,
            "en",
            [art9],
        ),
    ]
    published = []
    for title, summary, words, nationality, province, year, language, clauses in specs:
        testimony = factories.make_testimony(
            title=title,
            summary=summary,
            body=f"A paragraph about {words}.\n\nAnother paragraph.",
            nationality=nationality,
            province=province,
            year_of_events=year,
            language=language,
        )
        for clause in clauses:
            TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
        if clauses:
            RightsViolation.objects.create(
                violation_type=detention, testimony=testimony, perpetrator="police"
            )
        incident.testimonies.add(testimony)
        factories.make_consent(testimony)
        services.send_to_review(record=testimony, by=reviewer)
        published.append(services.publish(record=testimony, by=reviewer))

    hidden = make_testimonies_in_states(
        HIDDEN_STATES,
        mark=sentinel,
        by=reviewer,
        clause=s29,
        incident=incident,
        violation_type=detention,
        nationality="burmese",
        province="tak",
    )
    # A record in review that somehow holds a public id must still stay hidden.
    hidden["review"].public_id = "T-0999"
    hidden["review"].save()
    return {
        "published": published,
        "hidden": hidden,
        "laws": [atipa, iccpr],
        "clauses": [s29, art9],
        "incident": incident,
        "draft_incident": draft_incident,
        "violation_type": detention,
    }
