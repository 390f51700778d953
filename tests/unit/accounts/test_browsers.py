"""A User-Agent header summed up as a browser's and a system's names, or nothing."""

from __future__ import annotations

import pytest

from lms.accounts.browsers import NAME_LENGTH, Browser, describe

AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36": ("Chrome", "Windows"),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0": ("Edge", "Windows"),
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15": ("Safari", "macOS"),
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": ("Safari", "iPhone"),
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "CriOS/131.0 Mobile/15E148 Safari/604.1": ("Chrome", "iPad"),
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36": ("Samsung Internet", "Android"),
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0": ("Firefox", "Linux"),
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36": ("Chrome", "ChromeOS"),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0": ("Opera", "Windows"),
    "curl/8.5.0": ("", ""),
    "": ("", ""),
}


@pytest.mark.parametrize(("agent", "names"), AGENTS.items())
def test_known_browsers_and_systems_are_named(agent: str, names: tuple[str, str]) -> None:
    assert describe(agent) == Browser(*names)


def test_nothing_of_the_header_itself_is_kept() -> None:
    hostile = "<script>alert(1)</script> Firefox/1 " + "x" * 5000
    found = describe(hostile)
    assert found == Browser("Firefox", "")
    assert len(found.name) <= NAME_LENGTH
