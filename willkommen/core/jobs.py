"""Priorities of background jobs, one scale for every room (Django Tasks ``priority``: higher runs first).

A consumer takes the job with the highest priority first (Huey's SQLite storage and ``PriorityRedisHuey``
both order by priority), so on a release day the mails that people wait for leave before the documents
nobody has asked for yet and before the nightly work. Documents (PDFs, calendar files) are rendered when
they are first downloaded and then cached, not ahead of the mail that links to them.
"""

MAIL = 50  # a message a person waits for: booking confirmations, receipts, notices, their delivery
DEFAULT = 0
BULK = -50  # regeneration, retention, clean-up: whenever nothing else waits
