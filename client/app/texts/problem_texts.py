"""What the store and the sync client can report, in Finnish, Swedish and English.

One text per code of :data:`client.sync.SYNC_PROBLEMS` (``sync_error.<code>``) and
:class:`client.store.StoreProblem` (``store_error.<code>``), and an ``unknown`` text
for a code this version of the app does not know, which shows the English detail
for whoever supports the site. :mod:`client.app.texts.i18n` merges these into its texts.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.error_codes import ErrorCode

ASK_ADMIN = {
    "fi": "Ota yhteys ylläpitäjään.",
    "sv": "Kontakta administratören.",
    "en": "Contact the administrator.",
}
NEW_CODE = {
    "fi": "Pyydä ylläpitäjältä uusi kertakäyttöinen koodi.",
    "sv": "Be administratören om en ny engångskod.",
    "en": "Ask the administrator for a new one-time code.",
}
LATER = {"fi": "Yritä myöhemmin uudelleen.", "sv": "Försök igen senare.", "en": "Try again later."}


def _then(first: Mapping[str, str], then: Mapping[str, str]) -> dict[str, str]:
    return {lang: f"{first[lang]} {then[lang]}" for lang in ("fi", "sv", "en")}


SYNC_TEXTS: Mapping[str, Mapping[str, str]] = {
    f"sync_error.{ErrorCode.FAILED}": _then(
        {
            "fi": "Synkronointi ei onnistunut.",
            "sv": "Synkroniseringen lyckades inte.",
            "en": "Sync did not succeed.",
        },
        LATER,
    ),
    f"sync_error.{ErrorCode.UNREACHABLE}": {
        "fi": "Palvelimeen ei saatu yhteyttä. Tarkista osoite ja verkkoyhteys ja yritä uudelleen.",
        "sv": "Det gick inte att nå servern. Kontrollera adressen och nätverket och försök igen.",
        "en": "The server could not be reached. Check the address and the network, then try again.",
    },
    f"sync_error.{ErrorCode.SERVER_BUSY}": _then(
        {
            "fi": "Palvelin on juuri nyt ruuhkautunut.",
            "sv": "Servern är överbelastad just nu.",
            "en": "The server is busy right now.",
        },
        LATER,
    ),
    f"sync_error.{ErrorCode.SERVER_ERROR}": _then(
        {
            "fi": "Palvelimella on häiriö.",
            "sv": "Det är en störning på servern.",
            "en": "The server has a fault.",
        },
        LATER,
    ),
    f"sync_error.{ErrorCode.BAD_REPLY}": {
        "fi": "Palvelimen vastausta ei ymmärretty. Yritä myöhemmin uudelleen; jos tämä toistuu, "
        "ota yhteys ylläpitäjään.",
        "sv": "Serverns svar gick inte att tolka. Försök igen senare; kontakta administratören "
        "om det upprepas.",
        "en": "The server's answer was not understood. Try again later; if it keeps happening, "
        "contact the administrator.",
    },
    f"sync_error.{ErrorCode.NOT_ANSWERED}": {
        "fi": "Palvelin ei vastannut lähetettyihin merkintöihin. Ne lähetetään myöhemmin "
        "uudelleen.",
        "sv": "Servern svarade inte på de skickade anteckningarna. De skickas igen senare.",
        "en": "The server did not answer the records sent. They will be sent again later.",
    },
    f"sync_error.{ErrorCode.NOT_ENROLLED}": {
        "fi": "Laitetta ei ole yhdistetty palvelimeen. Anna palvelimen osoite ja ylläpitäjältä "
        "saamasi koodi.",
        "sv": "Enheten är inte ansluten till servern. Ange serverns adress och koden du fått av "
        "administratören.",
        "en": "This device is not connected to a server. Enter the server address and the code "
        "from your administrator.",
    },
    f"sync_error.{ErrorCode.CREDENTIAL_REVOKED}": _then(
        {
            "fi": "Palvelin ei enää hyväksy tätä laitetta (sen käyttöoikeus on ehkä peruttu). "
            "Merkinnät ovat tallessa laitteella.",
            "sv": "Servern godkänner inte längre den här enheten (behörigheten kan ha "
            "återkallats). Anteckningarna finns kvar på enheten.",
            "en": "The server no longer accepts this device (it may have been revoked). The "
            "records are safe on this device.",
        },
        NEW_CODE,
    ),
    f"sync_error.{ErrorCode.PROTOCOL_TOO_OLD}": {
        "fi": "Palvelin ei enää tue tätä sovelluksen versiota. Päivitä sovellus, niin "
        "synkronointi jatkuu.",
        "sv": "Servern stöder inte längre den här versionen av appen. Uppdatera appen så "
        "fortsätter synkroniseringen.",
        "en": "The server no longer supports this version of the app. Update the app to sync "
        "again.",
    },
    f"sync_error.{ErrorCode.BATCH_REFUSED}": _then(
        {
            "fi": "Palvelin ei ottanut merkintää vastaan, koska se on liian suuri.",
            "sv": "Servern tog inte emot anteckningen eftersom den är för stor.",
            "en": "The server did not take a record because it is too large.",
        },
        ASK_ADMIN,
    ),
    f"sync_error.{ErrorCode.RECORDS_REFUSED}": _then(
        {
            "fi": "Palvelin ei tunne tällä toimipaikalla osallistujaa, jota merkintä koskee.",
            "sv": "Servern känner inte till deltagaren som anteckningen gäller på den här "
            "verksamhetsplatsen.",
            "en": "The server does not know the participant of a record at this site.",
        },
        ASK_ADMIN,
    ),
    f"sync_error.{ErrorCode.ANOTHER_SITE}": _then(
        {
            "fi": "Palvelin ei salli tämän laitteen käsitellä toisen toimipaikan tietoja.",
            "sv": "Servern tillåter inte att den här enheten hanterar en annan "
            "verksamhetsplats uppgifter.",
            "en": "The server does not let this device handle another site's data.",
        },
        ASK_ADMIN,
    ),
    f"sync_error.{ErrorCode.REQUEST_REFUSED}": {
        "fi": "Palvelin hylkäsi pyynnön virheellisenä. Merkinnät ovat tallessa laitteella. "
        "Ota yhteys ylläpitäjään.",
        "sv": "Servern avvisade begäran som felaktig. Anteckningarna finns kvar på enheten. "
        "Kontakta administratören.",
        "en": "The server refused the request as malformed. The records are safe on this "
        "device. Contact the administrator.",
    },
    f"sync_error.{ErrorCode.REFUSED}": {
        "fi": "Palvelin kieltäytyi pyynnöstä (koodi {server_code}, {status}). Merkinnät ovat "
        "tallessa laitteella. Ota yhteys ylläpitäjään.",
        "sv": "Servern avvisade begäran (kod {server_code}, {status}). Anteckningarna finns "
        "kvar på enheten. Kontakta administratören.",
        "en": "The server refused the request (code {server_code}, {status}). The records are "
        "safe on this device. Contact the administrator.",
    },
    f"sync_error.{ErrorCode.URL_INVALID}": {
        "fi": "Palvelimen osoitteen pitää olla muotoa https://palvelin.esimerkki.fi "
        "(tarkista kirjoitusvirheet).",
        "sv": "Serverns adress ska ha formen https://server.exempel.fi (kontrollera stavningen).",
        "en": "The server address must look like https://server.example.fi (check for typos).",
    },
    f"sync_error.{ErrorCode.NOT_HTTPS}": {
        "fi": "Palvelimen osoitteen pitää alkaa https://, jotta tiedot kulkevat salattuina.",
        "sv": "Serverns adress måste börja med https:// så att uppgifterna överförs krypterade.",
        "en": "The server address must start with https:// so that the data travels encrypted.",
    },
    f"sync_error.{ErrorCode.CODE_MISSING}": {
        "fi": "Anna ylläpitäjältä saamasi koodi.",
        "sv": "Ange koden du fått av administratören.",
        "en": "Enter the code from your administrator.",
    },
    f"sync_error.{ErrorCode.ENROLLMENT_CODE_INVALID}": {
        "fi": "Koodi ei kelpaa. Tarkista se tai pyydä ylläpitäjältä uusi.",
        "sv": "Koden är inte giltig. Kontrollera den eller be administratören om en ny.",
        "en": "This code is not valid. Check it, or ask the administrator for a new one.",
    },
    f"sync_error.{ErrorCode.ENROLLMENT_CODE_USED}": {
        "fi": "Koodi on jo käytetty. Pyydä ylläpitäjältä uusi.",
        "sv": "Koden har redan använts. Be administratören om en ny.",
        "en": "This code has already been used. Ask the administrator for a new one.",
    },
    f"sync_error.{ErrorCode.ENROLLMENT_CODE_EXPIRED}": {
        "fi": "Koodi on vanhentunut. Pyydä ylläpitäjältä uusi.",
        "sv": "Koden har gått ut. Be administratören om en ny.",
        "en": "This code has expired. Ask the administrator for a new one.",
    },
    f"sync_error.{ErrorCode.ENROLLMENT_REFUSED}": {
        "fi": "Palvelin ei hyväksynyt laitetta. Tarkista laitteen nimi ja koodi tai ota "
        "yhteys ylläpitäjään.",
        "sv": "Servern godkände inte enheten. Kontrollera enhetens namn och koden eller "
        "kontakta administratören.",
        "en": "The server did not accept the device. Check the device name and the code, or "
        "contact the administrator.",
    },
    "sync_error.unknown": {
        "fi": "Synkronointi ei onnistunut. Tekninen tieto ylläpitäjälle: {detail}",
        "sv": "Synkroniseringen lyckades inte. Teknisk uppgift för administratören: {detail}",
        "en": "Sync did not succeed. Technical detail for the administrator: {detail}",
    },
}

STORE_TEXTS: Mapping[str, Mapping[str, str]] = {
    "store_error.failed": {
        "fi": "Toiminto ei onnistunut laitteella. Tekninen tieto ylläpitäjälle: {detail}",
        "sv": "Åtgärden lyckades inte på enheten. Teknisk uppgift för administratören: {detail}",
        "en": "This did not succeed on the device. Technical detail for the administrator: "
        "{detail}",
    },
    "store_error.locked": {
        "fi": "Sovellus on lukittu. Avaa se PIN-koodilla.",
        "sv": "Appen är låst. Lås upp den med PIN-koden.",
        "en": "The app is locked. Unlock it with your PIN.",
    },
    "store_error.locked_idle": {
        "fi": "Sovellus lukittui, koska sitä ei käytetty hetkeen. Avaa se PIN-koodilla.",
        "sv": "Appen låstes eftersom den inte användes på en stund. Lås upp den med PIN-koden.",
        "en": "The app locked itself after a while without use. Unlock it with your PIN.",
    },
    "store_error.closed": {
        "fi": "Laitteen tietovarasto on suljettu. Käynnistä sovellus uudelleen.",
        "sv": "Enhetens datalager är stängt. Starta om appen.",
        "en": "The device's store is closed. Start the app again.",
    },
    "store_error.unlock_failed": {
        "fi": "Lukituksen avaaminen ei onnistunut.",
        "sv": "Upplåsningen lyckades inte.",
        "en": "Unlocking did not succeed.",
    },
    "store_error.wrong_pin": {
        "fi": "Väärä PIN-koodi. Yrityksiä jäljellä: {remaining}.",
        "sv": "Fel PIN-kod. Försök kvar: {remaining}.",
        "en": "Wrong PIN. Tries left: {remaining}.",
    },
    "store_error.too_early": {
        "fi": "Liian monta väärää PIN-koodia peräkkäin: seuraava yritys klo {retry_after}.",
        "sv": "För många fel PIN-koder i rad: nästa försök kl. {retry_after}.",
        "en": "Too many wrong PINs in a row: the next try is at {retry_after}.",
    },
    "store_error.pin_locked_out": {
        "fi": "Tämä PIN-koodi on lukittu liian monen yrityksen jälkeen. Toinen ohjaaja voi "
        "avata laitteen ja vaihtaa sen.",
        "sv": "PIN-koden är spärrad efter för många försök. En annan handledare kan låsa upp "
        "enheten och byta den.",
        "en": "This PIN is locked after too many tries. Another supervisor can unlock the "
        "device and reset it.",
    },
    "store_error.cannot_open": _then(
        {
            "fi": "Tallennettuja tietoja ei voi avata: ne on suojattu toisella avaimella tai "
            "niitä on muutettu.",
            "sv": "De sparade uppgifterna kan inte öppnas: de är skyddade med en annan nyckel "
            "eller har ändrats.",
            "en": "The stored data cannot be opened: it is protected with another key or was "
            "changed.",
        },
        ASK_ADMIN,
    ),
    "store_error.not_this_device": _then(
        {
            "fi": "Tätä tietovarastoa ei voi avata tällä laitteella: se on luotu toisella.",
            "sv": "Det här datalagret kan inte öppnas på den här enheten: det skapades på en "
            "annan.",
            "en": "This store cannot be opened on this device: it was created on another one.",
        },
        ASK_ADMIN,
    ),
    "store_error.supervisor_refused": {
        "fi": "Ohjaajaa koskevaa muutosta ei voitu tehdä.",
        "sv": "Ändringen som gäller handledaren kunde inte göras.",
        "en": "The change about the supervisor could not be made.",
    },
    "store_error.supervisor_unknown": {
        "fi": "Tällä laitteella ei ole tätä ohjaajaa.",
        "sv": "Handledaren finns inte på den här enheten.",
        "en": "There is no such supervisor on this device.",
    },
    "store_error.supervisor_exists": {
        "fi": "Ohjaaja on jo lisätty tälle laitteelle.",
        "sv": "Handledaren finns redan på den här enheten.",
        "en": "This supervisor is already on this device.",
    },
    "store_error.already_set_up": {
        "fi": "Laitteella on jo ohjaajia: kirjautunut ohjaaja lisää uudet.",
        "sv": "Enheten har redan handledare: en inloggad handledare lägger till nya.",
        "en": "This device already has supervisors: a signed-in supervisor adds new ones.",
    },
    "store_error.own_pin": {
        "fi": "Vaihda oma PIN-koodisi nykyisen PIN-koodin avulla.",
        "sv": "Byt din egen PIN-kod med hjälp av din nuvarande PIN-kod.",
        "en": "Change your own PIN with your current PIN instead.",
    },
    "store_error.remove_self": {
        "fi": "Kirjautunut ohjaaja ei voi poistaa itseään.",
        "sv": "En inloggad handledare kan inte ta bort sig själv.",
        "en": "A signed-in supervisor cannot remove themselves.",
    },
    "store_error.name_missing": {
        "fi": "Ohjaajalla pitää olla nimi.",
        "sv": "Handledaren måste ha ett namn.",
        "en": "A supervisor needs a name.",
    },
    "store_error.weak_pin": {
        "fi": "PIN-koodissa pitää olla vähintään {min_length} numeroa, eikä se saa olla "
        "helposti arvattava (kuten 123456 tai 111111).",
        "sv": "PIN-koden måste ha minst {min_length} siffror och får inte vara lätt att "
        "gissa (som 123456 eller 111111).",
        "en": "A PIN must have at least {min_length} digits and must not be easy to guess "
        "(such as 123456 or 111111).",
    },
    "store_error.record_not_allowed": {
        "fi": "Merkintää ei voi tallentaa näin.",
        "sv": "Anteckningen kan inte sparas så här.",
        "en": "The record cannot be saved this way.",
    },
    "store_error.record_other_author": {
        "fi": "Merkinnän tekijänä pitää olla kirjautunut ohjaaja.",
        "sv": "Anteckningen måste ha den inloggade handledaren som antecknare.",
        "en": "A record must name the signed-in supervisor as the one who recorded it.",
    },
    "store_error.record_id_taken": {
        "fi": "Tämä merkinnän versio on jo tallennettu. Tee uusi versio.",
        "sv": "Den här versionen av anteckningen är redan sparad. Gör en ny version.",
        "en": "This version of the record is already saved. Make a new version.",
    },
    "store_error.month_invalid": {
        "fi": "Kuukautta {month} ei ole: kuukaudet ovat 1–12.",
        "sv": "Det finns ingen månad {month}: månaderna är 1–12.",
        "en": "There is no month {month}: months are 1–12.",
    },
    "store_error.unknown": {
        "fi": "Toiminto ei onnistunut laitteella. Tekninen tieto ylläpitäjälle: {detail}",
        "sv": "Åtgärden lyckades inte på enheten. Teknisk uppgift för administratören: {detail}",
        "en": "This did not succeed on the device. Technical detail for the administrator: "
        "{detail}",
    },
}

PROBLEM_TEXTS: Mapping[str, Mapping[str, str]] = {**SYNC_TEXTS, **STORE_TEXTS}
