"""Accounts: sign-up, sign-in, profile, mailed links (confirmation, reset, invitation), roles."""
