"""Quizzes: attempts and grading."""
