"""A browser's User-Agent header summed up as the names a person recognises: browser, system."""

from __future__ import annotations

from dataclasses import dataclass

NAME_LENGTH = 40
"""Both names are short, known words: nothing of the header itself is kept."""

# The first marker found names it: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
# iPhones and Android phones say "like Mac OS X" and "Linux" too: they come first.
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class Browser:
    """What a signed-in device is called on the profile page; empty names are unknown."""

    name: str = ""
    system: str = ""


def describe(user_agent: str) -> Browser:
    """The browser and system a User-Agent header names, from a fixed list of known ones."""
    header = user_agent[:1000]
    name = next((label for marker, label in _BROWSERS if marker in header), "")
    system = next((label for marker, label in _SYSTEMS if marker in header), "")
    return Browser(name[:NAME_LENGTH], system[:NAME_LENGTH])
