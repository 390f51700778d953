"""Accounts' pages, one module per blueprint: ``accounts`` (sign-in, sign-up, profile),
``devices`` (the profile's signed-in devices), ``links`` (the pages mailed links open) and
``second_factor`` (two-step verification)."""
