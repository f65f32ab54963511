-- Gatehouse schema, version 6: whitelist and privacy security hardening.
-- Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run by hand on H2.

-- Subject access reads the audit log by subject (AuditLog.entriesAbout), page by page in sequence order, so an
-- export is complete however long the log is.
create index if not exists ix_audit_log_subject on audit_log (subject_id, sequence);
