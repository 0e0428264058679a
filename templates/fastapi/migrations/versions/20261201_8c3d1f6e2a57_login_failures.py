"""login failures

Revision ID: 8c3d1f6e2a57
Revises: 5b1e7c2a9d40
Create Date: 2026-12-01 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8c3d1f6e2a57"
down_revision: str | Sequence[str] | None = "5b1e7c2a9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("client_ip", sa.String(length=45), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_created_at", "login_failures", ["created_at"], unique=False)
    op.create_index(
        "ix_login_failures_email_created_at",
        "login_failures",
        ["email", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_login_failures_email_created_at", table_name="login_failures")
    op.drop_index("ix_login_failures_created_at", table_name="login_failures")
    op.drop_table("login_failures")
