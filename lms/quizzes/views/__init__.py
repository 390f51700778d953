"""Quizzes' pages, one module per blueprint: ``learners`` (taking a quiz) and ``authors``
(which questions learners miss)."""
