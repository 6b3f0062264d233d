"""Generate the ILLUSTRATIVE practices data set: data/practices/illustrative_practices.csv.

Every record written by this script is INVENTED. It exists to test and demonstrate the GCM Review
Workbook (validation, country resolution, tallies by objective and guiding question, brief
layout). No State or organisation submitted any of these practices; submitter names are used
only to make the records look like real submissions. Every practice_id starts with "ILL-" so
that anything built from this file can be recognised as illustrative.

The texts are built from a hand-written library of practice "seeds" (themes of UNECE
roundtable 3, rights-based border governance: GCM objectives 4, 8, 9, 10, 11, 13 and 21, plus
COVID-19). Each seed has one or more variants with their own title and description; each
variant is used once, adapted to a country or stakeholder and filled in with varied details.

Deterministic: a fixed seed, no dependence on hash ordering, sorted output, "\\n" line endings,
UTF-8 without BOM. Standard library only.

    .venv/bin/python scripts/make_illustrative_practices.py            # writes the shipped file
    .venv/bin/python scripts/make_illustrative_practices.py --out PATH # writes elsewhere
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import textwrap
from pathlib import Path

# fmt: off
SEED = 20200212  # fixed: the file must be byte-identical on every run
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "practices" / "illustrative_practices.csv"

COLUMNS = [
    "practice_id", "submitter", "submitter_type", "country", "objectives", "gcm_actions", "title",
    "description", "guiding_questions", "principles", "practice_type", "target_groups",
    "covid19", "year_start", "year_end", "status", "partners", "source_ref", "language",
    "submitted",  # the contract's resubmission date: empty, the illustrative file is one submission
]

PRINCIPLES = [
    "people-centred", "international-cooperation", "national-sovereignty", "rule-of-law",
    "sustainable-development", "human-rights", "gender-responsive", "child-sensitive",
    "whole-of-government", "whole-of-society",
]
COMMON_PRINCIPLES = [
    "human-rights", "gender-responsive", "child-sensitive", "whole-of-government",
    "whole-of-society",
]

# --------------------------------------------------------------------------------------------
# Countries: UNECE member States (ISO3) -> name used in prose, two cities, a region, UNECE
# neighbours (land or sea) usable for bilateral practices.
# --------------------------------------------------------------------------------------------
COUNTRIES = {
    "ALB": ("Albania", "Tirana", "Shkodër", "Gjirokastër County", ["GRC", "MNE", "MKD"]),
    "AND": ("Andorra", "Andorra la Vella", "Escaldes-Engordany", "the Pas de la Casa area",
            ["ESP", "FRA"]),
    "ARM": ("Armenia", "Yerevan", "Gyumri", "Syunik Province", ["GEO"]),
    "AUT": ("Austria", "Vienna", "Graz", "Burgenland",
            ["DEU", "HUN", "SVN", "SVK", "CZE", "ITA", "CHE"]),
    "AZE": ("Azerbaijan", "Baku", "Ganja", "the Astara district", ["GEO", "RUS"]),
    "BLR": ("Belarus", "Minsk", "Brest", "the Hrodna region", ["POL", "LTU", "LVA", "UKR"]),
    "BEL": ("Belgium", "Brussels", "Antwerp", "West Flanders", ["FRA", "NLD", "DEU", "LUX"]),
    "BIH": ("Bosnia and Herzegovina", "Sarajevo", "Banja Luka", "Una-Sana Canton",
            ["HRV", "SRB", "MNE"]),
    "BGR": ("Bulgaria", "Sofia", "Plovdiv", "Haskovo Province",
            ["TUR", "GRC", "ROU", "SRB", "MKD"]),
    "CAN": ("Canada", "Ottawa", "Montreal", "southern Quebec", ["USA"]),
    "HRV": ("Croatia", "Zagreb", "Split", "Karlovac County", ["SVN", "HUN", "SRB", "BIH", "MNE"]),
    "CYP": ("Cyprus", "Nicosia", "Limassol", "the Larnaca district", ["GRC"]),
    "CZE": ("Czechia", "Prague", "Brno", "the South Moravian Region",
            ["DEU", "POL", "AUT", "SVK"]),
    "DNK": ("Denmark", "Copenhagen", "Aarhus", "Southern Jutland", ["DEU", "SWE"]),
    "EST": ("Estonia", "Tallinn", "Tartu", "Ida-Viru County", ["LVA", "FIN"]),
    "FIN": ("Finland", "Helsinki", "Tampere", "Lapland", ["SWE", "NOR", "EST"]),
    "FRA": ("France", "Paris", "Marseille", "the Alpes-Maritimes",
            ["ESP", "ITA", "BEL", "DEU", "CHE", "GBR"]),
    "GEO": ("Georgia", "Tbilisi", "Batumi", "Samtskhe-Javakheti", ["ARM", "AZE", "TUR"]),
    "DEU": ("Germany", "Berlin", "Munich", "Bavaria",
            ["AUT", "CZE", "POL", "DNK", "NLD", "BEL", "FRA", "CHE"]),
    "GRC": ("Greece", "Athens", "Thessaloniki", "the Evros region", ["TUR", "BGR", "MKD", "ALB"]),
    "HUN": ("Hungary", "Budapest", "Szeged", "Csongrád-Csanád County",
            ["SRB", "ROU", "AUT", "SVK", "HRV"]),
    "ISL": ("Iceland", "Reykjavík", "Akureyri", "the Reykjanes peninsula", ["NOR", "DNK"]),
    "IRL": ("Ireland", "Dublin", "Cork", "County Donegal", ["GBR"]),
    "ISR": ("Israel", "Tel Aviv", "Haifa", "the Negev", []),
    "ITA": ("Italy", "Rome", "Palermo", "Sicily", ["FRA", "CHE", "AUT", "SVN", "MLT"]),
    "KAZ": ("Kazakhstan", "Almaty", "Shymkent", "the Turkistan region",
            ["KGZ", "UZB", "TKM", "RUS"]),
    "KGZ": ("Kyrgyzstan", "Bishkek", "Osh", "the Batken region", ["KAZ", "UZB", "TJK"]),
    "LVA": ("Latvia", "Riga", "Daugavpils", "Latgale", ["EST", "LTU", "BLR"]),
    "LIE": ("Liechtenstein", "Vaduz", "Schaan", "the Rhine valley", ["CHE", "AUT"]),
    "LTU": ("Lithuania", "Vilnius", "Kaunas", "Alytus County", ["LVA", "BLR", "POL"]),
    "LUX": ("Luxembourg", "Luxembourg City", "Esch-sur-Alzette", "the Minett region",
            ["BEL", "FRA", "DEU"]),
    "MLT": ("Malta", "Valletta", "Birżebbuġa", "the Hal Far area", ["ITA"]),
    "MCO": ("Monaco", "Monaco", "Monte Carlo", "the port area", ["FRA"]),
    "MNE": ("Montenegro", "Podgorica", "Bar", "the Plav municipality",
            ["ALB", "SRB", "BIH", "HRV"]),
    "NLD": ("the Netherlands", "Amsterdam", "Rotterdam", "Limburg", ["BEL", "DEU"]),
    "MKD": ("North Macedonia", "Skopje", "Bitola", "the Gevgelija area",
            ["GRC", "SRB", "BGR", "ALB"]),
    "NOR": ("Norway", "Oslo", "Bergen", "Finnmark", ["SWE", "FIN"]),
    "POL": ("Poland", "Warsaw", "Lublin", "Podlaskie Voivodeship",
            ["DEU", "CZE", "SVK", "UKR", "BLR", "LTU"]),
    "PRT": ("Portugal", "Lisbon", "Porto", "the Algarve", ["ESP"]),
    "MDA": ("the Republic of Moldova", "Chișinău", "Bălți", "the Cahul district", ["ROU", "UKR"]),
    "ROU": ("Romania", "Bucharest", "Timișoara", "Timiș County",
            ["MDA", "UKR", "HUN", "SRB", "BGR"]),
    "RUS": ("the Russian Federation", "Moscow", "Saint Petersburg", "the Orenburg region",
            ["KAZ", "FIN", "EST", "BLR", "GEO", "AZE"]),
    "SMR": ("San Marino", "San Marino", "Serravalle", "the border area", ["ITA"]),
    "SRB": ("Serbia", "Belgrade", "Novi Sad", "the Subotica area",
            ["HUN", "HRV", "BIH", "MNE", "MKD", "BGR", "ROU"]),
    "SVK": ("Slovakia", "Bratislava", "Košice", "the Košice region",
            ["CZE", "AUT", "HUN", "UKR", "POL"]),
    "SVN": ("Slovenia", "Ljubljana", "Maribor", "Bela krajina", ["ITA", "AUT", "HUN", "HRV"]),
    "ESP": ("Spain", "Madrid", "Almería", "Andalusia", ["FRA", "PRT"]),
    "SWE": ("Sweden", "Stockholm", "Malmö", "Skåne", ["NOR", "FIN", "DNK"]),
    "CHE": ("Switzerland", "Bern", "Geneva", "Ticino", ["FRA", "DEU", "AUT", "ITA", "LIE"]),
    "TJK": ("Tajikistan", "Dushanbe", "Khujand", "the Khatlon region", ["KGZ", "UZB"]),
    "TUR": ("Türkiye", "Ankara", "Istanbul", "Van Province", ["GRC", "BGR", "GEO"]),
    "TKM": ("Turkmenistan", "Ashgabat", "Türkmenabat", "the Lebap region", ["UZB", "KAZ"]),
    "UKR": ("Ukraine", "Kyiv", "Odesa", "Zakarpattia", ["POL", "SVK", "HUN", "ROU", "MDA"]),
    "GBR": ("the United Kingdom", "London", "Dover", "Kent", ["FRA", "IRL"]),
    "USA": ("the United States", "Washington", "El Paso", "the south-west border region",
            ["CAN"]),
    "UZB": ("Uzbekistan", "Tashkent", "Samarkand", "the Fergana Valley",
            ["KAZ", "KGZ", "TJK", "TKM"]),
}
assert len(COUNTRIES) == 56

# Real-world spellings that a country resolver must handle; used in turn for these countries.
SPELLINGS = {
    "TUR": ["Türkiye", "Turkey", "TUR"],
    "CZE": ["Czechia", "Czech Republic", "CZE"],
    "MDA": ["Republic of Moldova", "MDA"],
    "GBR": ["United Kingdom of Great Britain and Northern Ireland", "GBR"],
}

MICRO = {"AND", "LIE", "MCO", "SMR"}
SEA_ONLY = {"CYP", "MLT", "ISL"}  # no land border with another UNECE member State
NO_ID_CARD = ["GBR", "USA", "CAN", "IRL", "DNK"]
# Schengen area in 2020: no border checks between these, so no joint crossing points or patrols.
SCHENGEN = {"AUT", "BEL", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "ITA",
            "LVA", "LIE", "LTU", "LUX", "MLT", "NLD", "NOR", "POL", "PRT", "SVK", "SVN", "ESP",
            "SWE", "CHE", "MCO", "SMR"}
POST_SOVIET = {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"}
CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
SEA = ["ITA", "GRC", "MLT", "ESP", "CYP", "HRV", "TUR", "FRA", "PRT"]
ORIGIN = ["ALB", "ARM", "AZE", "BIH", "GEO", "KGZ", "MDA", "MKD", "MNE", "SRB", "TJK", "UKR",
          "UZB", "KAZ", "BLR", "ROU", "BGR"]
NON_EU_ORIGIN = [c for c in ORIGIN if c not in ("ROU", "BGR")]
DEST = ["AUT", "BEL", "CHE", "DEU", "DNK", "FIN", "FRA", "GBR", "IRL", "ITA", "LUX", "NLD",
        "NOR", "SWE", "ESP", "PRT", "CAN", "USA", "ISL", "CZE", "POL", "RUS", "KAZ", "ISR"]
TRANSIT = ["GRC", "BGR", "SRB", "BIH", "HRV", "HUN", "MKD", "TUR", "SVN", "ROU", "ALB", "MNE",
           "ITA", "ESP", "MLT", "CYP", "POL", "LTU", "LVA", "USA", "UKR"]
LAND_TRANSIT = ["GRC", "BGR", "SRB", "BIH", "HRV", "HUN", "MKD", "TUR", "SVN", "ROU", "ALB",
                "MNE", "POL", "LTU", "LVA", "USA", "UKR"]
SEA_PARTNERS = {"ITA": ["MLT", "GRC", "FRA", "ESP", "HRV"], "GRC": ["ITA", "TUR", "CYP"],
                "MLT": ["ITA"], "ESP": ["FRA", "PRT", "ITA"], "CYP": ["GRC"], "HRV": ["ITA"],
                "TUR": ["GRC"], "FRA": ["ESP", "ITA", "GBR"], "PRT": ["ESP"]}
# Land borders without border checks outside Schengen (Common Travel Area; Union State).
NO_CHECKS = {("GBR", "IRL"), ("IRL", "GBR"), ("GBR", "FRA"), ("FRA", "GBR"), ("BLR", "RUS"),
             ("RUS", "BLR")}
BORDER_DEATHS = ["GRC", "BGR", "SRB", "BIH", "HRV", "HUN", "MKD", "TUR", "SVN", "ROU", "USA"]
ROMA = ["ALB", "BIH", "BGR", "HRV", "HUN", "MKD", "MNE", "ROU", "SRB", "SVK", "CZE", "MDA", "UKR"]
COAST = {"ITA": "Lampedusa", "GRC": "Lesvos", "MLT": "Malta", "ESP": "the coast of Almería",
         "CYP": "Cape Greco", "HRV": "the Istrian coast", "TUR": "the coast of Izmir",
         "FRA": "Calais", "PRT": "the Algarve coast"}
DETENTION = ["AUT", "BEL", "BGR", "CAN", "CHE", "CYP", "CZE", "DEU", "DNK", "ESP", "EST",
             "FIN", "FRA", "GBR", "GRC", "HRV", "HUN", "IRL", "ITA", "LTU", "LVA", "MLT", "NLD",
             "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "SWE", "USA", "GEO", "MKD", "SRB",
             "ARM", "MDA", "UKR", "TUR", "ISR", "LUX", "ISL"]

# Language of the (imaginary) submission, by country: (language, probability), else "en".
STATE_LANG = {
    "FRA": [("fr", 0.6)], "BEL": [("fr", 0.4)], "LUX": [("fr", 0.5)], "MCO": [("fr", 0.8)],
    "CHE": [("fr", 0.35), ("de", 0.35)], "DEU": [("de", 0.5)], "AUT": [("de", 0.5)],
    "LIE": [("de", 0.7)], "ESP": [("es", 0.6)], "AND": [("es", 0.4)],
    "RUS": [("ru", 0.7)], "BLR": [("ru", 0.6)], "KAZ": [("ru", 0.5)], "KGZ": [("ru", 0.5)],
    "TJK": [("ru", 0.4)], "TKM": [("ru", 0.5)], "UZB": [("ru", 0.35)],
    "ARM": [("ru", 0.15)], "AZE": [("ru", 0.15)],
}

# --------------------------------------------------------------------------------------------
# State authorities: kind -> (submitter pattern, how the text refers to it)
# --------------------------------------------------------------------------------------------
AUTHORITIES = {
    "interior": ("Ministry of the Interior of {c}", "the ministry"),
    "border": ("Border Police of {c}", "the border police"),
    "registry": ("Civil Registry Agency of {c}", "the civil registry"),
    "migration": ("Migration Agency of {c}", "the migration service"),
    "foreign": ("Ministry of Foreign Affairs of {c}", "the ministry"),
    "justice": ("Ministry of Justice of {c}", "the ministry"),
    "police": ("National Police of {c}", "the police"),
    "prosecutor": ("Office of the Prosecutor General of {c}", "the prosecutor's office"),
    "labour": ("State Labour Inspectorate of {c}", "the labour inspectorate"),
    "social": ("Ministry of Labour and Social Protection of {c}", "the ministry"),
    "health": ("Ministry of Health of {c}", "the ministry"),
    "coast": ("Coast Guard of {c}", "the coast guard"),
    "coordinator": ("National Anti-Trafficking Coordinator of {c}", "the coordinator"),
    "fiu": ("Financial Intelligence Unit of {c}", "the financial intelligence unit"),
    "statistics": ("National Statistical Office of {c}", "the statistical office"),
    "employment": ("National Employment Agency of {c}", "the employment agency"),
    "forensic": ("Institute of Forensic Medicine of {c}", "the institute"),
}
POST_SOVIET_AUTH = {
    "interior": "Ministry of Internal Affairs of {c}",
    "border": "State Border Guard Service of {c}",
    "migration": "State Migration Service of {c}",
}
AUTH_OVERRIDE = {
    ("GBR", "interior"): "Home Office of the United Kingdom",
    ("GBR", "border"): "Border Force of the United Kingdom",
    ("GBR", "foreign"): "Foreign, Commonwealth and Development Office of the United Kingdom",
    ("USA", "interior"): "Department of Homeland Security of the United States",
    ("USA", "border"): "Customs and Border Protection of the United States",
    ("USA", "foreign"): "Department of State of the United States",
    ("USA", "migration"): "Citizenship and Immigration Services of the United States",
    ("USA", "justice"): "Department of Justice of the United States",
    ("USA", "labour"): "Department of Labor of the United States",
    ("USA", "health"): "Department of Health and Human Services of the United States",
    ("USA", "social"): "Department of Health and Human Services of the United States",
    ("USA", "police"): "Federal Bureau of Investigation of the United States",
    ("CAN", "police"): "Royal Canadian Mounted Police",
    ("GBR", "police"): "National Crime Agency of the United Kingdom",
    ("GBR", "migration"): "UK Visas and Immigration, Home Office",
    ("CAN", "border"): "Border Services Agency of Canada",
    ("CAN", "migration"): "Department of Immigration, Refugees and Citizenship of Canada",
    ("POL", "border"): "Border Guard of Poland",
    ("FIN", "border"): "Border Guard of Finland",
    ("LVA", "border"): "State Border Guard of Latvia",
    ("LTU", "border"): "State Border Guard Service of Lithuania",
    ("EST", "border"): "Police and Border Guard Board of Estonia",
}

# --------------------------------------------------------------------------------------------
# Stakeholders (all names are used for illustration only): name, type, home, language, ref
# home "UNECE" = a region-wide body; it submits only region-wide practices.
# --------------------------------------------------------------------------------------------
STAKEHOLDERS = [
    ("United Nations Country Team in Kyrgyzstan", "un_entity", "KGZ", "en", "the UN country team"),
    ("United Nations Country Team in Serbia", "un_entity", "SRB", "en", "the UN country team"),
    ("United Nations Country Team in Ukraine", "un_entity", "UKR", "en", "the UN country team"),
    ("Regional UN Network on Migration for Europe and Central Asia", "un_entity", "UNECE", "en",
     "the network"),
    ("Aegean Legal Aid Collective", "civil_society", "GRC", "en", "the collective"),
    ("Caucasus Child Rights Alliance", "civil_society", "GEO", "en", "the alliance"),
    ("Balkan Refugee Support Network", "civil_society", "BIH", "en", "the network"),
    ("Foundation for Safe Migration", "civil_society", "MDA", "en", "the foundation"),
    ("Central Asian Migrant Rights Coalition", "civil_society", "KGZ", "ru", "the coalition"),
    ("Association d'aide aux personnes exilées", "civil_society", "FRA", "fr", "the association"),
    ("Plataforma Frontera Sur", "civil_society", "ESP", "es", "the platform"),
    ("Verein für Rückkehr- und Perspektivenberatung", "civil_society", "AUT", "de",
     "the association"),
    ("Tajik Migrant Workers' Association in Russia", "migrant_diaspora_org", "RUS", "ru",
     "the association"),
    ("Ukrainian Migrant Women's Association in Poland", "migrant_diaspora_org", "POL", "en",
     "the association"),
    ("Council of the Eritrean Community in Italy", "migrant_diaspora_org", "ITA", "en",
     "the council"),
    ("Tartu Institute for Border Research", "academia", "EST", "en", "the institute"),
    ("Southern Europe Forensic Identification Centre", "academia", "ITA", "en", "the centre"),
    ("Almaty Centre for Migration Law Studies", "academia", "KAZ", "ru", "the centre"),
    ("Chișinău Institute for Migration and Development Studies", "academia", "MDA", "en",
     "the institute"),
    ("Airline Passenger Data Working Group", "private_sector", "UNECE", "en", "the working group"),
    ("Hospitality Alliance against Modern Slavery", "private_sector", "GBR", "en", "the alliance"),
    ("Association of Road Hauliers of North Macedonia", "private_sector", "MKD", "en",
     "the association"),
    ("Mediterranean Shipowners' Safety Forum", "private_sector", "MLT", "en", "the forum"),
    ("Municipality of Edirne", "local_authority", "TUR", "en", "the municipality"),
    ("Canton of Geneva, Population and Migration Office", "local_authority", "CHE", "fr",
     "the cantonal office"),
    ("Una-Sana Canton Centre for Social Work", "local_authority", "BIH", "en", "the centre"),
    ("City of Thessaloniki", "local_authority", "GRC", "en", "the city"),
    ("Protector of Citizens of Serbia", "nhri", "SRB", "en", "the Protector of Citizens"),
    ("Public Defender of Georgia", "nhri", "GEO", "en", "the Public Defender"),
    ("People's Advocate of the Republic of Moldova", "nhri", "MDA", "en", "the People's Advocate"),
    ("Commissioner for Human Rights of Kazakhstan", "nhri", "KAZ", "ru", "the Commissioner"),
    ("Défenseur des droits", "nhri", "FRA", "fr", "the Défenseur des droits"),
    ("Federation of Agricultural Workers' Unions of Italy", "trade_union", "ITA", "en",
     "the federation"),
    ("Bulgarian Transport Workers' Union", "trade_union", "BGR", "en", "the union"),
    ("Standing Committee on Human Rights, National Assembly of Armenia", "parliament", "ARM", "en",
     "the committee"),
    ("Joint Committee on Justice and Home Affairs, Parliament of Ireland", "parliament", "IRL",
     "en", "the committee"),
    ("Regional Investigative Journalism Centre", "media", "UNECE", "en", "the centre"),
    ("Fergana Valley Community Radio Network", "media", "UZB", "ru", "the network"),
    ("Regional Forensic Network on Missing Migrants", "other", "UNECE", "en", "the network"),
    ("Interfaith Council for Refugees", "other", "HUN", "en", "the council"),
]
STAKEHOLDER_TYPES = sorted({s[1] for s in STAKEHOLDERS})

# --------------------------------------------------------------------------------------------
# Numbers that fill in the texts: name -> (low, high, step)
# --------------------------------------------------------------------------------------------
NUMS = {
    "n_small": (3, 12, 1), "n_teams": (4, 14, 1), "n_people": (120, 4800, 10),
    "n_officers": (40, 640, 5), "n_days": (10, 30, 1), "n_hours": (24, 72, 24),
    "n_months": (3, 12, 3), "n_weeks": (4, 12, 4), "pct": (55, 92, 1),
    "n_visits": (12000, 180000, 1000), "n_consulates": (12, 60, 1), "n_rescued": (300, 6500, 10),
    "n_vehicles": (4, 30, 1), "n_requests": (400, 3200, 10), "n_assets": (2, 12, 1),
    "n_beds": (12, 40, 2), "n_countries": (6, 19, 1), "n_records": (180, 1600, 10),
    "n_sect": (2, 9, 1), "n_art": (7, 64, 1), "n_ratio": (3, 6, 1), "n_eur": (1000, 3500, 500),
    "n_languages": (6, 24, 1), "n_families": (12, 140, 1), "n_children": (800, 9000, 50),
    "n_staff": (8, 45, 1), "n_page": (12, 140, 1), "n_reach": (5000, 60000, 500),
    "n_benef": (2000, 40000, 100), "n_reflection": (60, 90, 30),
    "n_pupils": (200, 1500, 50), "n_released": (40, 900, 10),
    "n_cases": (60, 600, 10), "n_hosted": (40, 400, 5), "n_interviews": (80, 600, 10),
    "n_detainees": (60, 900, 10), "n_referred": (30, 600, 10), "n_victims": (20, 400, 5),
}

PARTNERS_ALL = ["IOM", "UNHCR", "UNODC", "UNICEF", "OHCHR", "Frontex", "OSCE", "ICRC",
                "national Red Cross society", "local NGOs"]


# --------------------------------------------------------------------------------------------
# The seed library
# --------------------------------------------------------------------------------------------
def V(title, desc, st="oc", **kw):
    """One variant of a seed: its own title and description, the statuses its tense allows
    (o ongoing, c completed, p planned), and optional overrides of the seed's fields."""
    return {"title": title, "desc": " ".join(textwrap.dedent(desc).split()), "st": st, **kw}


def S(key, obj, q, ptype, tg, pr, by, variants, partners=(), docs=(), countries=None,
      scope="national", covid=False, micro=False, external=False, pair_pool=None):
    """A practice seed: its objectives, guiding questions, type, target groups, principles,
    the kinds of submitter that may report it, and its variants."""
    return {"key": key, "obj": obj, "q": q, "ptype": ptype, "tg": tg, "pr": pr, "by": by,
            "variants": variants, "partners": list(partners), "docs": list(docs),
            "countries": countries, "scope": scope, "covid": covid, "micro": micro,
            "external": external, "pair_pool": pair_pool}


SEEDS = [
    # ===================== Objective 4: legal identity and documentation =====================
    S("mobile-birth-registration", [4], [1], "programme", ["children", "stateless_persons"],
      ["child-sensitive", "human-rights", "whole-of-government"], ["registry"], [
          V("Mobile civil registration teams in {region}", """
            Between {y} and {y_end}, {n_teams} mobile teams of the civil registry travelled to
            villages in {region} and registered births that had never been recorded. {n_children}
            children and adults received birth certificates, for most of them the first
            document proving their identity.""", "c"),
          V("Simplified late birth registration", """
            Since {y}, a birth that was not registered on time can be recorded on the basis of a
            medical statement and two witnesses instead of a court ruling. Social workers in
            {city2} and {region} help families collect the evidence, and {n_people} late
            registrations were completed in the first two years.""", "o"),
      ], partners=["UNICEF", "UNHCR", "local NGOs"],
      docs=["Law on Civil Status Acts ({y}), art. {n_art}"]),
    S("statelessness-procedure", [4], [1], "law_policy", ["stateless_persons"],
      ["human-rights", "rule-of-law"], ["migration", "justice"], [
          V("Statelessness determination procedure established in law", """
            An amendment to the Law on Foreigners adopted in {y} created a dedicated procedure to
            determine statelessness, with a personal interview, free legal aid and a right of
            appeal. Persons recognised as stateless receive a residence permit and a travel
            document; {n_small}0 applications were decided in the first year.""", "o"),
          V("Planned procedure to identify stateless persons among long-term residents", """
            The migration service plans to introduce a procedure from {y} to identify stateless
            persons and persons at risk of statelessness among long-term residents without valid
            documents. A working group with the civil registry and the courts is drafting rules on
            evidence and on sharing the burden of proof with the applicant.""", "p",
            by=["migration"]),
      ], partners=["UNHCR"], micro=True,
      docs=["Law on the Legal Status of Foreigners and Stateless Persons, art. {n_art}"]),
    S("statelessness-central-asia", [4], [1], "programme", ["stateless_persons"],
      ["human-rights", "whole-of-society", "national-sovereignty"], ["migration", "civil_society"], [
          V("Nationwide campaign to identify and document stateless persons", """
            Together with local civil-society partners, the migration authorities ran a
            {n_months}-month campaign to find residents holding only Soviet-era passports or no
            documents at all. {n_people} people were confirmed as nationals or granted
            citizenship, and the others received residence documents while their cases are
            resolved.""", "c", by=["migration"]),
          V("Legal clinics for people with undetermined nationality", """
            Lawyers of {who} hold weekly clinics in {city2} and in rural districts of {region} for
            people whose nationality has never been determined. They help clients obtain archive
            records, file citizenship applications and appeal refusals; {n_small}0 cases were
            resolved in {y}.""", "o", by=["civil_society"]),
          V("Amnesty for stateless persons without documents", """
            A temporary amnesty law adopted in {y} allowed stateless persons living in the
            country without any documents to apply for a residence permit and, after five years,
            for citizenship. Application points were opened in every district office of the
            migration service.""", "c", by=["migration"]),
      ], partners=["UNHCR", "local NGOs"], countries=CENTRAL_ASIA,
      docs=["Submission to the UNECE regional review, 2020, para. {n_sect}"]),
    S("consular-documentation", [4], [1], "service", [],
      ["people-centred", "whole-of-government"], ["foreign"], [
          V("Biometric passports issued through consulates", """
            Since {y}, nationals living abroad can apply for a biometric passport at any of the
            {n_consulates} consulates of {country} instead of travelling home. Applications are
            checked against the central population register, and passports are delivered by
            courier within {n_days} working days.""", "o", micro=False),
          V("Mobile consular days for labour migrants", """
            Consular staff hold mobile consular days in towns with large communities of labour
            migrants from {country}, renewing passports and issuing certificates of return on the
            spot. In {y} the teams visited {n_small} towns and processed {n_people}
            applications.""", "o", countries=ORIGIN),
      ], partners=["IOM"], docs=["Consular Service Annual Report {y}, p. {n_page}"]),
    S("pre-departure", [4], [1], "programme", ["women"],
      ["people-centred", "gender-responsive", "whole-of-government"],
      ["migration", "social", "un_entity"], [
          V("Pre-departure orientation and document checks for labour migrants", """
            Migrant resource centres in {city1} and {city2} check that departing workers hold a
            valid passport, a written contract and the visa or work permit of the country of
            destination. {n_people} people attended the pre-departure sessions in {y}, which also
            explain how to reach consulates and hotlines abroad.""", "o",
            by=["migration", "social"]),
          V("Online portal on documents needed for work abroad", """
            A government portal launched in {y} lets prospective migrants check whether a
            recruitment agency is licensed, see which documents the main destination countries
            require and store copies of their contract and passport. It recorded {n_visits}
            visits in its first year.""", "o", by=["migration", "social"]),
          V("Pre-departure information for women migrant workers", """
            {Who} supported the employment service in {y} to add a module for women to its
            pre-departure courses, covering domestic-work contracts, keeping one's own passport and
            where to seek help abroad. Trainers in {n_small} regional offices were coached by a
            women's rights organisation.""", "c", by=["un_entity"]),
      ], partners=["IOM", "local NGOs"], countries=ORIGIN,
      docs=["National Strategy on Labour Migration {y}-{y4}, sect. {n_sect}"]),
    S("document-security", [4, 11], [1, 2], "mechanism", [],
      ["national-sovereignty", "rule-of-law"], ["border", "police"], [
          V("Document examination units at main border crossings", """
            Document examination units with forensic equipment were set up at {n_small} main
            crossing points, including the airport of {city1}. Their staff check suspected forged
            or fraudulently obtained documents and send alerts to a national contact point;
            {n_officers} front-line officers received basic training in document security.""",
            "o"),
          V("New identity card with enhanced security features", """
            The identity card issued from {y} carries a contactless chip with fingerprints and new
            printed security features. Issuing offices verify each applicant's identity against
            the civil register before enrolment, which reduces identity fraud and the risk of
            persons being left without a recognised document.""", "o", obj=[4], q=[1],
            by=["interior"], exclude=NO_ID_CARD),
      ], partners=["Frontex", "OSCE"], docs=["Document Security Action Plan {y}-{y4}"]),
    S("civil-register-digital", [4], [1], "data_system", ["children", "stateless_persons"],
      ["child-sensitive", "whole-of-government"], ["registry"], [
          V("Consular posts connected to the electronic civil register", """
            Consulates were given direct access to the electronic civil register in {y}, so that
            births, marriages and deaths of nationals abroad are recorded within days rather than
            months. Children born abroad can now obtain a birth certificate and a first passport
            in a single visit.""", "o", tg=["children"]),
          V("Electronic birth notification from maternity wards", """
            Maternity wards send an electronic birth notification to the civil registry on the day
            of birth, whatever the parents' nationality or residence status. Parents no longer
            have to show their own identity documents to obtain the birth certificate, a
            requirement that used to leave children of undocumented migrants unregistered.""",
            "o", pr=["child-sensitive", "human-rights", "whole-of-government"]),
      ], partners=["UNICEF"], docs=["Order of the Minister of Justice No. {n_art}/{y}"]),
    S("protection-documents", [4], [1], "service", ["stateless_persons", "other"],
      ["human-rights", "people-centred"], ["migration", "civil_society"], [
          V("Identity and travel documents for refugees and subsidiary protection holders", """
            Since {y}, refugees and holders of subsidiary protection receive a biometric residence
            card and, on request, a travel document that meets ICAO standards. Processing time fell
            to {n_days} days after the migration service joined the national electronic identity
            system.""", "o", by=["migration"]),
          V("Free legal help to obtain civil documents", """
            {Who} runs a free helpline and {n_small} legal aid points that help migrants, refugees
            and returnees obtain birth, marriage and identity documents from registries at home
            and abroad. In {y} the service handled {n_people} requests, a quarter of them for
            children.""", "o", by=["civil_society"], pr=["human-rights", "whole-of-society"]),
      ], partners=["UNHCR", "local NGOs"]),
    S("birth-registration-reception", [4], [1], "service", ["children", "stateless_persons"],
      ["child-sensitive", "human-rights"], ["registry", "justice"], [
          V("Birth registration in reception and transit centres", """
            Registrars visit the reception and transit centres of {region} once a week so that
            children born to asylum seekers and migrants are registered without delay. Since {y},
            {n_small}0 births have been registered on site, and parents receive a certified copy
            with an explanation in a language they understand.""", "o", countries=TRANSIT),
          V("Circular on registering children of undocumented parents", """
            A circular issued in {y} instructs registry offices to register every birth on the
            territory, even when the parents cannot present identity documents or residence
            permits. Registrars received training and an instruction sheet translated into
            {n_languages} languages.""", "o"),
      ], partners=["UNHCR", "UNICEF"],
      docs=["Circular No. {n_art} of the Civil Registry Agency ({y})"]),
    S("population-register", [4], [1], "data_system", [],
      ["whole-of-government", "national-sovereignty"], ["interior", "registry"], [
          V("Single population register with a personal identification number", """
            A single population register, in which every resident including foreigners and
            stateless persons has a personal identification number, replaced {n_small} separate
            registers in {y}. A person's identity can now be confirmed at any public office
            without paper documents.""", "o"),
          V("Fee waiver for first identity documents", """
            Fees for first identity cards and duplicate birth certificates were waived in {y} for
            persons registered late and for communities with low documentation rates. Roma
            mediators in {region} accompany applicants to the registry office and help with the
            forms.""", "o", tg=["stateless_persons", "children"],
            pr=["human-rights", "people-centred", "whole-of-society"], countries=ROMA),
      ], docs=["Population Register Act, art. {n_art}"]),
    S("documentation-research", [4], [1], "other", [],
      ["whole-of-society", "rule-of-law"], ["academia"], [
          V("Survey of documentation gaps among departing migrant workers", """
            Researchers of {who} interviewed {n_interviews} migrant workers in {city1} and {city2}
            about the documents they held when they left for work abroad. The study, published in
            {y_end}, found that one in {n_ratio_word} had left without a written contract and
            recommended a one-stop documentation service in the main sending regions.""", "c",
            countries=["MDA"]),
          V("Mapping study on statelessness", """
            A mapping study started in {y} estimated the number of stateless persons and persons
            at risk of statelessness in {country} at about {n_people}, using census data, civil
            registry records and {n_small}0 interviews. Its recommendations were taken up in the
            national action plan to end statelessness.""", "c", tg=["stateless_persons"],
            countries=["KAZ", "EST"]),
      ], partners=["UNHCR"]),
    S("parliament-birth-certificates", [4], [1], "other", ["children", "stateless_persons"],
      ["rule-of-law", "child-sensitive", "whole-of-society"], ["parliament"], [
          V("Parliamentary hearing on children without birth certificates", """
            {Who} held a public hearing in {y} with the civil registry, the ombudsperson and
            minority organisations on children who lack birth certificates. Its report asked the
            government to waive registration fees and to allow late registration at local level,
            and both measures were adopted the following year.""", "c", countries=["ARM"]),
      ]),

    # ===================== Objective 8: save lives; missing migrants ========================
    S("sar-coordination", [8, 11], [2], "agreement", [],
      ["international-cooperation", "human-rights"], ["coast"], [
          V("Maritime rescue coordination agreement with {neighbour}", """
            An agreement signed with {neighbour} in {y} sets out how the two maritime rescue
            coordination centres share distress alerts and decide which of them leads an
            operation. Joint exercises are held twice a year, and {n_rescued} people were rescued
            in operations coordinated under the agreement in its first two years.""", "o",
            scope="bilateral", pair_pool=SEA_PARTNERS),
          V("Additional search and rescue capacity at sea", """
            The coast guard added {n_small} offshore patrol vessels and a night-capable aircraft
            to its search and rescue fleet in {y}, with medical teams on board. Crews follow a
            disembarkation protocol under which unaccompanied children and persons needing
            medical care are handed over first.""", "o", obj=[8], q=[3],
            tg=["unaccompanied_children"], pr=["human-rights", "child-sensitive"]),
      ], partners=["IOM", "UNHCR"], countries=SEA, docs=["Maritime SAR Plan {y}, annex {n_sect}"]),
    S("forensic-identification", [8], [], "data_system", ["families_of_missing"],
      ["human-rights", "international-cooperation"], ["forensic", "justice", "other"], [
          V("Central forensic database of unidentified deceased migrants", """
            Since {y}, post-mortem data, photographs and DNA profiles of every unidentified body
            found near the border are entered in a single database run by the national forensic
            institute. Relatives abroad can submit ante-mortem data through consulates and the
            ICRC, and {n_small}0 migrants have been identified so far.""", "o",
            by=["forensic"], countries=BORDER_DEATHS),
          V("Protocol on the identification and burial of deceased migrants", """
            A protocol agreed in {y} between prosecutors, forensic services and municipalities
            in {region} requires DNA sampling, a record of personal effects and geo-referenced
            graves before burial. Each grave carries a case number so that remains can later be
            returned to the family.""", "o", by=["justice"], countries=TRANSIT),
          V("Regional platform for matching missing-migrant reports", """
            {Who} runs a secure platform on which forensic institutes of {n_countries} countries
            compare post-mortem records with missing-person reports filed by families. Since its
            launch in {y} it has produced {n_small}0 confirmed matches.""", "o", by=["other"],
            scope="region"),
      ], partners=["ICRC", "IOM"],
      docs=["Forensic Identification Protocol ({y}), sect. {n_sect}"]),
    S("family-tracing", [8], [], "service", ["families_of_missing"],
      ["human-rights", "people-centred"], ["civil_society", "police"], [
          V("Tracing service for families of missing migrants", """
            {Who} receives tracing requests from families who have lost contact with relatives
            on the move and passes them to Red Cross and Red Crescent societies along the route.
            Families are offered psychosocial support and regular updates; {n_people} requests
            were opened in {y}.""", "o", by=["civil_society"]),
          V("National contact point for reports of missing migrants", """
            The police designated a national contact point in {y} to which families abroad can
            report a migrant missing at or near the border, through consulates or humanitarian
            organisations. Each report is checked against records of persons in detention, in
            hospital and in the forensic database.""", "o", by=["police"]),
          V("Legal and administrative support to families of missing migrants", """
            {Who} helps families of migrants who went missing on the way to Europe with the legal
            and administrative consequences, such as obtaining a certificate of absence for
            inheritance, custody and remarriage. It also runs peer support groups for mothers and
            wives of the missing.""", "o", by=["migrant_diaspora_org"], countries=["ITA"],
            pr=["human-rights", "gender-responsive", "whole-of-society"], tg=["families_of_missing", "women"]),
      ], partners=["ICRC", "national Red Cross society"], countries=TRANSIT + DEST),
    S("dangerous-crossings", [8], [], "mechanism", [],
      ["human-rights", "whole-of-government"], ["border", "local_authority", "other"], [
          V("Rescue unit and warning signs at river crossings", """
            After repeated drownings in {region}, the border police and the mountain rescue
            service set up a joint rescue unit, installed multilingual warning signs and marked
            emergency points along the river. The unit carried out {n_small}0 rescues in
            {y}.""", "oc", by=["border"]),
          V("Winter emergency protocol for migrants in border areas", """
            Each winter since {y}, {who} opens heated shelters and runs night patrols with
            volunteers to find migrants stranded in forests and mountains near the border. Police
            officers who find migrants in distress must call an ambulance before any immigration
            procedure starts.""", "o", by=["local_authority"],
            pr=["human-rights", "whole-of-society", "people-centred"]),
          V("Volunteer first-aid points along the migration route", """
            {Who} trained {n_officers} volunteers from parishes and mosques in first aid and in
            recognising hypothermia, and opened {n_small} first-aid points near the southern
            border. Volunteers call the emergency number for anyone in danger and do not ask about
            legal status.""", "o", by=["other"], pr=["whole-of-society", "people-centred"]),
      ], partners=["national Red Cross society", "local NGOs"], countries=LAND_TRANSIT),
    S("emergency-line", [8], [], "service", [],
      ["people-centred", "human-rights"], ["interior", "private_sector"], [
          V("Multilingual emergency line for migrants in distress", """
            The 112 emergency service added interpretation in {n_languages} languages and trained
            dispatchers to obtain GPS coordinates from callers lost in border areas. Calls from
            migrants in distress are passed to the border police and mountain rescue at the same
            time.""", "o", by=["interior"], countries=LAND_TRANSIT),
          V("Rescue-at-sea training for merchant ship crews", """
            Shipping companies that are members of {who} trained the crews of {n_small}0 vessels
            on rescue at sea and on caring for survivors until disembarkation, after several
            merchant ships had been involved in rescues in the Mediterranean. A guidance note
            explains the duty to render assistance and how to contact rescue centres.""", "oc",
            by=["private_sector"], ptype="training", countries=["MLT"],
            pr=["international-cooperation", "human-rights"]),
      ], partners=["IOM", "UNHCR"]),
    S("disembarkation-screening", [8, 11], [3], "mechanism",
      ["women", "children", "unaccompanied_children"],
      ["gender-responsive", "child-sensitive", "human-rights"],
      ["border", "un_entity", "civil_society"], [
          V("Child-friendly spaces at arrival points", """
            {Who} set up child-friendly spaces and separate areas for women at {n_small} arrival
            points, staffed by female interpreters and social workers. Children are screened for
            signs of trafficking and referred to child protection services before any
            identification interview.""", "o", by=["civil_society"]),
          V("Vulnerability screening at first reception", """
            A screening form introduced in {y} helps border officers identify, in the first hours
            after arrival, pregnant women, survivors of violence, unaccompanied children and
            persons with disabilities. Those identified are referred to health and social services
            and their cases are given priority.""", "o", by=["border"]),
          V("Standard operating procedures for protection-sensitive reception", """
            {Who} supported the border police in {y} to adopt standard operating procedures for
            the first hours after arrival, covering information on asylum, family unity and
            separate accommodation for women travelling alone. {n_officers} officers were trained
            on the procedures.""", "c", by=["un_entity"], partners=["UNHCR", "UNICEF", "IOM"]),
      ], partners=["UNICEF", "UNHCR"], countries=TRANSIT),
    S("missing-children", [8, 10], [3, 5], "mechanism", ["unaccompanied_children", "children"],
      ["child-sensitive", "whole-of-government"], ["interior", "social", "civil_society"], [
          V("Protocol on unaccompanied children who go missing from care", """
            A protocol adopted in {y} requires reception facilities to report an unaccompanied
            child who goes missing to the police within {n_hours} hours, and the police to treat
            the case as a missing child rather than as absconding. Alerts are shared with
            neighbouring countries through Interpol.""", "o", by=["interior", "social"]),
          V("Procedure with the 116 000 hotline for missing migrant children", """
            {Who} agreed a procedure with the 116 000 hotline for missing children in {y} for
            cases of unaccompanied migrant children, with interpreters and a direct line to
            guardians and reception centres. {n_small}0 cases of missing migrant children were handled that
            year.""", "oc", by=["civil_society"], pr=["child-sensitive", "whole-of-society"],
            countries=["GRC", "FRA", "ESP", "AUT"]),
      ], partners=["UNICEF", "local NGOs"]),
    S("death-statistics", [8], [], "data_system", ["families_of_missing"],
      ["whole-of-government", "international-cooperation"], ["statistics", "academia"], [
          V("Migrant deaths recorded in mortality statistics", """
            From {y}, death certificates have a field for deaths that occurred during an irregular
            border crossing, and the statistical office publishes an annual count by sex, age and
            place. The figures are shared with IOM's Missing Migrants Project.""", "o",
            by=["statistics"], partners=["IOM"], countries=TRANSIT),
          V("Research database on deaths at the border", """
            {Who} compiles a public database of deaths at the borders of {country} from coroners'
            records, court files and press reports, going back to {y_early}. It holds
            {n_records} records and is shared with the authorities and with families searching for
            relatives.""", "o", by=["academia"], pr=["whole-of-society", "human-rights"],
            countries=["ITA"]),
      ], partners=["IOM"]),
    S("shipwreck-identification", [8], [], "programme", ["families_of_missing"],
      ["human-rights", "international-cooperation", "people-centred"], ["justice", "academia"], [
          V("Identification of victims of a shipwreck", """
            After a shipwreck off {coast} in {y} in which more than {n_small}0 people died, the
            prosecutor's office and forensic services opened a DNA collection point for relatives,
            who came from {n_countries} countries. Consulates helped families travel, and most
            victims were identified within two years.""", "c", by=["justice"]),
          V("Forensic anthropology support to identify migrants who died at sea", """
            {Who} examined remains recovered after shipwrecks and compared them with descriptions,
            photographs and DNA given by families living in {n_countries} countries. Between {y}
            and {y_end} it identified {n_small}0 people and returned their personal effects to
            relatives.""", "c", by=["academia"]),
      ], partners=["ICRC"], countries=["ITA", "GRC", "MLT", "ESP", "CYP", "TUR"]),

    # ===================== Objective 9: smuggling of migrants ===============================
    S("jit-smuggling", [9], [4], "mechanism", ["smuggled_migrants"],
      ["international-cooperation", "rule-of-law"], ["police", "prosecutor"], [
          V("Joint investigation team with {neighbour} against a smuggling network", """
            Prosecutors and police of {country} and {neighbour} formed a joint investigation team
            in {y} against a network that moved migrants across the border hidden in lorries. The
            team shared intercepted communications and financial records, leading to {n_small}
            arrests in both countries and the seizure of {n_vehicles} vehicles.""", "c",
            scope="bilateral"),
          V("Joint investigation team with {neighbour} on smuggling by sea", """
            A joint investigation team with {neighbour}, set up with Eurojust support in {y},
            targeted the organisers of crossings in overcrowded boats rather than the boat
            drivers. Evidence gathered through joint surveillance led to {n_small} convictions,
            including of two leaders of the network.""", "c", scope="bilateral", countries=SEA,
            pair_pool=SEA_PARTNERS),
      ], partners=["UNODC"], docs=["Joint Investigation Team Agreement of {y}, art. {n_sect}"]),
    S("financial-investigation", [9], [4], "mechanism", [],
      ["rule-of-law", "international-cooperation"], ["police", "fiu"], [
          V("Financial investigations in every major smuggling case", """
            Since {y}, each major smuggling case is assigned a financial investigator who traces
            payments made through money transfer operators and informal hawala networks. Assets
            worth about EUR {n_assets} million were frozen in the first three years.""", "o",
            by=["police"]),
          V("Red-flag indicators for banks and money transfer operators", """
            The financial intelligence unit published {n_small} red-flag indicators of payments
            linked to migrant smuggling, developed with banks and money transfer companies in
            {y}. Suspicious transaction reports linked to smuggling rose from {n_low} to {n_high}
            in the following year.""", "oc", by=["fiu"]),
      ], partners=["UNODC"], docs=["Typology report on smuggling-related financial flows ({y})"]),
    S("smuggling-law", [9], [4], "law_policy", ["smuggled_migrants"],
      ["rule-of-law", "human-rights"], ["justice", "parliament"], [
          V("Criminal code amended to define smuggling of migrants", """
            The criminal code was amended in {y} to bring the offence of migrant smuggling in line
            with the UN Smuggling Protocol: a financial or other material benefit is now an
            element of the offence, and humanitarian assistance is expressly excluded. Migrants
            cannot be prosecuted for the fact of having been smuggled.""", "o", by=["justice"],
            micro=True),
          V("Parliamentary review of how the smuggling offence is applied", """
            {Who} reviewed how the smuggling offence had been applied since {y_early} and found
            that most persons convicted were drivers and guides rather than organisers. Its
            recommendations, adopted in {y}, led to new prosecution guidelines focused on organised
            networks.""", "c", by=["parliament"], ptype="other"),
      ], partners=["UNODC", "OHCHR"], docs=["Criminal Code, art. {n_art} (as amended in {y})"]),
    S("border-crime-centre", [9, 11], [2, 4], "mechanism", [],
      ["international-cooperation", "national-sovereignty"], ["border"], [
          V("Joint police and border guard contact centre with {neighbour}", """
            A contact centre on the border with {neighbour} opened in {y}, staffed around the
            clock by police and border officers of both countries. It exchanges information on
            smuggling routes and coordinates operations, and handled {n_requests} requests in its
            first year.""", "o", scope="bilateral", external=True),
          V("Monthly risk analysis on smuggling routes shared with neighbours", """
            Since {y}, the border police has produced a monthly risk analysis of smuggling routes
            and methods and shared it with {n_small} neighbouring and partner countries through a
            secure channel. The analysis includes the sex and age profile of persons found with
            smugglers.""", "o", pr=["international-cooperation", "gender-responsive"]),
      ], partners=["Frontex", "OSCE"], docs=["Protocol on the Joint Contact Centre ({y})"]),
    S("smuggled-migrants-protection", [9], [4], "mechanism", ["smuggled_migrants"],
      ["human-rights", "people-centred"], ["police", "civil_society"], [
          V("Assistance to migrants found concealed in vehicles", """
            When migrants are found hidden in vehicles, police first call a medical team and an NGO
            outreach worker, and only then start questioning. Smuggled migrants are treated as
            witnesses and victims of a crime, informed of their rights in their language and
            screened for signs of trafficking.""", "o", by=["police"], obj=[9, 10], q=[4, 5]),
          V("Information campaign on the risks of irregular migration", """
            {Who} ran a campaign in {city2} and {region} on the dangers of travelling with
            smugglers and on legal ways to work abroad, using community radio, social media and
            returning migrants as speakers. An estimated {n_reach} people were reached in
            {y}.""", "c", by=["media"], obj=[9, 3], ptype="programme",
            pr=["whole-of-society", "people-centred"]),
      ], partners=["IOM", "local NGOs"], countries=ORIGIN + TRANSIT),
    S("online-smuggling-ads", [9], [4], "other", [],
      ["whole-of-society", "international-cooperation"], ["media"], [
          V("Investigative reporting on smuggling offers on social media", """
            Journalists of {who} documented how smugglers advertise crossings on social media and
            messaging apps, with prices and "guarantees" of success. The findings were passed to
            platform operators, which removed {n_small}0 accounts, and to police in {n_countries}
            countries.""", "c"),
      ], scope="region"),
    S("smuggling-training", [9], [4], "training", ["smuggled_migrants"],
      ["rule-of-law", "human-rights"], ["justice", "prosecutor"], [
          V("Training of prosecutors and judges on smuggling cases", """
            With UNODC, the judicial academy trained {n_officers} prosecutors and judges in {y} on
            investigating smuggling networks, using electronic evidence and protecting the rights
            of smuggled migrants who testify.""", "oc", by=["justice"]),
          V("Guidelines on not prosecuting smuggled migrants", """
            Guidelines issued by the prosecutor general in {y} tell prosecutors not to charge
            smuggled migrants with illegal border crossing when they are witnesses against
            smugglers, and to make sure they are informed about asylum and protection
            procedures.""", "o", by=["prosecutor"], ptype="law_policy"),
      ], partners=["UNODC"], docs=["Instruction of the Prosecutor General No. {n_art}/{y}"]),
    S("hauliers-code", [9], [4], "other", ["smuggled_migrants"],
      ["whole-of-society", "human-rights"], ["private_sector", "trade_union"], [
          V("Code of conduct for hauliers on concealed migrants", """
            Members of {who} adopted a code of conduct in {y} on checking trailers before border
            crossings and on reporting suspected smuggling to the police without endangering
            people hidden inside. {n_officers} drivers were trained, and the code is now part of
            the association's membership rules.""", "o", by=["private_sector"], countries=["MKD"]),
          V("Union training for drivers on smuggling and safety", """
            {Who} trained {n_officers} international lorry drivers on what to do if they find
            people hidden in their vehicle, how to protect themselves from pressure by smugglers
            and whom to call. The union also negotiated with employers that drivers who report are
            not penalised for delays.""", "c", by=["trade_union"], ptype="training",
            countries=["BGR"]),
      ]),
    S("liaison-officers", [9, 11], [4, 2], "agreement", [],
      ["international-cooperation", "national-sovereignty"], ["interior"], [
          V("Immigration liaison officer posted in {neighbour}", """
            Since {y}, an immigration liaison officer of {country} has been posted in {neighbour}
            to exchange information with the local police on smuggling networks and on false
            documents used by travellers. Information is exchanged under a memorandum of
            understanding that includes data protection rules.""", "o", scope="bilateral"),
      ], partners=["Frontex"],
      countries=["DEU", "FRA", "GBR", "ITA", "NLD", "AUT", "BEL", "SWE", "NOR", "CHE", "ESP",
                 "POL", "USA", "CAN"],
      pair_pool=["TUR", "SRB", "MKD", "ALB", "BIH", "GEO", "UKR", "MDA", "UZB", "TJK", "KGZ",
                 "ARM", "AZE", "MNE"]),
    S("smuggling-covid-routes", [9, 11], [4, 2], "other", ["smuggled_migrants"],
      ["international-cooperation", "human-rights"], ["border"], [
          V("Analysis of smuggling routes during border closures", """
            The border police analysed how smuggling networks adapted to the border closures of
            2020, finding higher prices, longer waits in hiding places and more dangerous routes
            through mountains. The findings were shared with neighbouring countries and used to
            plan rescue capacity.""", "c"),
      ], partners=["Frontex", "UNODC"], covid=True, countries=TRANSIT),

    # ===================== Objective 10: trafficking in persons =============================
    S("nrm", [10], [5], "mechanism", ["trafficking_victims"],
      ["human-rights", "gender-responsive", "whole-of-government"], ["coordinator", "social"], [
          V("Revised national referral mechanism for victims of trafficking", """
            The national referral mechanism, revised in {y}, sets out which authority identifies
            presumed victims, how they are referred to shelters and who decides on a residence
            permit. Formal identification no longer depends on the victim's cooperation with the
            police, and {n_referred} persons were referred in the first year.""", "o"),
          V("Transnational referral agreement with {neighbour}", """
            A referral agreement with {neighbour} signed in {y} covers the safe return of victims
            of trafficking, a risk assessment before return and continued assistance after
            arrival. Contact points in the two ministries exchange case files within {n_days}
            days.""", "o", scope="bilateral", obj=[10, 21],
            pr=["international-cooperation", "human-rights"]),
      ], partners=["IOM", "OSCE", "local NGOs"],
      docs=["Standard Operating Procedures of the National Referral Mechanism ({y}), sect. {n_sect}"]),
    S("nap-trafficking", [10], [5], "law_policy", ["trafficking_victims"],
      ["whole-of-government", "whole-of-society", "human-rights", "gender-responsive"], ["coordinator", "interior"], [
          V("National action plan against trafficking in human beings {y}-{y_end}", """
            The action plan covers prevention, victim identification, prosecution and partnership,
            and for the first time includes a budget line for NGO-run shelters. An
            inter-ministerial commission reviews its implementation each year together with NGOs
            and the ombudsperson.""", "o", micro=True),
          V("Anti-trafficking strategy focused on labour exploitation", """
            The strategy adopted in {y} shifts attention from sexual exploitation alone to forced
            labour in agriculture, construction and domestic work. It gives the labour inspectorate
            a formal role in identifying victims and sets a target of {n_officers} trained
            inspectors by {y4}.""", "o", pr=["whole-of-government", "gender-responsive"]),
      ], partners=["OSCE", "IOM", "UNODC"],
      docs=["National Action Plan against Trafficking {y}-{y4}, sect. {n_sect}"]),
    S("labour-inspection", [10], [5], "mechanism", ["trafficking_victims"],
      ["human-rights", "whole-of-government"], ["labour", "trade_union"], [
          V("Labour inspectors trained to detect forced labour", """
            Labour inspectors were trained in {y} to recognise indicators of forced labour and
            trafficking during routine inspections in agriculture, construction and domestic work.
            They now refer suspected cases to the police and to an NGO hotline, and {n_small}0
            presumed victims were identified in the first year.""", "o", by=["labour"],
            ptype="training"),
          V("Joint inspections in seasonal agriculture", """
            Since {y}, labour inspectors, police and a cultural mediator have carried out joint
            inspections on farms in {region} during the harvest season. Workers are interviewed
            away from employers, and those whose wages or documents have been withheld are told
            about their rights and the hotline.""", "o", by=["labour"], tg=["trafficking_victims", "other"]),
          V("Union outreach to migrant farm workers", """
            {Who} runs outreach during the harvest season in {region}, with organisers who speak
            the workers' languages. In {y} it helped {n_people} migrant workers recover unpaid
            wages and reported {n_small}0 suspected cases of forced labour to the labour
            inspectorate.""", "o", by=["trade_union"], ptype="programme", countries=["ITA"],
            pr=["whole-of-society", "human-rights"]),
      ], partners=["local NGOs"], countries=DEST + TRANSIT),
    S("victim-assistance", [10], [5], "service", ["trafficking_victims", "women"],
      ["human-rights", "gender-responsive"], ["civil_society", "justice"], [
          V("Specialised shelter for women victims of trafficking", """
            {Who} runs a shelter in {city1} with {n_beds} places for trafficked women and their
            children, offering medical care, counselling, legal aid and vocational training. A stay
            in the shelter does not depend on cooperation with prosecutors.""", "o",
            by=["civil_society"], tg=["trafficking_victims", "women", "children"]),
          V("Longer recovery and reflection period for victims of trafficking", """
            An amendment adopted in {y} extended the recovery and reflection period for presumed
            victims of trafficking from 30 to {n_reflection} days and gave them access to the labour
            market while their residence permit is decided.""", "o", by=["justice"],
            ptype="law_policy", pr=["human-rights", "rule-of-law"]),
          V("State compensation fund for victims of trafficking", """
            A compensation fund created in {y} pays victims of trafficking when the traffickers'
            assets are insufficient, and claims can be filed from abroad after return. The fund is
            financed partly from confiscated criminal assets.""", "o", by=["justice"],
            ptype="law_policy", pr=["rule-of-law", "people-centred"]),
      ], partners=["IOM", "local NGOs"], docs=["Law on Combating Trafficking in Human Beings, art. {n_art}"]),
    S("border-identification-trafficking", [10, 11], [5, 3], "mechanism",
      ["trafficking_victims", "women"], ["gender-responsive", "human-rights"], ["border"], [
          V("Trafficking indicators in second-line border checks", """
            Border guards at {n_small} crossing points use a checklist of trafficking indicators
            during second-line checks and can call a specialised police officer and an NGO
            counsellor to interview a person in private. {n_officers} officers were trained in {y},
            with a focus on young women travelling for promised jobs abroad.""", "o"),
          V("Airport awareness campaign on trafficking", """
            Posters and short videos in {n_languages} languages at the airport of {city1} explained
            the signs of trafficking and gave a hotline number, and cabin crews of the national
            airline were trained to report suspected cases to the border police before landing.""", "c",
            q=[5], ptype="programme"),
      ], partners=["IOM", "OSCE"]),
    S("child-trafficking", [10], [5], "service", ["children", "trafficking_victims"],
      ["child-sensitive", "human-rights"], ["social", "police"], [
          V("Guardianship for child victims of trafficking", """
            Since {y}, every child presumed to be a victim of trafficking has been assigned a
            professional guardian within {n_hours} hours, who attends interviews, agrees the care
            plan and takes part in the best-interests assessment before any return.""", "o",
            by=["social"], tg=["children", "trafficking_victims", "unaccompanied_children"]),
          V("Child-friendly interview rooms for trafficking cases", """
            Police stations in {city1}, {city2} and {n_small} other towns have child-friendly
            interview rooms where child victims of trafficking are interviewed once, on video and
            with a psychologist present, so that they do not have to testify again in court.""",
            "o", by=["police"]),
      ], partners=["UNICEF"]),
    S("victim-documents", [10, 4], [5], "service", ["trafficking_victims"],
      ["human-rights", "gender-responsive", "whole-of-government"], ["migration", "foreign"], [
          V("Identity documents and residence permits for victims of trafficking", """
            Victims of trafficking whose passports were taken by traffickers can obtain a temporary
            identity certificate from the migration service within {n_days} days, and a renewable
            one-year residence permit without fees.""", "o", by=["migration"]),
          V("Consular assistance to nationals trafficked abroad", """
            Every consulate of {country} has a designated officer for trafficking cases who issues
            emergency travel documents, arranges a safe return and contacts the national referral
            mechanism before the victim travels. {n_victims} nationals were assisted in {y}.""",
            "o", by=["foreign"], countries=ORIGIN, obj=[10, 4, 21]),
      ], partners=["IOM"]),
    S("hospitality-training", [10], [5], "training", ["trafficking_victims", "women"],
      ["whole-of-society", "gender-responsive"], ["private_sector"], [
          V("Hotel staff trained to spot trafficking", """
            {Who} trained {n_officers} hotel receptionists and housekeeping staff to recognise
            signs of sexual exploitation and trafficking, and agreed a reporting channel with the
            police. Member hotels display the modern slavery helpline in staff areas in
            {n_languages} languages.""", "o"),
      ], countries=["GBR"]),
    S("national-rapporteur", [10], [5], "other", ["trafficking_victims"],
      ["human-rights", "rule-of-law"], ["nhri"], [
          V("Rapporteur report on trafficking for labour exploitation", """
            Acting as national rapporteur, {who} published an assessment of cases of labour
            exploitation of migrant workers in {y}, showing that few victims were identified
            outside the sex industry. The report recommended a formal role for labour inspectors
            in identification.""", "c"),
          V("Monitoring of victim identification at the border", """
            {Who} reviewed {n_small}0 files of persons refused entry or returned at the border in
            {y} and found that trafficking indicators had not been assessed in most of them. The
            border police accepted its recommendation to add a trafficking screening step before
            refusal of entry.""", "c", obj=[10, 11], q=[5, 2]),
      ], docs=["Annual Report of the National Rapporteur {y}, chap. {n_sect}"]),
    S("diaspora-peer-support", [10], [5], "service", ["women", "trafficking_victims"],
      ["gender-responsive", "whole-of-society", "people-centred"], ["migrant_diaspora_org"], [
          V("Peer-support line for exploited migrant women", """
            Members of {who}, many of them former domestic and care workers, run a peer-support
            chat and telephone line in the women's own language for those who are being exploited
            or want to leave an employer. Volunteers accompany them to the police and to shelters;
            {n_people} women contacted the line in {y}.""", "o", countries=["POL"]),
          V("Know-your-rights sessions for newly arrived workers", """
            {Who} holds monthly know-your-rights sessions for newly arrived workers from its
            community, covering contracts, wages, keeping one's own passport and where to report
            exploitation. Sessions reached {n_people} workers in {y}.""", "o",
            ptype="programme", tg=["trafficking_victims", "other"]),
      ]),
    S("journalists-trafficking", [10], [5], "training", ["trafficking_victims"],
      ["human-rights", "whole-of-society"], ["media"], [
          V("Guide for journalists reporting on trafficking", """
            {Who} published a reporting guide and trained {n_officers} journalists from
            {n_countries} countries on covering trafficking cases without revealing victims'
            identities or reinforcing stereotypes about migrants.""", "c"),
      ], scope="region"),
    S("local-coordinator", [10], [5], "mechanism", ["trafficking_victims", "children"],
      ["whole-of-society", "child-sensitive"], ["local_authority"], [
          V("Municipal anti-trafficking coordinator", """
            {Who} appointed a coordinator in {y} who brings together social services, police,
            schools and NGOs to identify trafficking cases at local level, including among
            migrant children begging in the streets. {n_small} children were referred to child
            protection in the first year.""", "o"),
      ]),
    S("non-punishment", [10], [5], "law_policy", ["trafficking_victims"],
      ["rule-of-law", "human-rights"], ["prosecutor"], [
          V("Non-punishment of victims of trafficking", """
            An instruction issued in {y} requires prosecutors to drop charges against presumed
            victims of trafficking for offences they were compelled to commit, such as using false
            documents or irregular entry. Cases are reviewed by a specialised prosecutor before any
            indictment.""", "o"),
      ], partners=["OSCE", "UNODC"], docs=["Instruction of the Prosecutor General No. {n_art}/{y}"]),
    S("procurement-forced-labour", [10], [5], "law_policy", ["trafficking_victims"],
      ["rule-of-law", "sustainable-development"], ["labour", "coordinator"], [
          V("Public procurement rules against forced labour", """
            Since {y}, suppliers bidding for public contracts above EUR 500,000 must show how they
            check their supply chains for forced labour and recruitment fees charged to workers.
            The labour inspectorate may audit subcontractors, and {n_small} suppliers were
            excluded in the first two years.""", "o"),
      ], countries=DEST),

    # ===================== Objective 11: integrated border management ========================
    S("ibm-strategy", [11], [2], "law_policy", [],
      ["whole-of-government", "national-sovereignty"], ["interior", "border"], [
          V("Integrated border management strategy {y}-{y_end}", """
            The strategy brings the border police, customs, veterinary and phytosanitary services
            and the migration service under one coordination board with a common risk-analysis
            centre. Its action plan includes human rights training for all border staff and an
            independent complaints mechanism.""", "o", by=["interior"],
            pr=["whole-of-government", "national-sovereignty", "human-rights"]),
          V("Inter-agency one-stop control at border crossing points", """
            Since {y}, border police and customs at {n_small} crossing points have shared premises,
            equipment and a single control booth, cutting waiting times for travellers and freeing
            staff for targeted checks.""", "o", by=["border"]),
          V("Integrated border management action plan with a training component", """
            An action plan adopted in {y} implements the integrated border management concept with
            new crossing-point infrastructure, a common database of the border agencies and annual
            training for {n_officers} officers. Progress is reported to parliament every year.""",
            "o", by=["interior"]),
      ], partners=["OSCE", "Frontex", "IOM"],
      docs=["Integrated Border Management Strategy {y}-{y4}, chap. {n_sect}"]),
    S("api-pnr", [11], [2], "data_system", [],
      ["national-sovereignty", "rule-of-law", "international-cooperation"],
      ["border", "interior", "private_sector"], [
          V("Advance Passenger Information system", """
            Airlines flying to {country} have had to transmit Advance Passenger Information before
            departure since {y}, and the data are checked against national and Interpol databases.
            Rules agreed with the data protection authority limit retention to {n_hours} hours
            unless a person is subject to a check.""", "o", by=["border"],
            exclude=["MCO", "SMR", "LIE", "AND"]),
          V("Passenger Information Unit for PNR data", """
            A Passenger Information Unit set up in {y} processes Passenger Name Record data in
            serious crime and terrorism cases. Its {n_staff} staff include a data protection
            officer, and access logs are reviewed by an independent supervisor every quarter.""",
            "o", by=["interior"]),
          V("Common format for transmitting passenger data", """
            {Who} brings together {n_small}0 airlines and ground handlers to agree common formats
            for sending Advance Passenger Information to border authorities. This has reduced
            duplicate transmissions and errors in passenger names written in non-Latin
            scripts.""", "o", by=["private_sector"], scope="region",
            pr=["international-cooperation", "whole-of-society"]),
      ], partners=["OSCE"], docs=["Regulation on Advance Passenger Information ({y}), art. {n_art}"]),
    S("joint-patrols", [11], [2], "agreement", [],
      ["international-cooperation", "national-sovereignty"], ["border"], [
          V("Joint border patrols with {neighbour}", """
            Under a protocol signed in {y}, mixed patrols of border guards from {country} and
            {neighbour} work along the common border, each on its own side of the line. Patrols
            carry a multilingual leaflet on asylum and the right to a lawyer, and follow common
            rules on the use of force.""", "o", scope="bilateral",
            pr=["international-cooperation", "human-rights"]),
          V("Common border crossing point with {neighbour}", """
            A jointly operated crossing point on the border with {neighbour} opened in {y}:
            travellers stop once, and officers of both States check documents in the same booth.
            Waiting times for lorries fell by about {pct_low} per cent.""", "o", scope="bilateral"),
      ], partners=["OSCE"], docs=["Protocol on Joint Patrols ({y}), art. {n_sect}"],
      external=True),
    S("flow-data", [11], [2], "data_system", [],
      ["international-cooperation", "whole-of-government"], ["border", "statistics", "academia"], [
          V("Exchange of border crossing statistics with {neighbour}", """
            The border services of {country} and {neighbour} exchange monthly anonymised
            statistics on entries, exits, refusals of entry and irregular crossings, broken down
            by sex and age. A joint annual report has been published since {y}.""", "o",
            by=["border"], scope="bilateral", external=True,
            pr=["international-cooperation", "gender-responsive"]),
          V("Electronic entry-exit register for non-nationals", """
            An electronic entry-exit register introduced in {y} records the border crossings of
            non-nationals and calculates authorised stay automatically. Aggregated data feed the
            migration profile published by the statistical office.""", "o", by=["statistics"],
            pr=["whole-of-government", "national-sovereignty"]),
          V("Method for estimating irregular border crossings without double counting", """
            {Who} developed with the border service a method that combines apprehension records,
            registrations at reception centres and survey data to estimate irregular flows, so
            that repeated crossing attempts by the same person are not counted twice.""", "c",
            by=["academia"], ptype="other"),
      ], partners=["IOM"], docs=["Migration Profile of {country} {y}, chap. {n_sect}"]),
    S("border-rights-monitoring", [11], [2], "mechanism", [],
      ["human-rights", "rule-of-law"], ["nhri", "border"], [
          V("Independent monitoring of border surveillance", """
            Since {y}, monitors of {who} have been able to accompany border patrols and visit
            crossing points and holding rooms without prior notice. Findings are published twice a
            year and the border police must answer each recommendation.""", "o", by=["nhri"]),
          V("Fundamental rights officer in the border police", """
            A fundamental rights officer was appointed in {y} to handle complaints about border
            operations and to review operational plans. {n_small}0 complaints were examined in the
            first year, several of which led to disciplinary proceedings.""", "o",
            by=["border"]),
      ], partners=["OHCHR", "UNHCR"]),
    S("child-sensitive-border", [11, 8], [3], "training",
      ["children", "unaccompanied_children"], ["child-sensitive", "human-rights"], ["border"], [
          V("Training of border guards on child-sensitive procedures", """
            {n_officers} border guards completed a course designed with UNICEF on talking to
            children, recognising unaccompanied children and referring them to child protection
            services. The module became part of basic training at the border police academy in
            {y}.""", "oc", obj=[11]),
          V("Female officers and interpreters on every shift at crossing points", """
            Each of the {n_small} main crossing points now has at least one female officer and
            access to a female interpreter on every shift, so that women can be searched and
            interviewed by women. A private room for mothers with infants was added in {y}.""",
            "o", tg=["women", "children"], pr=["gender-responsive", "human-rights"], obj=[11]),
          V("Age assessment guidelines for the border police", """
            Guidelines issued in {y} state that a person who says they are a child is treated as
            a child until an age assessment is completed, and that the assessment is
            multidisciplinary rather than based on X-rays alone.""", "o", ptype="law_policy",
            tg=["unaccompanied_children"], pr=["child-sensitive", "rule-of-law"]),
          V("Best-interests assessment for children stopped at the border", """
            Since {y}, child protection officers have been on call for every border crossing point
            in {region}, and must carry out a first best-interests assessment before any decision
            on a child stopped at the border. Unaccompanied children are placed in open facilities
            and given a guardian.""", "o", ptype="mechanism", countries=TRANSIT),
      ], partners=["UNICEF", "UNHCR"], docs=["Instruction of the Chief of the Border Police No. {n_art}/{y}"]),
    S("un-border-support", [11], [2, 3], "programme", ["trafficking_victims", "unaccompanied_children"],
      ["international-cooperation", "human-rights"], ["un_entity"], [
          V("Protection-sensitive entry systems at the border", """
            {Who} supported the border police in {y} to set up referral procedures at the border
            for asylum seekers, victims of trafficking and unaccompanied children. The project
            produced standard operating procedures and trained {n_officers} officers as
            trainers.""", "c", obj=[11, 10], q=[2, 3, 5]),
          V("Border management training with human rights modules", """
            {Who} ran joint courses in {y} for border officers of {n_countries} countries on
            risk analysis, document checks and the rights of persons crossing borders, with
            sessions on gender and on identifying children at risk.""", "c", scope="region",
            ptype="training", pr=["international-cooperation", "gender-responsive", "child-sensitive"]),
      ], partners=["IOM", "UNHCR", "UNICEF", "OSCE"]),
    S("cross-border-municipalities", [11], [2], "mechanism", [],
      ["whole-of-society", "international-cooperation"], ["local_authority"], [
          V("Cross-border committee of border municipalities with {neighbour}", """
            Mayors of border municipalities on both sides of the border with {neighbour} meet
            twice a year with border police chiefs to discuss local traffic, the opening hours of
            small crossing points and how migrants found in the area are treated. Their
            recommendations are sent to both governments.""", "o", scope="bilateral",
            countries=["TUR", "BIH"],
            pair_pool={"TUR": ["GRC", "BGR"], "BIH": ["HRV", "SRB", "MNE"]}),
      ]),
    S("interpol-sltd", [11, 4], [2, 1], "data_system", [],
      ["international-cooperation", "national-sovereignty"], ["border"], [
          V("Systematic checks against Interpol's stolen and lost travel documents database", """
            Since {y}, every passport presented at the border has been checked against Interpol's
            database of stolen and lost travel documents. {n_small}0 hits were recorded in the first
            year, and persons found with lost documents of their own are referred to their
            consulate rather than penalised.""", "o", micro=True),
      ], partners=["OSCE"]),
    S("central-asia-border-training", [11], [2], "training", [],
      ["international-cooperation", "human-rights"], ["border", "un_entity"], [
          V("Regional border management staff course", """
            Border officers from {country} attended a staff course of {n_weeks} weeks in {y} on
            integrated border management, cross-border cooperation and human rights at the border,
            organised with the OSCE. Graduates developed a joint training plan for
            crossing-point staff.""", "c", by=["border"]),
          V("Equipment and referral training for crossing points in {region}", """
            {Who} helped equip {n_small} border crossing points in {region} with document readers
            and interview rooms and trained {n_officers} officers on referral of asylum seekers and
            victims of trafficking.""", "c", by=["un_entity"], countries=["KGZ"],
            obj=[11, 10], q=[2, 5]),
      ], partners=["OSCE", "UNHCR", "IOM"], countries=CENTRAL_ASIA),

    # ===================== Objective 13: detention as last resort; alternatives ==============
    S("case-management", [13], [6], "programme", ["detained_migrants"],
      ["human-rights", "people-centred"], ["civil_society", "migration"], [
          V("Case management pilot as an alternative to detention", """
            Between {y} and {y_end}, {who} provided case management to {n_cases} migrants facing
            removal who would otherwise have been detained, with a caseworker explaining all
            options, including return and legal stay. {pct} per cent of participants stayed in
            contact with the authorities until their case was resolved.""", "c",
            by=["civil_society"]),
          V("Case management for families with children instead of detention", """
            Since {y}, families with children who have received a return decision have been placed
            in ordinary housing with a case manager instead of being detained. The case manager
            meets the family each week and arranges schooling, health care and legal advice.""",
            "o", by=["migration"], tg=["children", "detained_migrants"],
            pr=["child-sensitive", "human-rights"]),
      ], partners=["UNHCR", "local NGOs"], countries=DETENTION),
    S("reporting-obligations", [13], [6], "law_policy", ["detained_migrants"],
      ["rule-of-law", "human-rights"], ["interior", "migration"], [
          V("Alternatives to be examined before any immigration detention", """
            A law adopted in {y} requires the migration authority to consider reporting, the
            surrender of a passport or a financial guarantee before ordering detention, and to give
            written reasons why these are not enough. The share of removal cases involving
            detention fell from {pct_high} to {pct_low} per cent.""", "o"),
          V("Planned remote reporting for persons under reporting obligations", """
            The migration service plans to let persons under reporting obligations check in by
            video call or a mobile application from {y}, so that they no longer have to travel
            every week to a police station. A pilot with {n_cases} persons is being
            prepared.""", "p", ptype="programme", pr=["people-centred", "human-rights"]),
      ], partners=["UNHCR"], countries=DETENTION, docs=["Aliens Act, art. {n_art} (as amended in {y})"]),
    S("community-placement", [13], [6], "service", ["detained_migrants"],
      ["whole-of-society", "people-centred"], ["local_authority", "civil_society", "other"], [
          V("Community housing for asylum-seeking families", """
            {Who} houses asylum-seeking families who would otherwise be held at the border in
            municipal apartments, with social workers visiting every week. {n_families}
            families were housed in {y}.""", "o", by=["local_authority"],
            tg=["children", "detained_migrants"], pr=["whole-of-society", "child-sensitive"]),
          V("Host families for unaccompanied children instead of closed facilities", """
            Unaccompanied children over 14 are placed with trained host families rather than in
            closed facilities, with support from {who}. Families receive an allowance and monthly
            supervision; {n_families} children were placed in {y}.""", "o",
            by=["civil_society"], tg=["unaccompanied_children"],
            pr=["child-sensitive", "whole-of-society"]),
          V("Faith-community hosting as an alternative to detention", """
            {Who} coordinated a network of congregations that hosted migrants released from
            detention or at risk of detention, providing a fixed address, meals and help with
            reporting obligations. {n_hosted} persons were hosted between {y} and
            {y_end}.""", "c", by=["other"], pr=["whole-of-society", "people-centred"]),
      ], partners=["UNHCR", "local NGOs"]),
    S("child-detention-ban", [13], [6], "law_policy", ["children", "detained_migrants"],
      ["child-sensitive", "human-rights", "rule-of-law"], ["justice", "parliament"], [
          V("Ban on immigration detention of children", """
            Since {y}, the law has prohibited detaining children for immigration reasons, whether
            they are unaccompanied or with their families. Families awaiting removal live in open
            family units and are free to leave during the day.""", "o", by=["justice"],
            countries=DETENTION),
          V("Report recommending an end to the detention of migrant children", """
            {Who} adopted a report in {y} recommending an end to the detention of children for
            immigration purposes and a time limit on immigration detention for adults. A bill
            based on the report is expected to be tabled in the next session.""", "p",
            by=["parliament"], ptype="other"),
      ], partners=["UNICEF", "OHCHR"]),
    S("detention-monitoring", [13], [6], "mechanism", ["detained_migrants"],
      ["human-rights", "rule-of-law"], ["nhri"], [
          V("Monitoring of immigration detention by the national preventive mechanism", """
            Acting as national preventive mechanism, {who} made {n_small} unannounced visits to
            immigration detention centres and transit zones in {y}. Its reports led to the release
            of several persons with serious health conditions and to free telephones for
            detainees, and it asked for separate quarters for women.""", "oc",
            pr=["human-rights", "rule-of-law", "gender-responsive"]),
          V("Confidential complaints from persons in immigration detention", """
            Since {y}, persons in immigration detention have been able to send confidential
            complaints to {who} through locked boxes and a free telephone line. {n_small}0
            complaints were examined in the first year, mostly about medical care and access to
            lawyers.""", "o"),
          V("Thematic report on alternatives to detention", """
            {Who} published a thematic report in {y} comparing the use of detention and of
            alternatives in {n_small}0 individual cases. It recommended that courts receive
            information on available alternatives before deciding on an extension of
            detention.""", "c", ptype="other"),
      ], partners=["OHCHR"], docs=["Annual Report of the National Preventive Mechanism {y}, p. {n_page}"]),
    S("judicial-review", [13], [6], "law_policy", ["detained_migrants"],
      ["rule-of-law", "human-rights"], ["justice", "civil_society"], [
          V("Automatic judicial review of immigration detention", """
            A reform adopted in {y} introduced automatic review of every immigration detention
            order by a judge within {n_hours} hours, and again every {n_weeks} weeks, with free
            legal aid for the detained person.""", "o", by=["justice"]),
          V("Legal aid in immigration detention centres", """
            Lawyers of {who} visit every immigration detention centre each week, advise detainees
            and challenge unlawful detention in court. In {y} they assisted {n_detainees} detainees,
            and {pct} per cent of the challenges led to release.""", "o", by=["civil_society"],
            ptype="service"),
          V("Maximum period of immigration detention set in law", """
            Legislation adopted in {y} limits immigration detention to {n_months} months, after
            which a person must be released under reporting or residence conditions. Detention of
            persons whose removal is not realistic is no longer permitted.""", "o",
            by=["justice"]),
      ], countries=DETENTION, docs=["Law on Foreigners, art. {n_art}"]),
    S("vulnerability-detention", [13, 7], [6], "mechanism", ["detained_migrants", "women"],
      ["human-rights", "gender-responsive"], ["migration", "un_entity"], [
          V("Vulnerability assessment before any detention decision", """
            Since {y}, officers have had to complete a vulnerability assessment before deciding
            on detention. Victims of torture or trafficking, pregnant women and persons with
            serious illness are not detained.""", "o", by=["migration"], countries=DETENTION),
          V("Handbook on alternatives to detention for officers and judges", """
            {Who} produced a handbook on alternatives to detention in {y}, with case examples and
            decision trees, and trained {n_officers} migration officers and judges in its use.""",
            "c", by=["un_entity"], obj=[13], ptype="training"),
      ], partners=["UNHCR", "IOM", "OHCHR"]),
    S("atd-evaluation", [13], [6], "other", ["detained_migrants"],
      ["human-rights", "rule-of-law"], ["academia"], [
          V("Evaluation of an alternatives-to-detention pilot", """
            Researchers of {who} evaluated an alternatives-to-detention pilot run in {city1}
            between {y} and {y_end}, comparing compliance and costs with detention. They found
            compliance above {pct} per cent at about one third of the cost.""", "c",
            countries=["ITA", "EST"]),
          V("Comparative study of alternatives to detention in the region", """
            {Who} compared the law and practice of alternatives to detention in {n_small} countries
            of the region in {y}, based on court decisions and interviews with officials and
            lawyers. The study was presented to the migration service and to parliament.""",
            "c"),
      ]),
    S("open-family-units", [13], [6], "service", ["children", "detained_migrants"],
      ["child-sensitive", "human-rights", "whole-of-government"], ["migration", "interior"], [
          V("Open family units instead of closed centres", """
            Families with children who are awaiting return live in {n_small} open family units
            with a coach from the migration service, instead of in closed centres. Children attend
            local schools, and {pct} per cent of families left voluntarily or regularised their
            stay.""", "o"),
          V("Release of asylum seekers on bail with sureties", """
            Asylum seekers held on arrival can be released on bail, with a relative or an NGO
            acting as surety and with reporting to a local police station. Bail decisions must be
            taken within {n_days} days of arrival.""", "o", ptype="law_policy", tg=["detained_migrants"]),
      ], countries=DETENTION),

    # ===================== Objective 21: return, readmission, reintegration ==================
    S("avrr", [21], [], "programme", ["returnees"],
      ["human-rights", "international-cooperation"], ["migration", "civil_society"], [
          V("Assisted voluntary return and reintegration programme", """
            The programme offers migrants without a right to stay counselling, travel arrangements
            and reintegration support of up to EUR {n_eur} in kind, for business start-ups,
            training or housing after return. {n_people} persons returned under the programme in
            {y}.""", "o", by=["migration"], countries=DEST),
          V("Independent return counselling", """
            {Who} offers return counselling independent of the authorities in {n_small} cities,
            explaining the options of staying, moving on or returning. Counsellors help clients
            assess safety at home and prepare a reintegration plan.""", "o", by=["civil_society"],
            pr=["people-centred", "human-rights"], ptype="service"),
      ], partners=["IOM"], docs=["Return Assistance Programme {y}-{y4}, guidelines sect. {n_sect}"]),
    S("reintegration-origin", [21], [], "service", ["returnees"],
      ["sustainable-development", "whole-of-government"], ["social", "employment", "un_entity"], [
          V("One-stop centre for returning migrants", """
            A one-stop centre opened in {city1} in {y} for nationals returning from abroad,
            whether voluntarily or after removal. It helps with identity documents, recognition of
            qualifications, job placement and psychosocial support, and assisted {n_people}
            returnees in its first year.""", "o", by=["social"], obj=[21, 4]),
          V("Municipal reintegration desks", """
            Since {y}, municipalities in {region} have had a reintegration desk where returnees
            can register, enrol children in school and apply for social assistance. Each desk
            shares a case file with the national employment agency.""", "o", by=["social"],
            pr=["sustainable-development", "whole-of-society"]),
          V("Recognition of skills acquired abroad", """
            Since {y}, returning migrants have been able to have skills acquired abroad certified
            through a short practical assessment at {n_small} vocational centres. Employers
            recognise the certificates, which helps returnees find formal jobs.""", "o",
            by=["employment"], obj=[21, 18], pr=["sustainable-development", "people-centred"]),
          V("Community-based reintegration projects", """
            {Who} funded {n_small} small community projects in {region} in {y}, such as
            irrigation repairs and a cold-storage facility, that employ returnees alongside
            local residents. The projects were chosen by local councils.""", "c",
            by=["un_entity"], pr=["sustainable-development", "whole-of-society"]),
      ], partners=["IOM", "local NGOs"], countries=ORIGIN,
      docs=["Strategy for the Reintegration of Returning Migrants {y}-{y4}"]),
    S("readmission-safeguards", [21], [], "agreement", ["returnees"],
      ["international-cooperation", "human-rights", "national-sovereignty"],
      ["foreign", "interior"], [
          V("Readmission agreement with {neighbour} with human rights safeguards", """
            The readmission agreement with {neighbour} that entered into force in {y} provides
            that no one is readmitted while an appeal with suspensive effect or an asylum claim is
            pending. Requests must include information on the person's health and family
            links.""", "o", by=["foreign"], scope="bilateral"),
          V("Protocol with {neighbour} on the readmission of vulnerable persons", """
            A protocol agreed with {neighbour} in {y} requires advance notice and a named
            receiving authority before unaccompanied children, older persons or persons with
            medical needs are readmitted. {n_small}0 persons were readmitted under the protocol in
            its first year.""", "o", by=["interior"], scope="bilateral",
            tg=["returnees", "unaccompanied_children"]),
      ], partners=["UNHCR"], docs=["Implementing Protocol of {y}, art. {n_sect}"],
      countries=DEST + TRANSIT,
      pair_pool=["ALB", "ARM", "AZE", "BIH", "BLR", "GEO", "MDA", "MKD", "MNE", "RUS", "SRB",
                 "TUR", "UKR"]),
    S("return-monitoring", [21], [], "mechanism", ["returnees"],
      ["human-rights", "rule-of-law"], ["nhri", "civil_society"], [
          V("Monitoring of forced return operations", """
            {Who} monitors forced return flights and escorts, from the detention centre to the
            handover at the destination airport. In {y} monitors accompanied {n_small}
            operations, and their reports led to new rules on the use of restraints.""", "o",
            by=["nhri"]),
          V("Post-return monitoring of returnees' safety", """
            {Who} and partner organisations in countries of origin contact returnees one, three and
            six months after return to check their safety and access to services. Anonymised
            findings from {n_cases} cases are shared with the return authorities.""", "o",
            by=["civil_society"]),
      ], partners=["OHCHR"]),
    S("child-returns", [21], [], "mechanism", ["unaccompanied_children", "returnees"],
      ["child-sensitive", "human-rights"], ["migration", "social"], [
          V("Best-interests determination before the return of unaccompanied children", """
            No unaccompanied child may be returned unless a best-interests panel, including a
            child psychologist and the guardian, has confirmed that adequate care is available in
            the country of return. The panel examined {n_small}0 cases in {y}.""", "o",
            by=["migration"], countries=DEST),
          V("Family tracing before decisions on the return of children", """
            Before a return decision concerning an unaccompanied child is taken, social services
            work with the ICRC and IOM to trace the family and assess the home environment. The
            child's views are recorded by the guardian.""", "o", by=["social"], countries=DEST),
          V("Reintegration of returning children in schools", """
            Schools in {region} offer catch-up classes and language support for children who
            return with their families from abroad, many of whom never learned to read the
            national language. {n_pupils} children took part in {y}.""", "o", by=["social"],
            countries=ORIGIN, tg=["children", "returnees"], partners=["UNICEF", "IOM"],
            pr=["child-sensitive", "sustainable-development"]),
      ], partners=["UNICEF", "ICRC", "IOM"]),
    S("diaspora-mentoring", [21, 19], [], "programme", ["returnees"],
      ["whole-of-society", "sustainable-development"], ["migrant_diaspora_org"], [
          V("Mentoring by former migrants for recent returnees", """
            Members of {who} who have returned home themselves mentor recently returned migrants,
            sharing contacts with employers and advice on starting a business. {n_people} returnees
            were paired with a mentor in {y}.""", "o"),
      ], partners=["IOM"]),
    S("reintegration-partnership", [21], [], "agreement", ["returnees"],
      ["international-cooperation", "sustainable-development"], ["interior", "foreign"], [
          V("Reintegration partnership with {neighbour}", """
            Under a partnership agreed with {neighbour} in {y}, returnees receive a reintegration
            package managed jointly by the two governments, including vocational training and
            start-up grants. Local employment offices follow each returnee for a year.""", "o",
            scope="bilateral"),
      ], partners=["IOM"], countries=DEST, pair_pool=NON_EU_ORIGIN),
    S("return-counselling-union", [21], [], "service", ["returnees"],
      ["people-centred", "rule-of-law"], ["trade_union"], [
          V("Advice on pay and social insurance before return", """
            {Who} advises migrant workers who plan to return home on recovering unpaid wages and
            on transferring pension and social insurance rights before they leave. {n_people}
            workers used the service in {y}.""", "o"),
      ]),

    # ===================== Further practices across the roundtable's objectives ============
    S("smuggling-reporting", [9], [4], "mechanism", ["smuggled_migrants"],
      ["rule-of-law"], ["police", "interior"], [
          V("Reporting line on suspected smuggling for residents of border areas", """
            Since {y}, residents of border areas have been able to report suspected smuggling
            through a free number and an anonymous online form. Reports about migrants in danger,
            such as people locked in a lorry or lost in a forest, are passed to the rescue services
            before the police follow up on the smugglers.""", "o", by=["police"],
            countries=LAND_TRANSIT),
          V("Planned national action plan against migrant smuggling", """
            A first national action plan against migrant smuggling is being prepared for adoption
            in {y}, covering prevention, investigation, protection of smuggled migrants and
            cooperation with countries along the routes. Civil-society organisations and the
            ombudsperson were consulted on the draft.""", "p", by=["interior"],
            ptype="law_policy", pr=["whole-of-government", "human-rights"]),
      ], partners=["UNODC", "IOM"]),
    S("smuggling-research", [9], [4], "other", ["smuggled_migrants"],
      ["international-cooperation", "whole-of-society"], ["academia"], [
          V("Study of smuggling routes and fees based on migrants' accounts", """
            Researchers of {who} interviewed {n_interviews} migrants in {city1} and {city2} in {y} about
            the routes they had taken, the sums paid to smugglers and the abuse they had suffered
            on the way. The findings were discussed with the border service and with consulates of
            the main countries of origin.""", "c", countries=["KAZ"]),
      ], partners=["UNODC"]),
    S("documents-abroad", [4], [1], "data_system", [],
      ["people-centred"], ["foreign", "migration"], [
          V("Planned digital identity for nationals living abroad", """
            From {y}, nationals living abroad are to be able to obtain a digital identity through
            a consulate or a video interview, giving them online access to civil records,
            certificates and passport renewal. The system is being tested with {n_small} consulates
            in the main destination countries.""", "p", by=["foreign"], countries=ORIGIN,
            partners=[]),
          V("Identity established by sworn declaration for refugees", """
            Since {y}, refugees who cannot obtain documents from their country of origin have been
            able to establish their identity and civil status through a sworn declaration
            supported by witnesses. The declaration is recorded in the population register and
            used for marriage, birth registration of children and naturalisation.""", "o",
            by=["migration"], tg=["stateless_persons", "other"],
            pr=["human-rights", "rule-of-law"]),
      ], partners=["UNHCR"]),
    S("forensic-training", [8], [], "training", ["families_of_missing"],
      ["human-rights"], ["forensic"], [
          V("Training of pathologists on identifying deceased migrants", """
            The institute trained {n_small}0 pathologists, crime-scene officers and cemetery staff
            in {y} on recording and preserving the data needed to identify deceased migrants,
            from dental records to clothing and telephones. A standard form is now used for every
            unidentified body found near the border.""", "o",
            countries=BORDER_DEATHS + ["ITA", "ESP", "MLT", "CYP"]),
      ], partners=["ICRC"]),
    S("trafficking-hotline", [10], [5], "service", ["trafficking_victims"],
      ["people-centred", "gender-responsive", "whole-of-government"], ["coordinator", "labour", "interior"], [
          V("Multilingual anti-trafficking hotline", """
            The national anti-trafficking hotline answers calls around the clock in
            {n_languages} languages and can arrange an interpreter for others within an hour. In
            {y} it received {n_requests} calls, which led to {n_small}0 referrals to the police
            or to shelters.""", "o", by=["coordinator"]),
          V("Planned online platform to report labour exploitation", """
            The labour inspectorate plans to open an online platform in {y} where workers,
            including migrants without a residence permit, can report unpaid wages, confiscated
            documents or threats in their own language. Reports will not be shared with immigration
            enforcement.""", "p", by=["labour"], pr=["human-rights", "people-centred"]),
          V("Residence permit for victims independent of criminal proceedings", """
            Since {y}, victims of trafficking have been able to obtain a residence permit on
            humanitarian grounds even when they do not testify or when no prosecution takes place.
            The permit gives access to work, health care and training.""", "o",
            by=["interior"], ptype="law_policy", pr=["human-rights", "rule-of-law"]),
      ], partners=["IOM", "local NGOs"]),
    S("border-conduct", [11], [2], "law_policy", [],
      ["human-rights", "rule-of-law"], ["border"], [
          V("Code of conduct for border police officers", """
            A code of conduct adopted in {y} requires border officers to register every person
            apprehended, to accept asylum applications at any point of the border and never to
            return people without an individual procedure. Breaches are investigated by the
            internal control unit and reported to the ombudsperson.""", "o"),
          V("Planned pilot of body-worn cameras for border patrols", """
            The border police plans to equip patrols on the border with {neighbour} with body-worn
            cameras from {y}, in a pilot designed with the data protection authority and the
            ombudsperson, to document apprehensions and deter ill-treatment.""", "p",
            ptype="programme", scope="bilateral", external=True),
      ], partners=["OSCE", "OHCHR"]),
    S("stateless-detention", [13, 4], [6, 1], "law_policy",
      ["stateless_persons", "detained_migrants"], ["human-rights", "rule-of-law"],
      ["migration", "civil_society"], [
          V("Release of stateless persons who cannot be removed", """
            Since {y}, stateless persons whose removal is impossible must be released from
            immigration detention and given a temporary residence document while their status is
            determined. Officers check at the first detention review whether any country is
            willing to admit the person.""", "o", by=["migration"], countries=DETENTION),
          V("Legal support for stateless persons in detention", """
            {Who} identifies stateless persons held in immigration detention and helps them apply
            for statelessness status and release. In {y} its lawyers assisted {n_small}0 detainees,
            most of whom had been held for longer than six months.""", "o",
            by=["civil_society"], ptype="service", countries=DETENTION),
      ], partners=["UNHCR"]),
    S("pre-removal-review", [21], [], "mechanism", ["returnees"],
      ["rule-of-law", "human-rights"], ["justice", "migration", "nhri"], [
          V("Independent legal review before removal", """
            Since {y}, a person ordered to leave has been entitled to a free consultation with an
            independent lawyer before a removal date is set, and the removal is suspended if a new
            risk of ill-treatment is raised.""", "o", by=["justice"], countries=DETENTION),
          V("Medical reintegration support for returnees with health needs", """
            Returnees with chronic illness receive a three-month supply of medicines and a referral
            to a doctor in the country of return, arranged before departure. The programme covered
            {n_small}0 persons in {y}.""", "o", by=["migration"], countries=DEST,
            ptype="programme", pr=["people-centred", "human-rights"]),
          V("Monitoring of the handover of readmitted persons", """
            {Who} monitors the handover of persons readmitted from neighbouring countries at
            {n_small} crossing points, checking that they are informed of their rights, can apply
            for asylum and receive identity documents.""", "o", by=["nhri"]),
      ], partners=["IOM", "OHCHR"]),
    S("covid-visa-extension", [11, 7], [2], "law_policy", ["other"],
      ["people-centred", "national-sovereignty"], ["interior", "border"], [
          V("Free extension of visas for foreigners stranded by flight cancellations", """
            Visas of foreigners who could not leave because of flight cancellations were extended
            free of charge until regular flights resumed, and overstays during the emergency were
            not penalised at exit. Border officers received instructions not to record these
            overstays as violations.""", "c", by=["border"]),
          V("Online applications for residence during the health emergency", """
            From April {y}, applications for residence permits and their renewal could be filed
            online, and biometric enrolment was postponed until offices reopened. Applicants
            received an electronic certificate confirming their lawful stay in the meantime.""",
            "oc", by=["interior"], obj=[4, 7], q=[]),
      ], covid=True),

    # ===================== COVID-19 ==========================================================
    S("covid-health-screening", [11], [2], "mechanism", [],
      ["whole-of-government", "human-rights"], ["health", "border"], [
          V("Health screening at border crossing points", """
            From March 2020, travellers at {n_small} crossing points had their temperature checked
            and filled in a health declaration, with isolation rooms and medical staff on site.
            Anyone with symptoms was tested free of charge whatever their nationality or residence
            status.""", "oc", by=["health"]),
          V("Testing and quarantine for persons crossing the border irregularly", """
            A protocol agreed with the health authorities in {y} provided COVID-19 tests and
            quarantine in dedicated facilities for migrants apprehended at the border, with
            separate spaces for families and unaccompanied children.""", "oc", by=["border"],
            obj=[11, 8], q=[3], tg=["children", "unaccompanied_children"],
            pr=["child-sensitive", "human-rights"]),
          V("Border closure exemptions for cross-border and seasonal workers", """
            During the border closures of 2020, cross-border commuters, seasonal agricultural
            workers and care workers were exempted from entry bans if they presented a work
            certificate and a negative test. A joint list of essential occupations was agreed with
            neighbouring countries.""", "c", by=["border"],
            pr=["international-cooperation", "whole-of-government"], tg=["other"]),
      ], partners=["IOM"], covid=True, countries=None),
    S("covid-returns", [21], [], "law_policy", ["returnees"],
      ["human-rights", "rule-of-law"], ["interior", "migration"], [
          V("Suspension of forced returns during the pandemic", """
            Forced returns were suspended in spring 2020, when flights were grounded and the
            health risks in countries of return could not be assessed. Persons whose removal could
            not take place were given a tolerated-stay document so that they could use health
            services.""", "c"),
          V("Resumption of returns with health safeguards", """
            When returns resumed in {y}, a protocol required a negative test before departure,
            medical escorts and the prior agreement of the receiving country on quarantine.
            Deadlines for voluntary departure were extended by up to {n_months} months.""",
            "oc"),
      ], covid=True, countries=DETENTION),
    S("covid-detention-release", [13], [6], "mechanism", ["detained_migrants"],
      ["human-rights", "rule-of-law"], ["interior", "nhri", "civil_society"], [
          V("Release from immigration detention during COVID-19", """
            Because removals could not be carried out, {n_released} persons were released from
            immigration detention between March and June 2020 and placed under reporting
            obligations. Accommodation was arranged for those without a fixed address.""", "c",
            by=["interior"], countries=DETENTION),
          V("Monitoring of detention conditions during the pandemic", """
            {Who} visited immigration detention centres remotely and in person during the
            pandemic, checking hygiene, isolation arrangements and access to lawyers. Its
            recommendation to release persons whose removal was not foreseeable was followed in
            most cases.""", "c", by=["nhri"]),
          V("Legal challenges to detention when removals were impossible", """
            During the spring 2020 lockdown, {who} brought urgent applications on behalf of
            detainees whose removal had become impossible because of travel bans. Courts ordered
            the release of {n_small}0 persons, and the authorities released others without a
            hearing.""", "c", by=["civil_society"]),
      ], partners=["UNHCR", "OHCHR"], covid=True),
    S("covid-regularisation", [4, 7], [], "law_policy", ["other"],
      ["human-rights", "people-centred"], ["interior", "migration", "local_authority"], [
          V("Temporary regularisation of migrants during the pandemic", """
            Migrants with pending applications or expired permits were treated as lawfully
            resident until the end of the health emergency, with access to health care, testing
            and vaccination. About {n_benef} people benefited in 2020.""", "c",
            by=["interior"], countries=DEST + TRANSIT),
          V("Automatic extension of residence and work permits", """
            All residence and work permits expiring after 1 March 2020 were extended automatically
            by {n_months} months, so that migrants who could not travel home or reach an office did
            not fall into an irregular situation.""", "c", by=["migration"]),
          V("Local residence certificates during the health emergency", """
            {Who} issued local residence certificates in 2020 to migrants without valid permits,
            so that they could register with a doctor, enrol children in school and receive
            emergency food aid. {n_people} certificates were issued.""", "c",
            by=["local_authority"], pr=["people-centred", "whole-of-society"]),
      ], covid=True),
    S("covid-online-documents", [4], [1], "service", ["children"],
      ["whole-of-government", "people-centred"], ["registry", "foreign"], [
          V("Online registration of births during lockdown", """
            When registry offices closed in 2020, parents could register a birth online by
            uploading the medical birth notification and their identity documents. Parents
            without documents were given appointments by phone so that registration was not
            delayed.""", "oc", by=["registry"], pr=["child-sensitive", "whole-of-government"]),
          V("Remote passport renewal for nationals stranded abroad", """
            Nationals stranded abroad during the pandemic could apply online to renew an expired
            passport or for an emergency travel document, which consulates delivered by post.
            {n_people} documents were issued this way in {y}.""", "oc", by=["foreign"], tg=[]),
      ], covid=True),
    S("covid-repatriation", [21], [], "service", ["returnees"],
      ["people-centred", "international-cooperation"], ["foreign"], [
          V("Repatriation flights for stranded migrant workers", """
            In 2020 the government organised {n_small}0 repatriation flights and bus convoys for
            migrant workers stranded at borders and airports, with testing on arrival and free
            quarantine accommodation.""", "c"),
      ], covid=True, countries=ORIGIN),
    S("covid-stranded", [8, 11], [], "service", ["other"],
      ["human-rights", "international-cooperation"], ["un_entity", "civil_society"], [
          V("Support to migrants stranded at closed borders", """
            {Who} provided food, shelter and consular liaison to migrants stranded at closed
            border crossings in {region} in spring 2020, and helped negotiate humanitarian
            corridors so that they could reach home.""", "c"),
      ], covid=True, countries=TRANSIT + ORIGIN),
    S("covid-trafficking", [10], [5], "service", ["trafficking_victims"],
      ["human-rights", "gender-responsive"], ["coordinator", "trade_union", "civil_society"], [
          V("Remote identification interviews and extended hotline during COVID-19", """
            Identification interviews with presumed victims of trafficking were moved to secure
            video calls during the lockdowns, and the national hotline extended its hours.
            Shelters received extra funding for isolation rooms and protective equipment.""",
            "c", by=["coordinator"]),
          V("Emergency support to migrant workers at risk of exploitation", """
            {Who} distributed food vouchers and paid rent for {n_people} migrant workers who lost
            their jobs during the lockdown, to reduce the risk that they would accept exploitative
            work. Cases of wage theft were referred to the labour inspectorate.""", "c",
            by=["trade_union", "civil_society"], pr=["whole-of-society", "human-rights"]),
      ], covid=True),
    S("covid-vaccination-detention", [13, 7], [6], "service", ["detained_migrants"],
      ["human-rights", "people-centred"], ["health"], [
          V("COVID-19 vaccination in detention and reception centres", """
            In {y}, mobile health teams offered COVID-19 vaccination in all immigration detention
            and reception centres, with information in {n_languages} languages. Data on vaccinated
            persons are not shared with immigration enforcement.""", "oc"),
      ], covid=True, countries=DETENTION),
    S("covid-child-quarantine", [8, 11], [3], "service", ["unaccompanied_children"],
      ["child-sensitive", "human-rights"], ["social"], [
          V("Child-friendly quarantine for unaccompanied children", """
            Unaccompanied children arriving during the pandemic spent their quarantine in small
            supervised flats rather than in police premises or large centres, with social workers
            and remote schooling. Guardians were appointed before the quarantine ended.""", "oc"),
      ], covid=True, countries=TRANSIT),
    S("covid-detention-health", [13], [6], "law_policy", ["detained_migrants"],
      ["human-rights", "whole-of-government"], ["health"], [
          V("Health protocol for immigration detention centres", """
            A health protocol adopted in 2020 reduced occupancy in immigration detention centres
            to {pct} per cent of capacity, introduced daily health checks and separated new
            arrivals for fourteen days. Detainees kept access to lawyers through video
            calls.""", "oc"),
      ], covid=True, countries=DETENTION),
]


# fmt: on


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------
def fmt_num(n: int) -> str:
    return f"{n:,}"


def draw(rng: random.Random, lo: int, hi: int, step: int) -> int:
    return rng.randrange(lo, hi + 1, step)


def pick_min(rng, candidates, usage):
    """Least-used candidate; ties broken by the seeded generator."""
    low = min(usage.get(c, 0) for c in candidates)
    best = [c for c in candidates if usage.get(c, 0) == low]
    return rng.choice(best)


def state_submitter(iso: str, kind: str) -> str:
    if (iso, kind) in AUTH_OVERRIDE:
        return AUTH_OVERRIDE[(iso, kind)]
    pattern = AUTHORITIES[kind][0]
    if iso in POST_SOVIET and kind in POST_SOVIET_AUTH:
        pattern = POST_SOVIET_AUTH[kind]
    return pattern.format(c=COUNTRIES[iso][0])


def years(rng, st: str, needs_end: bool, covid: bool, max_start: int = 2021):
    if covid:
        start = 2020 if st != "o" or max_start < 2021 or rng.random() < 0.7 else 2021
        end = str(rng.choice([start, 2021])) if st == "c" else ""
        return start, end
    if st == "p":
        start = rng.choice([2020, 2021])
        end = str(start + rng.randint(2, 4)) if (needs_end or rng.random() < 0.5) else ""
        return start, end
    if st == "c":
        start = rng.randint(2012, min(2018, max_start))
        end = rng.randint(start + 1, min(start + 4, 2020))
        return start, str(end)
    # ongoing
    if needs_end:
        start = rng.randint(2017, max_start)
        return start, str(rng.randint(max(2021, start + 2), start + 5))
    start = rng.randint(2012, max_start)
    end = str(rng.randint(2021, 2025)) if rng.random() < 0.12 else ""
    return start, end


def language_for(rng, iso):
    r = rng.random()
    acc = 0.0
    for lang, p in STATE_LANG.get(iso, []):
        acc += p
        if r < acc:
            return lang
    return "en"


def source_ref(rng, seed, fill, iso_tag, y):
    r = rng.random()
    if r < 0.3:
        return ""
    if r < 0.65:
        docs = seed["docs"] or [
            "Submission to the UNECE regional review, 2020, para. {n_sect}",
            "Annual activity report {y1}, p. {n_page}",
            "Voluntary GCM review report, 2020, sect. {n_sect}",
        ]
        return rng.choice(docs).format_map(fill)
    slug = seed["key"]
    forms = [
        f"https://www.example.org/gcm-practices/{iso_tag}/{slug}",
        f"https://example.gov/{iso_tag}/publications/{slug}-{y}.pdf",
        f"https://www.example.org/reports/{y}/{slug}.html",
    ]
    return rng.choice(forms)


def pair_candidates(code, pair_pool, external):
    """Countries that can be the second party of a bilateral practice of `code`."""
    if isinstance(pair_pool, dict):
        pool = pair_pool.get(code, [])
    else:
        pool = pair_pool if pair_pool else COUNTRIES[code][4]
    pool = [c for c in pool if c != code and c not in MICRO]
    if external:  # a land border with checks on it
        if code in SEA_ONLY:
            return []
        pool = [
            c
            for c in pool
            if c not in SEA_ONLY
            and not (c in SCHENGEN and code in SCHENGEN)
            and (code, c) not in NO_CHECKS
        ]
    return pool


def build_rows():
    rng = random.Random(SEED)
    state_use: dict[str, int] = {}
    stake_use: dict[str, int] = {}
    spelling_use: dict[str, int] = {}
    rows = []
    titles_seen = set()
    for seed in SEEDS:
        for vi, var in enumerate(seed["variants"]):
            by = var.get("by", seed["by"])
            scope = var.get("scope", seed["scope"])
            allowed = var.get("countries", seed["countries"])
            exclude = set(var.get("exclude", ()))
            micro_ok = var.get("micro", seed["micro"])
            external = var.get("external", seed["external"])
            pair_pool = var.get("pair_pool", seed["pair_pool"])

            def partners_of(code, pair_pool=pair_pool, external=external):
                return pair_candidates(code, pair_pool, external)

            kind = rng.choice(by)
            if kind in AUTHORITIES:
                if scope == "region":
                    raise ValueError(f"{seed['key']}: a State cannot submit a region-wide row")
                cands = sorted((set(allowed) if allowed else set(COUNTRIES)) - exclude)
                if not micro_ok:
                    cands = [c for c in cands if c not in MICRO]
                if scope == "bilateral":
                    cands = [c for c in cands if partners_of(c)]
                iso = pick_min(rng, cands, state_use)
                state_use[iso] = state_use.get(iso, 0) + 1
                submitter = state_submitter(iso, kind)
                stype = "member_state"
                who = AUTHORITIES[kind][1]
                lang = language_for(rng, iso)
            else:
                cands = [s for s in STAKEHOLDERS if s[1] == kind]
                if scope == "region":
                    cands = [s for s in cands if s[2] == "UNECE"]
                else:
                    cands = [
                        s for s in cands if s[2] != "UNECE" and (not allowed or s[2] in allowed)
                    ]
                    if scope == "bilateral":
                        cands = [s for s in cands if partners_of(s[2])]
                if not cands:
                    raise ValueError(f"{seed['key']} variant {vi}: no {kind} stakeholder fits")
                names = [s[0] for s in cands]
                name = pick_min(rng, names, stake_use)
                stake_use[name] = stake_use.get(name, 0) + 1
                st = next(s for s in cands if s[0] == name)
                submitter, stype, iso, lang, who = st[0], st[1], st[2], st[3], st[4]

            covid = seed["covid"]
            status_code = rng.choice(var["st"])
            text = var["title"] + " " + var["desc"]
            needs_end = "{y_end}" in text
            max_start = 2021 if covid else 2020
            if re.search(r"first (two|three) years|following year|next session", text):
                max_start = 2018
            elif re.search(r"first year|that year", text):
                max_start = 2019
            if covid and "{y}" not in var["desc"]:
                max_start = 2020
            y, y_end = years(rng, status_code, needs_end, covid, max_start)
            status = {"o": "ongoing", "c": "completed", "p": "planned"}[status_code]

            fill = {name: fmt_num(draw(rng, *spec)) for name, spec in sorted(NUMS.items())}
            low = rng.randint(10, 40)
            fill["n_low"] = str(low)
            fill["n_high"] = str(low + rng.randint(45, 120))
            pl = rng.randint(12, 35)
            fill["pct_low"] = str(pl)
            fill["pct_high"] = str(pl + rng.randint(20, 45))
            fill["n_ratio_word"] = ["three", "four", "five", "six"][int(fill["n_ratio"]) - 3]
            fill.update(
                y=str(y),
                y_end=y_end,
                y_early=str(y - rng.randint(3, 8)),
                y1=str(y + 1),
                y4=str(y + rng.randint(2, 4)),
                who=who,
                Who=who[0].upper() + who[1:],
            )
            neighbour_iso = ""
            if iso != "UNECE":
                cname, city1, city2, region, _ = COUNTRIES[iso]
                fill.update(
                    country=cname,
                    Country=cname[0].upper() + cname[1:],
                    city1=city1,
                    city2=city2,
                    region=region,
                    coast=COAST.get(iso, region),
                )
                if scope == "bilateral":
                    neighbour_iso = rng.choice(partners_of(iso))
                    fill["neighbour"] = COUNTRIES[neighbour_iso][0]
            title = var["title"].format_map(fill)
            desc = var["desc"].format_map(fill)
            if title in titles_seen:
                raise ValueError(f"duplicate title: {title}")
            titles_seen.add(title)

            # country column
            if scope == "region":
                country = "UNECE"
            else:

                def spell(code):
                    if code in SPELLINGS:
                        k = spelling_use.get(code, 0)
                        spelling_use[code] = k + 1
                        return SPELLINGS[code][k % len(SPELLINGS[code])]
                    return code

                country = spell(iso)
                if neighbour_iso:
                    country = f"{country}; {spell(neighbour_iso)}"

            objectives = var.get("obj", seed["obj"])
            questions = var.get("q", seed["q"])
            if questions and rng.random() < 0.08:
                questions = []
            # principles: the seed's own, sometimes one more of the common ones
            pr = list(var.get("pr", seed["pr"]))
            tg = var.get("tg", seed["tg"])
            if len(pr) < 4 and rng.random() < 0.3:
                # one more principle, only among those that fit the practice
                fits = ["human-rights", "whole-of-government", "whole-of-society"]
                if set(tg) & {"women", "trafficking_victims", "families_of_missing"}:
                    fits.append("gender-responsive")
                if set(tg) & {"children", "unaccompanied_children"}:
                    fits.append("child-sensitive")
                extra = [p for p in fits if p not in pr]
                if extra:
                    pr.append(rng.choice(extra))
            pr = [p for p in PRINCIPLES if p in pr]
            pool = var.get("partners", seed["partners"])
            k = min(len(pool), rng.choice([0, 1, 1, 2, 2, 3]))
            chosen = rng.sample(pool, k) if k else []
            partners = [p for p in pool if p in chosen]
            iso_tag = "regional" if iso == "UNECE" else iso.lower()
            src = source_ref(rng, seed, fill, iso_tag, y)

            rows.append(
                {
                    "practice_id": "",
                    "submitter": submitter,
                    "submitter_type": stype,
                    "country": country,
                    "objectives": "; ".join(str(o) for o in objectives),
                    # no seed names the GCM's actions: `gcmtools suggest` proposes them
                    "gcm_actions": "",
                    "title": title,
                    "description": desc,
                    "guiding_questions": "; ".join(str(q) for q in sorted(questions)),
                    "principles": "; ".join(pr),
                    "practice_type": var.get("ptype", seed["ptype"]),
                    "target_groups": "; ".join(tg),
                    "covid19": "yes" if covid else "no",
                    "year_start": str(y),
                    "year_end": y_end,
                    "status": status,
                    "partners": "; ".join(partners),
                    "source_ref": src,
                    "language": lang,
                    "submitted": "",
                }
            )
    rows.sort(
        key=lambda r: (r["country"].casefold(), r["submitter"].casefold(), r["title"].casefold())
    )
    for i, row in enumerate(rows, start=1):
        row["practice_id"] = f"ILL-{i:04d}"
    return rows


def render(rows) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buf.getvalue()
    if re.search(r"[{}]", text):
        raise ValueError("unfilled placeholder in the output")
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where to write the CSV (default: {DEFAULT_OUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    rows = build_rows()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render(rows).encode("utf-8"))
    print(f"wrote {len(rows)} illustrative practices to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
