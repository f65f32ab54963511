-- Gatehouse schema, version 12: an import row's warning is stored with its outcome. Portable SQL (PostgreSQL 15 and
-- H2 2.x MODE=PostgreSQL); every statement can be re-run by hand.

-- A DONE row that succeeded with something left undone (its second photo not enrolled): a stable code and why, in
-- English and Simplified Chinese; null otherwise. Written in the transaction that marks the row DONE, so a report
-- shows it after a restart or on another node as it shows the outcome.
alter table import_row add column if not exists warning_code varchar(64);
alter table import_row add column if not exists warning_en varchar(2000);
alter table import_row add column if not exists warning_zh varchar(2000);
