"""Every text a person sees from the domain, in Finnish, Swedish and English.

Findings carry a stable code and JSON-ready parameters; the text is made here, in
the reader's language, at the moment it is shown. Parameters named ``*_minutes``
also appear as ``*_h`` (hours, with the language's decimal mark) and ISO dates named
``day``, ``start``, ``end`` as ``*_fmt`` (d.M.yyyy), so templates stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

FINDINGS: Mapping[str, Mapping[str, str]] = {
    # errors: the record is not saved
    "future_date": {
        "fi": "Päivä {day_fmt} on tulevaisuudessa: läsnäoloa voi merkitä vasta päivänä itsenään.",
        "sv": "Dagen {day_fmt} ligger i framtiden: närvaro kan antecknas först samma dag.",
        "en": "{day_fmt} is in the future: attendance can be recorded on the day itself at the earliest.",
    },
    "end_before_start": {
        "fi": "Lopetusaika {end} on ennen aloitusaikaa {start}.",
        "sv": "Sluttiden {end} är före starttiden {start}.",
        "en": "The end time {end} is before the start time {start}.",
    },
    "over_24_hours": {
        "fi": "Päivään ei mahdu {minutes_h} tuntia: enintään 24 tuntia.",
        "sv": "En dag rymmer inte {minutes_h} timmar: högst 24 timmar.",
        "en": "A day cannot hold {minutes_h} hours: at most 24 hours.",
    },
    "not_quarter_hour": {
        "fi": "Ajat merkitään vartin tarkkuudella (esim. 8.00, 8.15, 8.30).",
        "sv": "Tider anges på kvarten (t.ex. 8.00, 8.15, 8.30).",
        "en": "Times are recorded to the quarter hour (e.g. 8:00, 8:15, 8:30).",
    },
    "missing_hours": {
        "fi": "Läsnäololle tarvitaan aloitus- ja lopetusaika tai tuntimäärä.",
        "sv": "Närvaro kräver start- och sluttid eller antal timmar.",
        "en": "A present day needs a start and end time or a number of hours.",
    },
    "missing_reason": {
        "fi": "Poissaololle tarvitaan syy.",
        "sv": "Frånvaro kräver en orsak.",
        "en": "An absence needs a reason.",
    },
    "inconsistent_fields": {
        "fi": "Merkinnässä on tietoja, jotka eivät kuulu tilaan {status}: {fields}.",
        "sv": "Anteckningen har uppgifter som inte hör till status {status}: {fields}.",
        "en": "The record has fields that do not belong to status {status}: {fields}.",
    },
    "unknown_participant": {
        "fi": "Asiakasta ei löydy tämän toimipaikan suunnitelmista.",
        "sv": "Deltagaren finns inte i denna verksamhetsplats planer.",
        "en": "The participant is not known to this site's plans.",
    },
    "duplicate_day": {
        "fi": "Päivälle {day_fmt} on jo merkintä: muuta sitä korjauksena.",
        "sv": "Dagen {day_fmt} har redan en anteckning: ändra den som en rättelse.",
        "en": "{day_fmt} already has a record: change it as a correction.",
    },
    "already_superseded": {
        "fi": "Korjattava merkintä on jo korjattu toisaalla: tarkista uusin versio.",
        "sv": "Anteckningen som rättas har redan rättats på annat håll: kontrollera den senaste versionen.",
        "en": "The record being corrected was already corrected elsewhere: check the latest version.",
    },
    "supersedes_unknown": {
        "fi": "Korjaus viittaa merkintään, jota ei ole tälle asiakkaalle ja päivälle.",
        "sv": "Rättelsen hänvisar till en anteckning som inte finns för denna deltagare och dag.",
        "en": "The correction refers to a record that does not exist for this participant and day.",
    },
    "correction_reason_missing": {
        "fi": "Korjaukselle tarvitaan syy.",
        "sv": "En rättelse kräver en orsak.",
        "en": "A correction needs a reason.",
    },
    # not eligible: saved, earns no money
    "outside_plan_period": {
        "fi": "Päivä {day_fmt} on suunnitelman jakson {start_fmt}–{end_fmt} ulkopuolella.",
        "sv": "Dagen {day_fmt} ligger utanför planens period {start_fmt}–{end_fmt}.",
        "en": "{day_fmt} is outside the plan's period {start_fmt}–{end_fmt}.",
    },
    "no_plan_on_day": {
        "fi": "Päivälle {day_fmt} ei ole voimassa olevaa suunnitelmaa.",
        "sv": "Det finns ingen gällande plan för dagen {day_fmt}.",
        "en": "No plan is in force on {day_fmt}.",
    },
    "over_weekly_max": {
        "fi": "Viikolla {week} on jo {max} läsnäolopäivää, suunnitelman enimmäismäärä: tämä päivä ei oikeuta korvaukseen.",
        "sv": "Vecka {week} har redan {max} närvarodagar, planens maximum: denna dag ger ingen ersättning.",
        "en": "Week {week} already has {max} present days, the plan's maximum: this day earns no allowance.",
    },
    "under_min_hours": {
        "fi": "{minutes_h} h on alle suunnitelman vähimmäismäärän {min_minutes_h} h: päivä ei oikeuta korvaukseen.",
        "sv": "{minutes_h} h är under planens minimum {min_minutes_h} h: dagen ger ingen ersättning.",
        "en": "{minutes_h} h is below the plan's minimum of {min_minutes_h} h: the day earns no allowance.",
    },
    "no_rate": {
        "fi": "Korvauslajille {allowance_type} ei ole päiväkohtaista määrää päivälle {day_fmt}.",
        "sv": "Ersättningstypen {allowance_type} har inget dagsbelopp för {day_fmt}.",
        "en": "Allowance type {allowance_type} has no daily amount on {day_fmt}.",
    },
    # flagged: saved and counted, for the coordinator's eye
    "over_max_hours": {
        "fi": "{minutes_h} h ylittää suunnitelman enimmäismäärän {max_minutes_h} h: vain {max_minutes_h} h lasketaan.",
        "sv": "{minutes_h} h överskrider planens maximum {max_minutes_h} h: endast {max_minutes_h} h räknas.",
        "en": "{minutes_h} h is above the plan's maximum of {max_minutes_h} h: only {max_minutes_h} h count.",
    },
    "weekday_not_agreed": {
        "fi": "Suunnitelmassa ei ole sovittu tätä viikonpäivää ({weekday_name}).",
        "sv": "Planen omfattar inte denna veckodag ({weekday_name}).",
        "en": "The plan does not name this weekday ({weekday_name}).",
    },
    "public_holiday": {
        "fi": "Läsnä yleisenä vapaapäivänä: {holiday}.",
        "sv": "Närvarande på en allmän helgdag: {holiday}.",
        "en": "Present on a public holiday: {holiday}.",
    },
    "child_sick_over_limit": {
        "fi": "Lapsen sairaus on jatkunut {days} päivää: enintään 4 päivää kerrallaan.",
        "sv": "Barnets sjukdom har pågått {days} dagar: högst 4 dagar åt gången.",
        "en": "The child's sickness has run for {days} days: at most 4 days at a time.",
    },
    "device_clock_off": {
        "fi": "Laitteen kello oli {minutes} minuuttia edellä palvelimen kelloa.",
        "sv": "Enhetens klocka låg {minutes} minuter före serverns klocka.",
        "en": "The device's clock was {minutes} minutes ahead of the server's clock.",
    },
    "closed_month_change": {
        "fi": "Muutos suljettuun kuukauteen {month}: koordinaattori tarkistaa sen.",
        "sv": "Ändring i en stängd månad {month}: koordinatorn granskar den.",
        "en": "Change to the closed month {month}: the coordinator will review it.",
    },
    # notices: worth knowing now
    "under_weekly_min": {
        "fi": "Viikolla {week} on {count} läsnäolopäivää, suunnitelman vähimmäismäärä on {min}.",
        "sv": "Vecka {week} har {count} närvarodagar, planens minimum är {min}.",
        "en": "Week {week} has {count} present days; the plan's minimum is {min}.",
    },
    "sick_certificate_due": {
        "fi": "Sairaus on jatkunut {days} päivää: lääkärintodistus tarvitaan (yli 3 päivää).",
        "sv": "Sjukdomen har pågått {days} dagar: läkarintyg behövs (över 3 dagar).",
        "en": "The sickness has run for {days} days: a medical certificate is due (over 3 days).",
    },
    "plan_ends_soon": {
        "fi": "Suunnitelma päättyy {end_fmt} ({days} päivän päästä).",
        "sv": "Planen upphör {end_fmt} (om {days} dagar).",
        "en": "The plan ends on {end_fmt} (in {days} days).",
    },
}

TERMS: Mapping[str, Mapping[str, str]] = {
    "status.present": {"fi": "Läsnä", "sv": "Närvarande", "en": "Present"},
    "status.absent": {"fi": "Poissa", "sv": "Frånvarande", "en": "Absent"},
    "status.not_held": {"fi": "Palvelua ei järjestetä", "sv": "Ingen verksamhet", "en": "Not held"},
    "reason.sick": {"fi": "Oma sairaus", "sv": "Egen sjukdom", "en": "Own sickness"},
    "reason.child_sick": {
        "fi": "Lapsen sairaus",
        "sv": "Barnets sjukdom",
        "en": "Child's sickness",
    },
    "reason.job_related": {
        "fi": "Työhaastattelu tai muu työllistymiseen liittyvä",
        "sv": "Arbetsintervju eller annat sysselsättningsrelaterat",
        "en": "Job interview or other employment-related reason",
    },
    "reason.public_office": {
        "fi": "Luottamustoimi",
        "sv": "Förtroendeuppdrag",
        "en": "Public office of trust",
    },
    "reason.other": {"fi": "Muu syy", "sv": "Annan orsak", "en": "Other reason"},
    "severity.error": {"fi": "Virhe", "sv": "Fel", "en": "Error"},
    "severity.not_eligible": {
        "fi": "Ei korvattava",
        "sv": "Ej ersättningsberättigad",
        "en": "Not eligible",
    },
    "severity.flagged": {"fi": "Tarkistettava", "sv": "Flaggad", "en": "Flagged"},
    "severity.notice": {"fi": "Huomio", "sv": "Observera", "en": "Notice"},
    "eligibility.eligible": {
        "fi": "Korvattava päivä",
        "sv": "Ersättningsberättigad dag",
        "en": "Eligible day",
    },
    "eligibility.not_eligible": {
        "fi": "Ei korvattava",
        "sv": "Ej ersättningsberättigad",
        "en": "Not eligible",
    },
    "payer.kela": {"fi": "Kela", "sv": "FPA", "en": "Kela"},
    "payer.unemployment_fund": {
        "fi": "Työttömyyskassa",
        "sv": "Arbetslöshetskassa",
        "en": "Unemployment fund",
    },
    "payer.county": {
        "fi": "Hyvinvointialue",
        "sv": "Välfärdsområde",
        "en": "Wellbeing services county",
    },
    "payer.organiser": {"fi": "Järjestäjä", "sv": "Anordnare", "en": "Organiser"},
}

WEEKDAYS: Mapping[str, tuple[str, ...]] = {
    "fi": ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def term(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status, reason, severity or payer name in ``lang`` (Finnish when unknown)."""
    texts = TERMS[key]
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]


def format_hours(minutes: int, lang: str) -> str:
    """4.5 h as "4,5" in Finnish and Swedish, "4.5" in English; whole hours bare."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def format_euros(cents: int, lang: str) -> str:
    """1234 cents as "12,34 €" (fi, sv) or "€12.34" (en)."""
    text = f"{cents / 100:.2f}"
    return f"€{text}" if lang == "en" else f"{text.replace('.', ',')} €"


def render(code: str, params: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The finding ``code``'s text in ``lang`` with ``params`` filled in."""
    texts = FINDINGS[code]
    template = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    values: dict[str, Any] = dict(params)
    for key, value in params.items():
        if key.endswith("minutes") and isinstance(value, int):
            values[f"{key}_h"] = format_hours(value, lang)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                d = date.fromisoformat(value)
            except ValueError:
                continue
            values[f"{key}_fmt"] = f"{d.day}.{d.month}.{d.year}"
    if isinstance(params.get("weekday"), int):
        values["weekday_name"] = WEEKDAYS.get(lang, WEEKDAYS["fi"])[params["weekday"] - 1]
    if isinstance(params.get("status"), str) and f"status.{params['status']}" in TERMS:
        values["status"] = term(f"status.{params['status']}", lang)
    return template.format(**values)
