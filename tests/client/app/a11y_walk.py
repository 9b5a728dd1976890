"""The accessibility walk (issue 11): read what a screen reader gets from the app's
screen in Chromium (Flutter's semantics tree, ``flt-semantics`` elements in the DOM)
and say what is wrong with it.

``problems(page, lang, screen)`` lists, for the screen as it is now:

* an interactive control (a button, a tappable area, a text field, a tab…) without a
  name;
* a name said twice: the same line repeated in one node ("Aino Virtanen\\nAino
  Virtanen"), or a wrapper around a control carrying the control's name again (a
  tooltip or label around an icon button);
* a touch target smaller than 48 × 48 CSS px (one that the scrolled screen cuts
  at its edge is scrolled into view and measured again);
* a name or a text in another language than the screen's: equal to a text of another
  language's catalogue that this language says differently (or to one of Flutter's
  built-in English labels, on a Finnish or Swedish screen), whole or as one part of
  it ("Present: Aino Virtanen" on a Finnish screen);
* a dialog announced with a generic name ("Alert") or none, instead of its title.

A screen added later is covered by one more ``check(page, lang, "name")`` in
``test_browser_a11y.py`` once the walk has reached it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from babel.messages.pofile import read_po
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from shared import i18n

TARGET = 48
# Flutter draws sizes in logical pixels; the DOM rounds them to a fraction
TOLERANCE = 0.5

# Each interactive node with its accessible name as Chromium computes it from the
# attributes Flutter writes (aria-label, else the node's text), its box, and whether a
# wrapper (an ancestor up to the next interactive node) says the same name again.
_NODES = """() => {
  const interactive = 'flt-semantics[role=button], flt-semantics[role=link],'
    + ' flt-semantics[role=checkbox], flt-semantics[role=radio], flt-semantics[role=switch],'
    + ' flt-semantics[role=tab], flt-semantics[role=menuitem], flt-semantics[role=slider],'
    + ' flt-semantics[flt-tappable], flt-semantics input, flt-semantics textarea';
  const nameOf = e => (e.getAttribute('aria-label') || e.textContent || e.placeholder || '').trim();
  const idOf = e => {
    for (let a = e; a && a.tagName !== 'FLT-SEMANTICS-HOST'; a = a.parentElement) {
      const id = a.getAttribute && a.getAttribute('flt-semantics-identifier');
      if (id) return id;
    }
    return '';
  };
  const out = [];
  const seen = new Set();
  for (const e of document.querySelectorAll(interactive)) {
    // a tappable node inside a button (Flutter marks both) is the same control
    if (seen.has(e)) continue;
    let inner = e.querySelectorAll(interactive);
    inner.forEach(i => { if (!i.matches('input, textarea')) seen.add(i); });
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const name = nameOf(e);
    let wrapper = '';
    for (let a = e.parentElement; a && a.tagName === 'FLT-SEMANTICS'; a = a.parentElement) {
      if (a.matches(interactive)) break;
      const label = (a.getAttribute('aria-label') || '').trim();
      if (label && label === name) { wrapper = label; break; }
    }
    const node = e.id ? e : e.parentElement;  // an input's node is its parent
    out.push({kind: 'control', role: e.getAttribute('role') || e.tagName.toLowerCase(),
              name, id: idOf(e), width: r.width, height: r.height, wrapper, node: node.id});
  }
  for (const e of document.querySelectorAll('flt-semantics[aria-label], flt-semantics span')) {
    const text = e.tagName === 'SPAN' ? e.textContent : e.getAttribute('aria-label');
    out.push({kind: 'text', role: '', name: (text || '').trim(), id: idOf(e),
              width: 0, height: 0, wrapper: '', node: ''});
  }
  const dialogs = 'flt-semantics[role=dialog], flt-semantics[role=alertdialog]';
  for (const d of document.querySelectorAll(dialogs)) {
    let label = d.getAttribute('aria-label') || '';
    if (!label) {
      const named = d.querySelector('flt-semantics[aria-label]');
      label = named ? named.getAttribute('aria-label') : '';
    }
    out.push({kind: 'dialog', role: d.getAttribute('role'), name: label.trim(), id: idOf(d),
              width: 0, height: 0, wrapper: '', node: ''});
  }
  return out;
}"""

# Flutter's own English labels (MaterialLocalizations) that a Finnish or Swedish
# screen must not say; "Alert" is what an AlertDialog without a label announces.
FLUTTER_ENGLISH = frozenset(
    {
        "Alert",
        "Dialog",
        "Show password",
        "Hide password",
        "Back",
        "Close",
        "Dismiss",
        "Open navigation menu",
        "Clear text",
        "More",
        "Menu",
        "Search",
    }
)
# What Flutter calls a dialog it was told nothing about, in the languages it knows.
GENERIC_DIALOG_NAMES = frozenset(
    {"Alert", "Dialog", "Ilmoitus", "Valintaikkuna", "Varning", "Dialogruta"}
)
# The language picker names each language in itself ("Svenska" on a Finnish screen):
# what a Swede looks for, said in Swedish on purpose.
ENDONYMS = frozenset(i18n.language_name(lang) for lang in i18n.LANGUAGES)
_PARTS = re.compile(r"\n|: |\. |, | – | · ")
_FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Node:
    kind: str  # control, text, dialog
    role: str
    name: str
    id: str
    width: float
    height: float
    wrapper: str
    node: str  # the DOM id of its flt-semantics element

    def where(self) -> str:
        return f"{self.role or self.kind} {self.name!r}" + (f" [{self.id}]" if self.id else "")


def nodes(page: Page) -> list[Node]:
    found: list[dict[str, Any]] = page.evaluate(_NODES)
    return [Node(**item) for item in found]


# -- the catalogues, per language ------------------------------------------------------


@functools.cache
def _said(lang: str) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Every message of ``lang``'s catalogue as it is said: {(context, id): forms}, and
    CLDR's weekday and month names (the app's calendar words)."""
    with i18n.catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang, domain=i18n.DOMAIN)
    said: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else message.string or ()
        # an empty form is said as its English id (gettext's fallback)
        said[(message.context, ids[0])] = tuple(
            str(s or "") or ids[min(k, len(ids) - 1)] for k, s in enumerate(strings)
        )
    for i in range(7):
        for width in ("wide", "abbreviated"):
            said[("weekday", f"{width}-{i}")] = (i18n._day_names(lang, width)[i],)
    for i in range(12):
        said[("month", str(i))] = (i18n._month_names(lang)[i],)
    return said


@dataclass(frozen=True)
class Foreign:
    """What a screen in one language must not say: other languages' texts that this
    language says differently, as whole strings and as templates with their blanks."""

    plain: frozenset[str]
    templates: tuple[Template, ...]
    own_templates: tuple[Template, ...]


@dataclass(frozen=True)
class Template:
    text: str
    pattern: re.Pattern[str]
    anchor: str  # its longest piece of words: a quick test before the pattern

    def fits(self, said: str) -> bool:
        return self.anchor in said and self.pattern.fullmatch(said) is not None


def _template(template: str) -> Template | None:
    """A template's text with each ``{blank}`` matching anything; None when too little
    of it is words to tell a language by (``{name}: {count}``)."""
    literal = _FIELD.sub("", template)
    if sum(ch.isalpha() for ch in literal) < 4:
        return None
    parts = _FIELD.split(template)
    pattern = re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)
    return Template(template, pattern, max(parts, key=len))


@functools.cache
def foreign(lang: str) -> Foreign:
    own = _said(lang)
    own_strings = {s for forms in own.values() for s in forms}
    plain: set[str] = set()
    templates: dict[str, Template] = {}
    for other in i18n.LANGUAGES:
        if other == lang:
            continue
        for key, forms in _said(other).items():
            mine = own.get(key, ())
            for form in forms:
                if form in own_strings or form in mine or not form.strip():
                    continue
                if _FIELD.search(form):
                    template = _template(form)
                    if template is not None:
                        templates[form] = template
                elif any(ch.isalpha() for ch in form):
                    plain.add(form)
    if lang != "en":
        plain |= FLUTTER_ENGLISH - own_strings
    own_templates = tuple(
        p for s in own_strings if _FIELD.search(s) and (p := _template(s)) is not None
    )
    return Foreign(frozenset(plain - ENDONYMS), tuple(templates.values()), own_templates)


@functools.cache
def wrong_language(name: str, lang: str) -> str | None:
    """The other language's text that ``name`` is (whole or one part), if any."""
    bad = foreign(lang)
    candidates = [name, *(p.strip() for p in _PARTS.split(name) if p.strip())]
    for text in candidates:
        if text in ENDONYMS:
            continue
        if text in bad.plain:
            return text
        if any(own.fits(text) for own in bad.own_templates):
            continue
        for template in bad.templates:
            if template.fits(text):
                return template.text
    return None


# -- the walk --------------------------------------------------------------------------


def _doubled(name: str) -> bool:
    lines = [line.strip() for line in name.splitlines() if line.strip()]
    return len(lines) > 1 and len(set(lines)) < len(lines)


def _size(page: Page, node: Node) -> tuple[float, float]:
    """The control's size; Flutter gives a node half out of a scrolled view only its
    visible part, so a small one is scrolled into view and measured again."""
    small = node.width < TARGET - TOLERANCE or node.height < TARGET - TOLERANCE
    if not small or not node.node:
        return node.width, node.height
    element = page.locator(f"#{node.node}")
    size = node.width, node.height
    try:
        # Playwright's own scrolling leaves a partly visible node where it is
        element.evaluate("e => e.scrollIntoView({block: 'center'})", timeout=2_000)
        for _ in range(15):  # Flutter scrolls, then moves the node a frame later
            page.wait_for_timeout(200)
            box = element.bounding_box(timeout=2_000)
            if box is not None:
                size = box["width"], box["height"]
                if min(size) >= TARGET - TOLERANCE:
                    break
        if min(size) < TARGET - TOLERANCE:
            # Flutter's scroll view does not always follow the DOM's scrollIntoView: the
            # wheel over the body scrolls it the way a person would
            viewport = page.viewport_size or {"width": 390, "height": 844}
            page.mouse.move(viewport["width"] / 2, viewport["height"] / 2)
            page.mouse.wheel(0, 240)
            for _ in range(10):
                page.wait_for_timeout(200)
                box = element.bounding_box(timeout=2_000)
                if box is not None:
                    size = box["width"], box["height"]
                    if min(size) >= TARGET - TOLERANCE:
                        break
    except PlaywrightError:
        pass
    return size


def problems(page: Page, lang: str, screen: str) -> list[str]:
    """What is wrong with ``screen`` as it is shown now, in words a developer can act on."""
    found: list[str] = []
    for node in nodes(page):
        where = f"{screen} ({lang}): {node.where()}"
        if node.kind == "control":
            if not node.name:
                found.append(f"{where}: a control without a name")
            if _doubled(node.name):
                found.append(f"{where}: the name is said twice")
            if node.wrapper:
                found.append(f"{where}: a wrapper says the name again ({node.wrapper!r})")
            width, height = _size(page, node)
            if width < TARGET - TOLERANCE or height < TARGET - TOLERANCE:
                found.append(f"{where}: target {width:.0f}×{height:.0f} px, under {TARGET} px")
        if node.kind == "dialog" and (not node.name or node.name in GENERIC_DIALOG_NAMES):
            found.append(f"{where}: the dialog is announced as {node.name!r}, not its title")
        if node.name and (other := wrong_language(node.name, lang)) is not None:
            found.append(f"{where}: not in the screen's language (another language's {other!r})")
    return found


def check(page: Page, lang: str, screen: str, seen: list[str], visited: list[str]) -> None:
    """Walk ``screen`` and add what is wrong to ``seen`` (the test asserts at the end,
    so that one run lists every screen's problems)."""
    page.wait_for_timeout(300)  # the semantics tree follows a frame after the screen
    visited.append(screen)
    seen.extend(problems(page, lang, screen))
