"""Certificates: issuing, PDF rendering, Open Badges 3.0, public verification."""
