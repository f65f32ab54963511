-- Gatehouse schema, version 13: a face photo for terminals that match faces themselves. Portable SQL (PostgreSQL 15
-- and H2 2.x MODE=PostgreSQL); every statement can be re-run by hand.

-- Kept only for residents of a community whose terminals keep their own face list (TerminalFaceDemand), and only in
-- the template's row: sealed with the row's key (photo_iv, photo_ciphertext = AES-256-GCM of a small JPEG of the face,
-- its AAD binding it to the row), deleted with the template (revocation, consent withdrawn, move-out, erasure). Null
-- for every other template.
alter table face_template add column if not exists photo_iv bytea;
alter table face_template add column if not exists photo_ciphertext bytea;
