"""Persistence: SQLAlchemy 2 models, repositories scoped by organisation, Alembic migrations."""
