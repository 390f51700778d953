"""The audit trail: what staff, administrators and the command line did, kept as evidence."""
