"""Accounts: sign-up, sign-in, profile, privacy."""
