"""Controlled vocabularies for the coarse narrator attributes and places.

Values are stored as short stable codes, so relabelling a choice never breaks
a saved search URL. Attributes are deliberately coarse: an age group rather
than an age, a province rather than a town, so no record narrows down to one
person.
"""

from django.db import models


class Nationality(models.TextChoices):
    THAI = "thai", "Thai"
    BURMESE = "burmese", "Burmese"
    SHAN = "shan", "Shan"
    LAO = "lao", "Lao"
    CAMBODIAN = "cambodian", "Cambodian"
    VIETNAMESE = "vietnamese", "Vietnamese"
    CHINESE = "chinese", "Chinese"
    STATELESS = "stateless", "Stateless or undocumented"
    OTHER = "other", "Other"


class AgeGroup(models.TextChoices):
    UNDER_18 = "under-18", "Under 18"
    AGE_18_24 = "18-24", "18 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_44 = "35-44", "35 to 44"
    AGE_45_PLUS = "45-plus", "45 or older"
    UNKNOWN = "unknown", "Not stated"


class WorkSetting(models.TextChoices):
    BAR = "bar", "Bar or beer bar"
    KARAOKE = "karaoke", "Karaoke"
    MASSAGE = "massage", "Massage parlour or sauna"
    BROTHEL = "brothel", "Brothel"
    FREELANCE = "freelance", "Freelance or street-based"
    ENTERTAINMENT = "entertainment", "Entertainment venue or go-go bar"
    RESTAURANT = "restaurant", "Restaurant with hostesses"
    OTHER = "other", "Other"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    THAI = "th", "Thai"


class Province(models.TextChoices):
    BANGKOK = "bangkok", "Bangkok"
    AMNAT_CHAROEN = "amnat-charoen", "Amnat Charoen"
    ANG_THONG = "ang-thong", "Ang Thong"
    BUENG_KAN = "bueng-kan", "Bueng Kan"
    BURIRAM = "buriram", "Buriram"
    CHACHOENGSAO = "chachoengsao", "Chachoengsao"
    CHAI_NAT = "chai-nat", "Chai Nat"
    CHAIYAPHUM = "chaiyaphum", "Chaiyaphum"
    CHANTHABURI = "chanthaburi", "Chanthaburi"
    CHIANG_MAI = "chiang-mai", "Chiang Mai"
    CHIANG_RAI = "chiang-rai", "Chiang Rai"
    CHONBURI = "chonburi", "Chonburi"
    CHUMPHON = "chumphon", "Chumphon"
    KALASIN = "kalasin", "Kalasin"
    KAMPHAENG_PHET = "kamphaeng-phet", "Kamphaeng Phet"
    KANCHANABURI = "kanchanaburi", "Kanchanaburi"
    KHON_KAEN = "khon-kaen", "Khon Kaen"
    KRABI = "krabi", "Krabi"
    LAMPANG = "lampang", "Lampang"
    LAMPHUN = "lamphun", "Lamphun"
    LOEI = "loei", "Loei"
    LOPBURI = "lopburi", "Lopburi"
    MAE_HONG_SON = "mae-hong-son", "Mae Hong Son"
    MAHA_SARAKHAM = "maha-sarakham", "Maha Sarakham"
    MUKDAHAN = "mukdahan", "Mukdahan"
    NAKHON_NAYOK = "nakhon-nayok", "Nakhon Nayok"
    NAKHON_PATHOM = "nakhon-pathom", "Nakhon Pathom"
    NAKHON_PHANOM = "nakhon-phanom", "Nakhon Phanom"
    NAKHON_RATCHASIMA = "nakhon-ratchasima", "Nakhon Ratchasima"
    NAKHON_SAWAN = "nakhon-sawan", "Nakhon Sawan"
    NAKHON_SI_THAMMARAT = "nakhon-si-thammarat", "Nakhon Si Thammarat"
    NAN = "nan", "Nan"
    NARATHIWAT = "narathiwat", "Narathiwat"
    NONG_BUA_LAMPHU = "nong-bua-lamphu", "Nong Bua Lamphu"
    NONG_KHAI = "nong-khai", "Nong Khai"
    NONTHABURI = "nonthaburi", "Nonthaburi"
    PATHUM_THANI = "pathum-thani", "Pathum Thani"
    PATTANI = "pattani", "Pattani"
    PHANG_NGA = "phang-nga", "Phang Nga"
    PHATTHALUNG = "phatthalung", "Phatthalung"
    PHAYAO = "phayao", "Phayao"
    PHETCHABUN = "phetchabun", "Phetchabun"
    PHETCHABURI = "phetchaburi", "Phetchaburi"
    PHICHIT = "phichit", "Phichit"
    PHITSANULOK = "phitsanulok", "Phitsanulok"
    PHRA_NAKHON_SI_AYUTTHAYA = "ayutthaya", "Phra Nakhon Si Ayutthaya"
    PHRAE = "phrae", "Phrae"
    PHUKET = "phuket", "Phuket"
    PRACHINBURI = "prachinburi", "Prachinburi"
    PRACHUAP_KHIRI_KHAN = "prachuap-khiri-khan", "Prachuap Khiri Khan"
    RANONG = "ranong", "Ranong"
    RATCHABURI = "ratchaburi", "Ratchaburi"
    RAYONG = "rayong", "Rayong"
    ROI_ET = "roi-et", "Roi Et"
    SA_KAEO = "sa-kaeo", "Sa Kaeo"
    SAKON_NAKHON = "sakon-nakhon", "Sakon Nakhon"
    SAMUT_PRAKAN = "samut-prakan", "Samut Prakan"
    SAMUT_SAKHON = "samut-sakhon", "Samut Sakhon"
    SAMUT_SONGKHRAM = "samut-songkhram", "Samut Songkhram"
    SARABURI = "saraburi", "Saraburi"
    SATUN = "satun", "Satun"
    SING_BURI = "sing-buri", "Sing Buri"
    SISAKET = "sisaket", "Sisaket"
    SONGKHLA = "songkhla", "Songkhla"
    SUKHOTHAI = "sukhothai", "Sukhothai"
    SUPHAN_BURI = "suphan-buri", "Suphan Buri"
    SURAT_THANI = "surat-thani", "Surat Thani"
    SURIN = "surin", "Surin"
    TAK = "tak", "Tak"
    TRANG = "trang", "Trang"
    TRAT = "trat", "Trat"
    UBON_RATCHATHANI = "ubon-ratchathani", "Ubon Ratchathani"
    UDON_THANI = "udon-thani", "Udon Thani"
    UTHAI_THANI = "uthai-thani", "Uthai Thani"
    UTTARADIT = "uttaradit", "Uttaradit"
    YALA = "yala", "Yala"
    YASOTHON = "yasothon", "Yasothon"


class Perpetrator(models.TextChoices):
    POLICE = "police", "Police"
    IMMIGRATION = "immigration", "Immigration officers"
    DSI = "dsi", "Department of Special Investigation"
    SOCIAL_WELFARE = "social-welfare", "Social welfare officials"
    SHELTER_STAFF = "shelter-staff", "Shelter staff"
    NGO = "ngo", "NGO staff"
    MEDICAL_STAFF = "medical-staff", "Medical staff"
    COURT = "court", "Court or prosecutor"
    EMPLOYER = "employer", "Employer or venue owner"
    MEDIA = "media", "Media"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    """The stored codes of a choices class, for check constraints."""
    return [value for value, _label in choices.choices]
