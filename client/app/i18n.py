"""Every text the app itself shows, in Finnish (default), Swedish and English.

Findings bring their own texts (``Finding.message(lang)``) and statuses, reasons and
severities come from :func:`shared.messages.term`; what the store and the sync client
report comes from :mod:`client.app.problem_texts`; this module holds the rest: screen
titles, buttons, labels and the app's own notices. Dates are written as in Finland
(d.M.yyyy) in every language, and weeks are ISO weeks (:mod:`client.app.dates`, whose
helpers are re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from client.app.dates import (
    DEFAULT_LANGUAGE,
    MONTHS,
    WEEKDAYS_SHORT,
    fmt_date,
    fmt_datetime,
    fmt_hours,
    fmt_short_date,
    fmt_time,
    month_name,
    weekday_name,
    weekday_short,
)
from client.app.problem_texts import PROBLEM_TEXTS

LANGUAGES = ("fi", "sv", "en")
LANGUAGE_NAMES: Mapping[str, str] = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

_SCREEN_TEXTS: Mapping[str, Mapping[str, str]] = {
    "app.title": {"fi": "Läsnä", "sv": "Läsnä", "en": "Läsnä"},
    # setting up a device
    "setup.title": {
        "fi": "Laitteen käyttöönotto",
        "sv": "Ta enheten i bruk",
        "en": "Set up this device",
    },
    "setup.intro": {
        "fi": "Syötä palvelimen osoite ja ylläpitäjältä saamasi kertakäyttöinen koodi.",
        "sv": "Ange serverns adress och engångskoden du fått av administratören.",
        "en": "Enter the server address and the one-time code from your administrator.",
    },
    "setup.server_url": {
        "fi": "Palvelimen osoite",
        "sv": "Serverns adress",
        "en": "Server address",
    },
    "setup.code": {"fi": "Kertakäyttöinen koodi", "sv": "Engångskod", "en": "One-time code"},
    "setup.device_name": {"fi": "Laitteen nimi", "sv": "Enhetens namn", "en": "Device name"},
    "setup.enroll": {
        "fi": "Yhdistä palvelimeen",
        "sv": "Anslut till servern",
        "en": "Connect to server",
    },
    "setup.enrolling": {"fi": "Yhdistetään…", "sv": "Ansluter…", "en": "Connecting…"},
    "setup.enrolled": {
        "fi": "Laite on liitetty toimipaikkaan {site}. Luo seuraavaksi oma PIN-koodisi.",
        "sv": "Enheten är kopplad till verksamhetsplatsen {site}. Skapa nu din egen PIN-kod.",
        "en": "This device is joined to the site {site}. Now create your own PIN.",
    },
    "setup.pin_title": {"fi": "Oma PIN-koodi", "sv": "Egen PIN-kod", "en": "Your PIN"},
    "setup.name": {"fi": "Nimesi", "sv": "Ditt namn", "en": "Your name"},
    "setup.pin": {
        "fi": "PIN-koodi (6–12 numeroa)",
        "sv": "PIN-kod (6–12 siffror)",
        "en": "PIN (6–12 digits)",
    },
    "setup.pin_again": {"fi": "PIN-koodi uudelleen", "sv": "PIN-koden igen", "en": "PIN again"},
    "setup.create": {
        "fi": "Luo PIN ja aloita",
        "sv": "Skapa PIN och börja",
        "en": "Create PIN and start",
    },
    "setup.creating": {
        "fi": "Suojataan tietoja, hetki…",
        "sv": "Skyddar uppgifterna, ett ögonblick…",
        "en": "Protecting the data, one moment…",
    },
    "error.url_missing": {
        "fi": "Anna palvelimen osoite, esim. https://lasna.example.fi.",
        "sv": "Ange serverns adress, t.ex. https://lasna.example.fi.",
        "en": "Enter the server address, e.g. https://lasna.example.fi.",
    },
    "error.code_missing": {
        "fi": "Anna ylläpitäjältä saamasi koodi.",
        "sv": "Ange koden du fått av administratören.",
        "en": "Enter the code from your administrator.",
    },
    "error.enroll_failed": {
        "fi": "Käyttöönotto ei onnistunut: {detail}",
        "sv": "Ibruktagningen misslyckades: {detail}",
        "en": "Setting up failed: {detail}",
    },
    "error.name_missing": {"fi": "Anna nimesi.", "sv": "Ange ditt namn.", "en": "Enter your name."},
    "error.pin_format": {
        "fi": "PIN-koodissa on oltava 6–12 numeroa.",
        "sv": "PIN-koden ska ha 6–12 siffror.",
        "en": "The PIN must have 6–12 digits.",
    },
    "error.pin_mismatch": {
        "fi": "PIN-koodit eivät täsmää.",
        "sv": "PIN-koderna stämmer inte överens.",
        "en": "The PINs do not match.",
    },
    "error.not_enrolled": {
        "fi": "Yhdistä laite ensin palvelimeen.",
        "sv": "Anslut först enheten till servern.",
        "en": "Connect the device to the server first.",
    },
    # unlocking
    "unlock.title": {"fi": "Avaa lukitus", "sv": "Lås upp", "en": "Unlock"},
    "unlock.who": {"fi": "Kuka olet?", "sv": "Vem är du?", "en": "Who are you?"},
    "unlock.pin": {"fi": "PIN-koodi", "sv": "PIN-kod", "en": "PIN"},
    "unlock.button": {"fi": "Avaa", "sv": "Lås upp", "en": "Unlock"},
    "unlock.checking": {"fi": "Tarkistetaan…", "sv": "Kontrollerar…", "en": "Checking…"},
    "unlock.locked_idle": {
        "fi": "Sovellus lukittui, koska sitä ei käytetty hetkeen.",
        "sv": "Appen låstes eftersom den inte användes på en stund.",
        "en": "The app locked itself after a while without use.",
    },
    "unlock.wrong_pin": {
        "fi": "Väärä PIN-koodi. Yrityksiä jäljellä: {remaining}.",
        "sv": "Fel PIN-kod. Försök kvar: {remaining}.",
        "en": "Wrong PIN. Tries left: {remaining}.",
    },
    "unlock.wrong_pin_wait": {
        "fi": "Väärä PIN-koodi. Yrityksiä jäljellä: {remaining}. Seuraava yritys klo {time}.",
        "sv": "Fel PIN-kod. Försök kvar: {remaining}. Nästa försök kl. {time}.",
        "en": "Wrong PIN. Tries left: {remaining}. Next try at {time}.",
    },
    "unlock.too_early": {
        "fi": "Odota hetki: seuraava yritys klo {time}.",
        "sv": "Vänta en stund: nästa försök kl. {time}.",
        "en": "Please wait: the next try is at {time}.",
    },
    "unlock.locked_out": {
        "fi": "Tämä PIN-koodi on lukittu liian monen yrityksen jälkeen. Toinen ohjaaja voi avata sen.",
        "sv": "PIN-koden är spärrad efter för många försök. En annan handledare kan öppna den.",
        "en": "This PIN is locked after too many tries. Another supervisor can reset it.",
    },
    "unlock.pick_supervisor": {
        "fi": "Valitse ensin nimesi.",
        "sv": "Välj först ditt namn.",
        "en": "Choose your name first.",
    },
    # the shell
    "nav.today": {"fi": "Tänään", "sv": "I dag", "en": "Today"},
    "nav.overview": {"fi": "Viikko ja kuukausi", "sv": "Vecka och månad", "en": "Week and month"},
    "nav.overview_short": {"fi": "Yhteenveto", "sv": "Översikt", "en": "Overview"},
    "nav.sync": {"fi": "Synkronointi", "sv": "Synkronisering", "en": "Sync"},
    "nav.sync_short": {"fi": "Synkronointi", "sv": "Synkning", "en": "Sync"},
    "nav.more": {"fi": "Lisää", "sv": "Mer", "en": "More"},
    "shell.lock": {"fi": "Lukitse", "sv": "Lås", "en": "Lock"},
    "shell.language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "shell.signed_in": {
        "fi": "Kirjautuneena: {name}",
        "sv": "Inloggad: {name}",
        "en": "Signed in: {name}",
    },
    "shell.back": {"fi": "Takaisin", "sv": "Tillbaka", "en": "Back"},
    # sync status
    "sync.online": {"fi": "Yhteys", "sv": "Ansluten", "en": "Online"},
    "sync.offline": {"fi": "Ei yhteyttä", "sv": "Ingen anslutning", "en": "Offline"},
    "sync.unknown": {
        "fi": "Ei vielä synkronoitu",
        "sv": "Inte synkroniserad ännu",
        "en": "Not synced yet",
    },
    "sync.offline_calm": {
        "fi": "Ei yhteyttä palvelimeen. Voit jatkaa merkintöjä: ne lähetetään, kun yhteys palaa.",
        "sv": "Ingen anslutning till servern. Du kan fortsätta anteckna: allt skickas när anslutningen är tillbaka.",
        "en": "No connection to the server. You can keep recording: everything is sent when the connection is back.",
    },
    "sync.pending": {
        "fi": "Odottaa lähetystä: {count}",
        "sv": "Väntar på att skickas: {count}",
        "en": "Waiting to sync: {count}",
    },
    "sync.pending_short": {
        "fi": "{count} odottaa",
        "sv": "{count} väntar",
        "en": "{count} waiting",
    },
    "sync.all_sent": {"fi": "Kaikki lähetetty", "sv": "Allt skickat", "en": "All sent"},
    "sync.last_success": {
        "fi": "Viimeksi synkronoitu: {when}",
        "sv": "Senast synkroniserad: {when}",
        "en": "Last synced: {when}",
    },
    "sync.never": {"fi": "ei vielä", "sv": "inte ännu", "en": "not yet"},
    "sync.now": {"fi": "Synkronoi nyt", "sv": "Synkronisera nu", "en": "Sync now"},
    "sync.in_progress": {"fi": "Synkronoidaan…", "sv": "Synkroniserar…", "en": "Syncing…"},
    "sync.last_error": {
        "fi": "Viimeisin virhe: {detail}",
        "sv": "Senaste fel: {detail}",
        "en": "Last error: {detail}",
    },
    "sync.attention_title": {
        "fi": "Ratkaistavat ({count})",
        "sv": "Att lösa ({count})",
        "en": "To resolve ({count})",
    },
    "sync.attention_none": {
        "fi": "Ei ristiriitoja eikä hylättyjä merkintöjä.",
        "sv": "Inga konflikter eller avvisade anteckningar.",
        "en": "No conflicts or rejected records.",
    },
    "sync.conflicts": {
        "fi": "Ristiriitoja: {count}",
        "sv": "Konflikter: {count}",
        "en": "Conflicts: {count}",
    },
    "sync.rejections": {
        "fi": "Hylättyjä: {count}",
        "sv": "Avvisade: {count}",
        "en": "Rejected: {count}",
    },
    "sync.status_conflict": {"fi": "Ristiriita", "sv": "Konflikt", "en": "Conflict"},
    "sync.status_rejected": {"fi": "Hylätty", "sv": "Avvisad", "en": "Rejected"},
    "sync.yours": {
        "fi": "Tämä laite: {summary}",
        "sv": "Den här enheten: {summary}",
        "en": "This device: {summary}",
    },
    "sync.theirs": {
        "fi": "Palvelimella: {summary}",
        "sv": "På servern: {summary}",
        "en": "On the server: {summary}",
    },
    "sync.resolve": {"fi": "Kuitattu", "sv": "Kvitterad", "en": "Dismiss"},
    "sync.resolve_hint": {
        "fi": "Palvelimen versio on voimassa. Korjaa päivä tarvittaessa uudelleen ja kuittaa tämä.",
        "sv": "Serverns version gäller. Rätta dagen vid behov på nytt och kvittera detta.",
        "en": "The server's version stands. Correct the day again if needed and dismiss this.",
    },
    "sync.done": {
        "fi": "Synkronointi valmis: lähetetty {pushed}, vastaanotettu {pulled}.",
        "sv": "Synkroniseringen klar: skickade {pushed}, mottagna {pulled}.",
        "en": "Sync finished: sent {pushed}, received {pulled}.",
    },
    "sync.failed_because": {
        "fi": "Synkronointi ei onnistunut: {detail}",
        "sv": "Synkroniseringen lyckades inte: {detail}",
        "en": "Sync did not succeed: {detail}",
    },
    "sync.needs_action": {
        "fi": "Synkronointi vaatii toimia",
        "sv": "Synkroniseringen kräver åtgärd",
        "en": "Sync needs attention",
    },
    "sync.failed": {
        "fi": "Synkronointi ei onnistunut nyt. Tiedot ovat tallessa laitteella.",
        "sv": "Synkroniseringen lyckades inte nu. Uppgifterna finns kvar på enheten.",
        "en": "Sync did not succeed now. The data is safe on this device.",
    },
    # today
    "today.title": {"fi": "Päivä {date}", "sv": "Dag {date}", "en": "Day {date}"},
    "today.weekday_date": {
        "fi": "{weekday} {date}, viikko {week}",
        "sv": "{weekday} {date}, vecka {week}",
        "en": "{weekday} {date}, week {week}",
    },
    "today.prev_day": {"fi": "Edellinen päivä", "sv": "Föregående dag", "en": "Previous day"},
    "today.next_day": {"fi": "Seuraava päivä", "sv": "Nästa dag", "en": "Next day"},
    "today.go_today": {"fi": "Tänään", "sv": "I dag", "en": "Today"},
    "today.all_present": {
        "fi": "Kaikki paikalla ({count})",
        "sv": "Alla närvarande ({count})",
        "en": "All present ({count})",
    },
    "today.none_expected": {
        "fi": "Tälle päivälle ei ole odotettuja osallistujia.",
        "sv": "Inga deltagare väntas denna dag.",
        "en": "No participants are expected on this day.",
    },
    "today.not_marked": {"fi": "Ei merkitty", "sv": "Inte antecknad", "en": "Not recorded"},
    "today.present": {"fi": "Paikalla", "sv": "Närvarande", "en": "Present"},
    "today.absent": {"fi": "Poissa", "sv": "Frånvarande", "en": "Absent"},
    "today.times": {"fi": "Muu aika", "sv": "Annan tid", "en": "Other time"},
    "today.add_other": {
        "fi": "Lisää muu osallistuja",
        "sv": "Lägg till annan deltagare",
        "en": "Add another participant",
    },
    "today.no_others": {
        "fi": "Kaikki osallistujat ovat listalla.",
        "sv": "Alla deltagare finns i listan.",
        "en": "Everyone is on the list.",
    },
    "today.week_count": {
        "fi": "{count}/{max} pv tällä viikolla",
        "sv": "{count}/{max} d denna vecka",
        "en": "{count} of {max} days this week",
    },
    "today.saved": {"fi": "Tallennettu: {name}", "sv": "Sparat: {name}", "en": "Saved: {name}"},
    "today.saved_many": {
        "fi": "Merkitty paikalle: {count}",
        "sv": "Antecknade som närvarande: {count}",
        "en": "Marked present: {count}",
    },
    "today.not_saved": {
        "fi": "Ei tallennettu: {name}",
        "sv": "Inte sparat: {name}",
        "en": "Not saved: {name}",
    },
    "today.closed_day": {"fi": "Kuukausi suljettu", "sv": "Månaden stängd", "en": "Month closed"},
    "today.future": {
        "fi": "Tulevia päiviä ei voi merkitä.",
        "sv": "Framtida dagar kan inte antecknas.",
        "en": "Future days cannot be recorded.",
    },
    "record.present_minutes": {
        "fi": "Läsnä {hours} h",
        "sv": "Närvarande {hours} h",
        "en": "Present {hours} h",
    },
    "record.present_times": {
        "fi": "Läsnä {start}–{end}",
        "sv": "Närvarande {start}–{end}",
        "en": "Present {start}–{end}",
    },
    "record.absent": {
        "fi": "Poissa: {reason}",
        "sv": "Frånvarande: {reason}",
        "en": "Absent: {reason}",
    },
    "record.not_held": {"fi": "Palvelua ei järjestetä", "sv": "Ingen verksamhet", "en": "Not held"},
    # dialogs
    "absence.title": {
        "fi": "Poissaolon syy: {name}",
        "sv": "Orsak till frånvaro: {name}",
        "en": "Reason for absence: {name}",
    },
    "absence.not_held": {
        "fi": "Palvelua ei järjestetä",
        "sv": "Ingen verksamhet",
        "en": "Not held",
    },
    "times.title": {
        "fi": "Läsnäoloaika: {name}",
        "sv": "Närvarotid: {name}",
        "en": "Time present: {name}",
    },
    "times.start": {
        "fi": "Alku (esim. 8.00)",
        "sv": "Början (t.ex. 8.00)",
        "en": "Start (e.g. 8:00)",
    },
    "times.end": {
        "fi": "Loppu (esim. 14.00)",
        "sv": "Slut (t.ex. 14.00)",
        "en": "End (e.g. 14:00)",
    },
    "times.hours": {
        "fi": "tai tunnit (esim. 4,5)",
        "sv": "eller timmar (t.ex. 4,5)",
        "en": "or hours (e.g. 4.5)",
    },
    "times.save": {"fi": "Tallenna", "sv": "Spara", "en": "Save"},
    "times.bad": {
        "fi": "Anna alku ja loppu muodossa 8.00 tai tunnit numerona.",
        "sv": "Ange början och slut som 8.00 eller timmar som ett tal.",
        "en": "Give start and end as 8:00 or the hours as a number.",
    },
    "correction.title": {
        "fi": "Korjauksen syy",
        "sv": "Orsak till rättelse",
        "en": "Reason for correction",
    },
    "correction.intro": {
        "fi": "Päivälle on jo merkintä. Kerro lyhyesti, miksi se muuttuu (ei terveystietoja).",
        "sv": "Dagen har redan en anteckning. Berätta kort varför den ändras (inga hälsouppgifter).",
        "en": "The day already has a record. Say briefly why it changes (no health details).",
    },
    "correction.reason": {"fi": "Syy", "sv": "Orsak", "en": "Reason"},
    "correction.missing": {
        "fi": "Korjaukselle tarvitaan syy.",
        "sv": "En rättelse kräver en orsak.",
        "en": "A correction needs a reason.",
    },
    "dialog.cancel": {"fi": "Peruuta", "sv": "Avbryt", "en": "Cancel"},
    "dialog.confirm": {"fi": "Vahvista", "sv": "Bekräfta", "en": "Confirm"},
    # participant
    "participant.title": {"fi": "Osallistuja", "sv": "Deltagare", "en": "Participant"},
    "participant.plan": {"fi": "Suunnitelma", "sv": "Plan", "en": "Plan"},
    "participant.no_plan": {
        "fi": "Ei voimassa olevaa suunnitelmaa.",
        "sv": "Ingen gällande plan.",
        "en": "No plan in force.",
    },
    "participant.period": {
        "fi": "Jakso {start}–{end}",
        "sv": "Period {start}–{end}",
        "en": "Period {start}–{end}",
    },
    "participant.days_per_week": {
        "fi": "{min}–{max} päivää viikossa",
        "sv": "{min}–{max} dagar i veckan",
        "en": "{min}–{max} days a week",
    },
    "participant.days_per_week_one": {
        "fi": "{max} päivää viikossa",
        "sv": "{max} dagar i veckan",
        "en": "{max} days a week",
    },
    "participant.hours_per_day": {
        "fi": "{min}–{max} h päivässä",
        "sv": "{min}–{max} h per dag",
        "en": "{min}–{max} h a day",
    },
    "participant.hours_per_day_one": {
        "fi": "{max} h päivässä",
        "sv": "{max} h per dag",
        "en": "{max} h a day",
    },
    "participant.weekdays": {
        "fi": "Sovitut päivät: {days}",
        "sv": "Avtalade dagar: {days}",
        "en": "Agreed days: {days}",
    },
    "participant.any_weekday": {
        "fi": "Mikä tahansa arkipäivä",
        "sv": "Vilken vardag som helst",
        "en": "Any weekday",
    },
    "participant.allowance": {
        "fi": "Korvaus: {name}, maksaja {payer}",
        "sv": "Ersättning: {name}, betalare {payer}",
        "en": "Allowance: {name}, paid by {payer}",
    },
    "participant.week": {
        "fi": "Viikko {week}: {count}/{max} päivää",
        "sv": "Vecka {week}: {count}/{max} dagar",
        "en": "Week {week}: {count} of {max} days",
    },
    "participant.month": {
        "fi": "{month}: {count} läsnäolopäivää, korvattavia {eligible}",
        "sv": "{month}: {count} närvarodagar, ersättningsberättigade {eligible}",
        "en": "{month}: {count} days present, {eligible} eligible",
    },
    "participant.days_title": {"fi": "Päivät", "sv": "Dagar", "en": "Days"},
    "participant.no_days": {
        "fi": "Ei merkintöjä tässä kuussa.",
        "sv": "Inga anteckningar denna månad.",
        "en": "No records this month.",
    },
    "participant.log_day": {
        "fi": "Merkitse tämä päivä",
        "sv": "Anteckna denna dag",
        "en": "Record this day",
    },
    "participant.prev_month": {
        "fi": "Edellinen kuukausi",
        "sv": "Föregående månad",
        "en": "Previous month",
    },
    "participant.next_month": {"fi": "Seuraava kuukausi", "sv": "Nästa månad", "en": "Next month"},
    # overview
    "overview.week": {"fi": "Viikko", "sv": "Vecka", "en": "Week"},
    "overview.month": {"fi": "Kuukausi", "sv": "Månad", "en": "Month"},
    "overview.week_title": {
        "fi": "Viikko {week}: {start}–{end}",
        "sv": "Vecka {week}: {start}–{end}",
        "en": "Week {week}: {start}–{end}",
    },
    "overview.prev": {"fi": "Edellinen", "sv": "Föregående", "en": "Previous"},
    "overview.next": {"fi": "Seuraava", "sv": "Nästa", "en": "Next"},
    "overview.chart_title": {
        "fi": "Läsnäolopäivät suhteessa suunnitelmaan",
        "sv": "Närvarodagar i förhållande till planen",
        "en": "Days attended against the plan",
    },
    "overview.attended": {"fi": "Läsnä", "sv": "Närvarande", "en": "Attended"},
    "overview.planned": {"fi": "Suunnitelma enintään", "sv": "Planen högst", "en": "Plan at most"},
    "overview.row": {
        "fi": "{name}: {count}/{max}",
        "sv": "{name}: {count}/{max}",
        "en": "{name}: {count} of {max}",
    },
    "overview.count": {
        "fi": "{count}/{max} pv",
        "sv": "{count}/{max} d",
        "en": "{count} of {max} days",
    },
    "overview.warnings": {
        "fi": "Huomioita: {count}",
        "sv": "Anmärkningar: {count}",
        "en": "Warnings: {count}",
    },
    "overview.legend": {
        "fi": "L = läsnä, P = poissa, E = ei järjestetä, ! = huomio",
        "sv": "N = närvarande, F = frånvarande, I = ingen verksamhet, ! = anmärkning",
        "en": "P = present, A = absent, N = not held, ! = warning",
    },
    "cell.present": {"fi": "L", "sv": "N", "en": "P"},
    "cell.absent": {"fi": "P", "sv": "F", "en": "A"},
    "cell.not_held": {"fi": "E", "sv": "I", "en": "N"},
    # month close
    "month.title": {"fi": "Kuukauden sulkeminen", "sv": "Stänga månaden", "en": "Close the month"},
    "month.summary": {
        "fi": "{month}: yhteenveto",
        "sv": "{month}: sammanfattning",
        "en": "{month}: summary",
    },
    "month.open_findings": {
        "fi": "Avoimia huomioita: {count}",
        "sv": "Öppna anmärkningar: {count}",
        "en": "Open findings: {count}",
    },
    "month.unmarked": {
        "fi": "Merkitsemättömiä odotettuja päiviä: {count}",
        "sv": "Oantecknade väntade dagar: {count}",
        "en": "Expected days not recorded: {count}",
    },
    "month.records": {
        "fi": "Merkintöjä: {count}",
        "sv": "Anteckningar: {count}",
        "en": "Records: {count}",
    },
    "month.close": {"fi": "Sulje kuukausi", "sv": "Stäng månaden", "en": "Close the month"},
    "month.confirm": {
        "fi": "Suljetaanko {month}? Sen jälkeen muutokset vaativat syyn ja menevät koordinaattorin tarkistettaviksi.",
        "sv": "Stänga {month}? Därefter kräver ändringar en orsak och granskas av koordinatorn.",
        "en": "Close {month}? After that, changes need a reason and go to the coordinator for review.",
    },
    "month.closed": {
        "fi": "{month} on suljettu.",
        "sv": "{month} är stängd.",
        "en": "{month} is closed.",
    },
    "month.is_closed": {"fi": "Suljettu", "sv": "Stängd", "en": "Closed"},
    "month.nothing_open": {
        "fi": "Ei avoimia huomioita.",
        "sv": "Inga öppna anmärkningar.",
        "en": "No open findings.",
    },
    # more
    "more.title": {"fi": "Lisää", "sv": "Mer", "en": "More"},
    "more.add_supervisor": {
        "fi": "Lisää ohjaaja tälle laitteelle",
        "sv": "Lägg till handledare på enheten",
        "en": "Add a supervisor to this device",
    },
    "more.supervisor_added": {
        "fi": "Ohjaaja lisätty: {name}",
        "sv": "Handledare tillagd: {name}",
        "en": "Supervisor added: {name}",
    },
    "more.add": {"fi": "Lisää ohjaaja", "sv": "Lägg till handledare", "en": "Add supervisor"},
    "more.site": {
        "fi": "Toimipaikka: {site}",
        "sv": "Verksamhetsplats: {site}",
        "en": "Site: {site}",
    },
    "more.idle": {
        "fi": "Sovellus lukittuu {minutes} min käyttämättömyyden jälkeen.",
        "sv": "Appen låses efter {minutes} min utan användning.",
        "en": "The app locks after {minutes} min without use.",
    },
}

# Issue 10, files at rest: where the device secret is kept, and the PIN rules.
_AT_REST_TEXTS: Mapping[str, Mapping[str, str]] = {
    "more.secret_keyring": {
        "fi": "Laitteen avain on käyttöjärjestelmän avainnipussa: kopioidulla "
        "sovelluskansiolla ei voi arvailla PIN-koodeja.",
        "sv": "Enhetens nyckel finns i operativsystemets nyckelring: en kopierad appmapp "
        "räcker inte för att gissa PIN-koder.",
        "en": "This device's key is in the operating system's keyring: a copied app folder "
        "is not enough to guess PINs.",
    },
    "more.secret_file": {
        "fi": "Laitteen avain on tiedostossa tietokannan vieressä, koska tässä järjestelmässä "
        "ei ole avainnippua. Suojaa sovelluskansio: sen kopiosta PIN-koodin voi arvata.",
        "sv": "Enhetens nyckel finns i en fil bredvid databasen, eftersom systemet saknar "
        "nyckelring. Skydda appmappen: med en kopia av den kan PIN-koden gissas.",
        "en": "This device's key is in a file beside the database, because this system has "
        "no keyring. Protect the app folder: with a copy of it, the PIN can be guessed.",
    },
    "more.secret_platform": {
        "fi": "Laitteen avain on puhelimen suojatussa tallennustilassa.",
        "sv": "Enhetens nyckel finns i telefonens säkra lagring.",
        "en": "This device's key is in the phone's secure storage.",
    },
    "error.pin_same_digit": {
        "fi": "PIN-koodi ei voi olla yhtä numeroa toistettuna (kuten 111111): se arvataan "
        "ensimmäisenä.",
        "sv": "PIN-koden får inte vara en och samma siffra (som 111111): den gissas först.",
        "en": "The PIN cannot be one digit repeated (such as 111111): that is guessed first.",
    },
    "error.pin_run": {
        "fi": "PIN-koodi ei voi olla numerojono ylös- tai alaspäin (kuten 123456 tai "
        "654321): se arvataan ensimmäisten joukossa.",
        "sv": "PIN-koden får inte vara en talföljd uppåt eller nedåt (som 123456 eller "
        "654321): den hör till de första som gissas.",
        "en": "The PIN cannot count up or down (such as 123456 or 654321): that is among "
        "the first guessed.",
    },
    "error.pin_common": {
        "fi": "Tämä PIN-koodi on yleisimpien joukossa (kuten 121212 tai 112233), ja ne "
        "arvataan ensin. Valitse toinen.",
        "sv": "Den här PIN-koden hör till de vanligaste (som 121212 eller 112233), och de "
        "gissas först. Välj en annan.",
        "en": "This PIN is among the most common ones (such as 121212 or 112233), which are "
        "guessed first. Choose another.",
    },
    "newpin.title": {"fi": "Uusi PIN-koodi", "sv": "Ny PIN-kod", "en": "New PIN"},
    "newpin.intro": {
        "fi": "PIN-koodisi on liian lyhyt tai helppo arvata. Valitse uusi, vähintään "
        "6-numeroinen PIN-koodi ennen kuin jatkat.",
        "sv": "Din PIN-kod är för kort eller lätt att gissa. Välj en ny PIN-kod med minst "
        "6 siffror innan du fortsätter.",
        "en": "Your PIN is too short or easy to guess. Choose a new PIN of at least 6 digits "
        "before you go on.",
    },
    "newpin.save": {"fi": "Tallenna uusi PIN", "sv": "Spara ny PIN", "en": "Save new PIN"},
    "more.change_pin": {"fi": "Vaihda PIN-koodi", "sv": "Byt PIN-kod", "en": "Change PIN"},
    "more.current_pin": {
        "fi": "Nykyinen PIN-koodi",
        "sv": "Nuvarande PIN-kod",
        "en": "Current PIN",
    },
    "more.pin_changed": {
        "fi": "PIN-koodi vaihdettu.",
        "sv": "PIN-koden har bytts.",
        "en": "PIN changed.",
    },
}

TEXTS: Mapping[str, Mapping[str, str]] = {**_SCREEN_TEXTS, **_AT_REST_TEXTS, **PROBLEM_TEXTS}


@runtime_checkable
class Localised(Protocol):
    """Something said in whatever language the screen shows (an error's detail)."""

    def text(self, lang: str) -> str: ...


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text ``key`` in ``lang`` (Finnish when the language is unknown), filled in.

    A parameter that is :class:`Localised` is said in ``lang`` too."""
    texts = TEXTS[key]
    template = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    if not params:
        return template
    said = {k: v.text(lang) if isinstance(v, Localised) else v for k, v in params.items()}
    return template.format(**said)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "MONTHS",
    "TEXTS",
    "WEEKDAYS_SHORT",
    "Localised",
    "fmt_date",
    "fmt_datetime",
    "fmt_hours",
    "fmt_short_date",
    "fmt_time",
    "month_name",
    "t",
    "weekday_name",
    "weekday_short",
]
