-- Gatehouse schema, version 10: an ID card credential keeps, beside the keyed hash gates look it up by, the number
-- sealed with the whitelist's key (AES-GCM), so that the few consumers configured for ID numbers (a police registry)
-- can be told whose ID card moved out. Null for every other kind and for ID cards issued before version 10.
alter table credential add column if not exists sealed_value varchar(500);
