"""Administration: roles, the audit trail, learners' records, revoking and reissuing."""
