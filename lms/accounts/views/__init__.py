"""Accounts' pages, one module per blueprint: ``accounts`` (sign-in, sign-up, profile),
``links`` (the pages mailed links open) and ``second_factor`` (two-step verification)."""
