"""Privacy (Quebec's Law 25): a person's data exported, their account deleted, retention."""
