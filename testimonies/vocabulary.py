"""Controlled vocabularies for the coarse narrator attributes and places.

Values are stored as short stable codes, so relabelling a choice never breaks
a saved search URL. Attributes are deliberately coarse: an age group rather
than an age, a province rather than a town, so no record narrows down to one
person.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Nationality(models.TextChoices):
    THAI = "thai", _("Thai")
    BURMESE = "burmese", _("Burmese")
    SHAN = "shan", _("Shan")
    LAO = "lao", _("Lao")
    CAMBODIAN = "cambodian", _("Cambodian")
    VIETNAMESE = "vietnamese", _("Vietnamese")
    CHINESE = "chinese", _("Chinese")
    STATELESS = "stateless", _("Stateless or undocumented")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under-18", _("Under 18")
    AGE_18_24 = "18-24", _("18 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_44 = "35-44", _("35 to 44")
    AGE_45_PLUS = "45-plus", _("45 or older")
    UNKNOWN = "unknown", _("Not stated")


class WorkSetting(models.TextChoices):
    BAR = "bar", _("Bar or beer bar")
    KARAOKE = "karaoke", _("Karaoke")
    MASSAGE = "massage", _("Massage parlour or sauna")
    BROTHEL = "brothel", _("Brothel")
    FREELANCE = "freelance", _("Freelance or street-based")
    ENTERTAINMENT = "entertainment", _("Entertainment venue or go-go bar")
    RESTAURANT = "restaurant", _("Restaurant with hostesses")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    # "Thai" the language and "Thai" the nationality differ in Thai (ภาษาไทย / ไทย).
    ENGLISH = "en", pgettext_lazy("language", "English")
    THAI = "th", pgettext_lazy("language", "Thai")


class Province(models.TextChoices):
    BANGKOK = "bangkok", _("Bangkok")
    AMNAT_CHAROEN = "amnat-charoen", _("Amnat Charoen")
    ANG_THONG = "ang-thong", _("Ang Thong")
    BUENG_KAN = "bueng-kan", _("Bueng Kan")
    BURIRAM = "buriram", _("Buriram")
    CHACHOENGSAO = "chachoengsao", _("Chachoengsao")
    CHAI_NAT = "chai-nat", _("Chai Nat")
    CHAIYAPHUM = "chaiyaphum", _("Chaiyaphum")
    CHANTHABURI = "chanthaburi", _("Chanthaburi")
    CHIANG_MAI = "chiang-mai", _("Chiang Mai")
    CHIANG_RAI = "chiang-rai", _("Chiang Rai")
    CHONBURI = "chonburi", _("Chonburi")
    CHUMPHON = "chumphon", _("Chumphon")
    KALASIN = "kalasin", _("Kalasin")
    KAMPHAENG_PHET = "kamphaeng-phet", _("Kamphaeng Phet")
    KANCHANABURI = "kanchanaburi", _("Kanchanaburi")
    KHON_KAEN = "khon-kaen", _("Khon Kaen")
    KRABI = "krabi", _("Krabi")
    LAMPANG = "lampang", _("Lampang")
    LAMPHUN = "lamphun", _("Lamphun")
    LOEI = "loei", _("Loei")
    LOPBURI = "lopburi", _("Lopburi")
    MAE_HONG_SON = "mae-hong-son", _("Mae Hong Son")
    MAHA_SARAKHAM = "maha-sarakham", _("Maha Sarakham")
    MUKDAHAN = "mukdahan", _("Mukdahan")
    NAKHON_NAYOK = "nakhon-nayok", _("Nakhon Nayok")
    NAKHON_PATHOM = "nakhon-pathom", _("Nakhon Pathom")
    NAKHON_PHANOM = "nakhon-phanom", _("Nakhon Phanom")
    NAKHON_RATCHASIMA = "nakhon-ratchasima", _("Nakhon Ratchasima")
    NAKHON_SAWAN = "nakhon-sawan", _("Nakhon Sawan")
    NAKHON_SI_THAMMARAT = "nakhon-si-thammarat", _("Nakhon Si Thammarat")
    NAN = "nan", _("Nan")
    NARATHIWAT = "narathiwat", _("Narathiwat")
    NONG_BUA_LAMPHU = "nong-bua-lamphu", _("Nong Bua Lamphu")
    NONG_KHAI = "nong-khai", _("Nong Khai")
    NONTHABURI = "nonthaburi", _("Nonthaburi")
    PATHUM_THANI = "pathum-thani", _("Pathum Thani")
    PATTANI = "pattani", _("Pattani")
    PHANG_NGA = "phang-nga", _("Phang Nga")
    PHATTHALUNG = "phatthalung", _("Phatthalung")
    PHAYAO = "phayao", _("Phayao")
    PHETCHABUN = "phetchabun", _("Phetchabun")
    PHETCHABURI = "phetchaburi", _("Phetchaburi")
    PHICHIT = "phichit", _("Phichit")
    PHITSANULOK = "phitsanulok", _("Phitsanulok")
    PHRA_NAKHON_SI_AYUTTHAYA = "ayutthaya", _("Phra Nakhon Si Ayutthaya")
    PHRAE = "phrae", _("Phrae")
    PHUKET = "phuket", _("Phuket")
    PRACHINBURI = "prachinburi", _("Prachinburi")
    PRACHUAP_KHIRI_KHAN = "prachuap-khiri-khan", _("Prachuap Khiri Khan")
    RANONG = "ranong", _("Ranong")
    RATCHABURI = "ratchaburi", _("Ratchaburi")
    RAYONG = "rayong", _("Rayong")
    ROI_ET = "roi-et", _("Roi Et")
    SA_KAEO = "sa-kaeo", _("Sa Kaeo")
    SAKON_NAKHON = "sakon-nakhon", _("Sakon Nakhon")
    SAMUT_PRAKAN = "samut-prakan", _("Samut Prakan")
    SAMUT_SAKHON = "samut-sakhon", _("Samut Sakhon")
    SAMUT_SONGKHRAM = "samut-songkhram", _("Samut Songkhram")
    SARABURI = "saraburi", _("Saraburi")
    SATUN = "satun", _("Satun")
    SING_BURI = "sing-buri", _("Sing Buri")
    SISAKET = "sisaket", _("Sisaket")
    SONGKHLA = "songkhla", _("Songkhla")
    SUKHOTHAI = "sukhothai", _("Sukhothai")
    SUPHAN_BURI = "suphan-buri", _("Suphan Buri")
    SURAT_THANI = "surat-thani", _("Surat Thani")
    SURIN = "surin", _("Surin")
    TAK = "tak", _("Tak")
    TRANG = "trang", _("Trang")
    TRAT = "trat", _("Trat")
    UBON_RATCHATHANI = "ubon-ratchathani", _("Ubon Ratchathani")
    UDON_THANI = "udon-thani", _("Udon Thani")
    UTHAI_THANI = "uthai-thani", _("Uthai Thani")
    UTTARADIT = "uttaradit", _("Uttaradit")
    YALA = "yala", _("Yala")
    YASOTHON = "yasothon", _("Yasothon")


class Perpetrator(models.TextChoices):
    POLICE = "police", _("Police")
    IMMIGRATION = "immigration", _("Immigration officers")
    DSI = "dsi", _("Department of Special Investigation")
    SOCIAL_WELFARE = "social-welfare", _("Social welfare officials")
    SHELTER_STAFF = "shelter-staff", _("Shelter staff")
    NGO = "ngo", _("NGO staff")
    MEDICAL_STAFF = "medical-staff", _("Medical staff")
    COURT = "court", _("Court or prosecutor")
    EMPLOYER = "employer", _("Employer or venue owner")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    """The stored codes of a choices class, for check constraints."""
    return [value for value, _label in choices.choices]
