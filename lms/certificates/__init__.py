"""Certificates: issuing, PDF rendering, public verification."""
