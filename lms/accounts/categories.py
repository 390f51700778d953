"""What kind of account: its role here, its roles in research, its affiliation, its FRQ
sector (one enumeration for profiles, rosters and reports); pure, for every feature."""

from __future__ import annotations

import enum


class FrqSector(enum.StrEnum):
    """The sectors of the Fonds de recherche du Québec (the former FRQS, FRQSC and FRQNT)."""

    HEALTH = "health"
    """Santé."""
    SOCIETY_CULTURE = "society_culture"
    """Société et culture."""
    NATURE_TECHNOLOGIES = "nature_technologies"
    """Nature et technologies."""


class Role(enum.StrEnum):
    LEARNER = "learner"
    STAFF = "staff"
    ADMIN = "admin"


class ResearchRole(enum.StrEnum):
    """Roles in research with and for patients, as the community's membership form lists them."""

    PATIENT = "patient"
    """Patient, caregiver or citizen."""
    RESEARCHER = "researcher"
    TRAINEE = "trainee"
    """Graduate student, clinical or postdoctoral fellow."""
    CLINICIAN = "clinician"
    """Clinician or health and social services professional."""
    DECISION_MAKER = "decision_maker"
    """Health care administrator or policy maker."""
    ACADEMIC_LEADER = "academic_leader"


class Affiliation(enum.StrEnum):
    UNIVERSITY = "university"
    HEALTH_ESTABLISHMENT = "health_establishment"
    """Health establishment or research centre."""
    SPOR_ENTITY = "spor_entity"
    """An entity funded by SPOR (Canada's Strategy for Patient-Oriented Research)."""
    OTHER = "other"
    """Described in ``User.affiliation_other``."""
