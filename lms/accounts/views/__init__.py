"""Accounts' pages, one module per blueprint: ``accounts`` (sign-in, sign-up, profile) and
``links`` (the pages mailed links open)."""
