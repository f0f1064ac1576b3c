"""The template text: about twenty testimony-like sentences, words at planned rates.

A few hundred distinct words, so every index looks better on it than on real
accounts; kept for comparison with earlier figures (``--text template``). Word
frequencies are planned so that a benchmark has words of every kind: some in
almost every document (``COMMON_WORDS``), some in a few percent
(``MEDIUM_WORDS``), some in well under one percent (``RARE_WORDS``), and a Thai
paragraph in about one document in ten.
"""

import random

COMMON_WORDS = ["police", "money", "room"]
MEDIUM_WORDS = ["interpreter", "lawyer", "passport", "x-ray", "tattoo", "photograph"]
RARE_WORDS = ["harmonica", "umbrella", "scooter", "mango", "kitten", "lantern", "violin"]

_OPENINGS = [
    "I came to {place} when I was young because my family needed {thing}.",
    "Before the {event} I worked in a {venue} and sent {thing} home every month.",
    "My friend found me the job in the {venue}; nobody forced me to go.",
    "I had worked for {number} years and knew the regular customers well.",
]
_SENTENCES = [
    "The police came at night and told everyone to sit on the floor.",
    "They said we were victims, but nobody asked what we wanted.",
    "An officer took our phones and our money and wrote something on a form.",
    "We were taken in a van to the station and kept in one room until morning.",
    "A woman from an organisation said she had come to {verb} us.",
    "At the shelter they gave us a bed, a uniform and a timetable.",
    "I asked many times how long I had to stay, and the answer was always soon.",
    "The doctor did a test without explaining it and did not tell me the result.",
    "They said I looked younger than my papers, so my papers did not count.",
    "I could not {verb} my mother for {number} months and she thought I was dead.",
    "My savings stayed in the room where I lived, and when I came back it was empty.",
    "The {venue} owner still owed me wages for {number} weeks of work.",
    "Some of the girls cried every night; others learned to sew and waited.",
    "In court I answered the same questions again and then waited for another date.",
    "When they finally sent me home, the money I had saved was gone.",
    "A reporter took our photograph while we covered our faces with our hands.",
    "Nobody told us we could ask for compensation or for a lawyer.",
    "I wanted to keep working; I only wanted to be paid fairly and left in peace.",
    "The staff counted us in the morning and again at night, like prisoners.",
    "An immigration officer said we would be deported after the trial.",
]
_SLOTS = {
    "place": ["the city", "the border town", "the coast", "the north", "Bangkok"],
    "thing": ["money", "medicine", "school fees", "a new roof", "rice"],
    "event": ["raid", "arrest", "rescue", "checkpoint"],
    "venue": ["karaoke bar", "massage shop", "beer bar", "restaurant", "go-go bar"],
    "number": ["two", "three", "five", "seven", "eleven", "fourteen"],
    "verb": ["help", "call", "see", "rescue", "visit"],
}
_SPECIAL = {
    "interpreter": "There was no interpreter, so I signed a paper I could not read.",
    "lawyer": "A lawyer came once, but he worked for the other side.",
    "passport": "My passport was kept in an office and I never saw it again.",
    "x-ray": "They took an x-ray of my hand and my teeth to decide my age.",
    "tattoo": "The officer wrote down my tattoo as if I were a criminal.",
    "photograph": "A photograph of us was printed in the newspaper the next day.",
}
_THAI_SENTENCES = [
    "ตำรวจเข้ามาตรวจร้านตอนกลางคืน",
    "เจ้าหน้าที่บอกว่าพวกเราเป็นผู้เสียหาย",
    "ฉันถูกส่งไปอยู่สถานแรกรับหลายเดือน",
    "ไม่มีล่ามช่วยแปลให้เลย",
    "ค่าจ้างที่ค้างจ่ายหายไปหมด",
    "เขาไม่ให้โทรหาครอบครัว",
    "หมอตรวจร่างกายโดยไม่ถามความยินยอม",
    "ฉันอยากทำงานต่อและส่งเงินให้แม่",
]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(**{slot: rng.choice(choices) for slot, choices in _SLOTS.items()})


def _body(rng: random.Random) -> tuple[str, str]:
    target_words = rng.randint(300, 800)
    sentences = [_fill(rng, rng.choice(_OPENINGS))]
    # Planned frequencies: each common word in ~97% of documents, medium ones ~2%,
    # rare ones ~0.3%; the ordinary sentences carry the common words most of the time.
    for word in MEDIUM_WORDS:
        if rng.random() < 0.02:
            sentences.append(_SPECIAL[word])
    for word in RARE_WORDS:
        if rng.random() < 0.003:
            sentences.append(f"I still remember the {word} I had to leave behind.")
    words = sum(len(sentence.split()) for sentence in sentences)
    while words < target_words:
        sentence = _fill(rng, rng.choice(_SENTENCES))
        sentences.append(sentence)
        words += len(sentence.split())
    rng.shuffle(sentences[1:])
    if rng.random() < 0.97:
        sentences.append("The police said it was for our own good, and kept our money in a room.")
    paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    language = "en"
    if rng.random() < 0.10:
        thai = "".join(rng.sample(_THAI_SENTENCES, rng.randint(3, 6)))
        paragraphs.insert(rng.randint(0, len(paragraphs)), thai)
        if rng.random() < 0.5:
            language = "th"
    return "\n\n".join(paragraphs), language


class TemplateText:
    """Text from the sentence templates; draws from the records' own generator."""

    def body(self, number: int, rng: random.Random) -> tuple[str, str]:
        return _body(rng)

    def title(self, number: int, rng: random.Random) -> str:
        return f"Synthetic account {number + 1}: {_fill(rng, '{event} at a {venue}')}"
