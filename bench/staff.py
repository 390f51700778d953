"""A cohort of 10,000 members for the staff figures: dashboard page and CSV export."""

from __future__ import annotations

import random
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import insert, select

from bench.web import production_hash
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import database, utcnow
from lms.learning.models import Enrolment

MEMBERS = 10_000
STAFF_EMAIL = "staff-bench@example.org"
COURSES = ("por-101", "por-201", "engagement-evaluation", "quality-improvement")
BATCH = 2_000


def populate(app: Flask, password: str) -> int:
    """A staff account and the cohort "FRQ 2026" of ``MEMBERS`` learners with progress; its id.

    Rows go in by batches of plain INSERTs: the ORM would take minutes for 30,000 rows.
    """
    rng = random.Random(10_000)
    now = utcnow()
    engine = database(app).engine
    with engine.begin() as connection:
        connection.execute(
            insert(User),
            [
                {
                    "email": STAFF_EMAIL,
                    "password_hash": production_hash(password),
                    "role": Role.STAFF,
                    "language": "fr",
                    "email_confirmed_at": now,
                    "created_at": now,
                    "research_roles": [],
                }
            ],
        )
        cohort_id = connection.execute(
            insert(Cohort).returning(Cohort.id),
            [
                {
                    "name": "Boursiers FRQ 2026",
                    "certificate_id": "frq-por-training",
                    "due_date": date.today() + timedelta(days=20),
                    "created_at": now - timedelta(days=90),
                }
            ],
        ).scalar_one()
        for start in range(0, MEMBERS, BATCH):
            emails = [f"member{n:05}@example.org" for n in range(start, start + BATCH)]
            connection.execute(
                insert(User),
                [
                    {
                        "email": email,
                        "password_hash": None,
                        "role": Role.LEARNER,
                        "language": rng.choice(["fr", "en"]),
                        "created_at": now - timedelta(days=rng.randrange(90)),
                        "research_roles": [],
                    }
                    for email in emails
                ],
            )
            found = connection.execute(select(User.email, User.id).where(User.email.in_(emails)))
            ids = dict(found.tuples().all())
            connection.execute(
                insert(CohortMembership),
                [
                    {
                        "cohort_id": cohort_id,
                        "user_id": ids[email],
                        "email": email,
                        "first_name": "Membre",
                        "last_name": email.split("@")[0],
                        "sector": rng.choice(["health", "society_culture", "nature_technologies"]),
                        "added_at": now - timedelta(days=80),
                    }
                    for email in emails
                ],
            )
            enrolments = []
            for email in emails:
                for course in rng.sample(COURSES, rng.randrange(len(COURSES) + 1)):
                    done = rng.random() < 0.6
                    enrolments.append(
                        {
                            "user_id": ids[email],
                            "course_id": course,
                            "started_at": now - timedelta(days=rng.randrange(60, 80)),
                            "completed_at": now - timedelta(days=rng.randrange(60))
                            if done
                            else None,
                            "completed_version": "v1" if done else None,
                        }
                    )
            if enrolments:
                connection.execute(insert(Enrolment), enrolments)
    return int(cohort_id)
