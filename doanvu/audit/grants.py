"""The PostgreSQL privileges of the application's database role (docs/deploy.md, issue 8).

The application only ever INSERTs audit records (and the rows of bulk steps) and UPDATEs the
one head row, so its role gets no more than that on the audit tables: without the owner role
(which runs the migrations) a record cannot be changed or removed, however the application is
subverted."""

from __future__ import annotations


def app_role_grants(role: str) -> list[str]:
    """The statements the owner runs after every `migrate` (idempotent), for role `role`."""
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditrecord FROM {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditbulkrow FROM {role}",
        f"REVOKE INSERT, DELETE, TRUNCATE ON audit_audithead FROM {role}",
    ]
