-- Gatehouse schema, version 3: credential and consent repositories, residents marked removed.
-- Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run by hand on H2.

-- A removed resident (moved out) keeps the row: consents (the legal trail) and revoked credentials still
-- refer to it. Every read of residents skips rows with removed_at set.
alter table resident add column if not exists removed_at timestamp with time zone;

-- Only ACTIVE credentials must be unique per (community, kind, reference). H2 has no partial (filtered)
-- index, so the store keeps active_reference = reference while the credential is active and null once it
-- is revoked; a unique constraint on (community_id, kind, active_reference) then lets any number of
-- revoked rows (nulls are distinct in both databases) but only one active row. The check constraint
-- keeps active_reference and revoked_at consistent whatever writes the table.
alter table credential add column if not exists active_reference varchar(500);
update credential set active_reference = reference where revoked_at is null;
alter table credential drop constraint if exists uq_credential_reference;
alter table credential add constraint uq_credential_active unique (community_id, kind, active_reference);
alter table credential add constraint ck_credential_active check ((revoked_at is null and active_reference is not null and active_reference = reference) or (revoked_at is not null and active_reference is null));
create index if not exists ix_credential_resident on credential (resident_id, issued_at);
create index if not exists ix_consent_resident on consent (resident_id, given_at);
