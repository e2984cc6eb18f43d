-- English names and places of producers, shown to English-speaking buyers.
ALTER TABLE producers ADD COLUMN name_en text;
ALTER TABLE producers ADD COLUMN place_en text;

-- The shipped catalogue files now carry these; load them again at the next start.
DELETE FROM catalogue_loads WHERE name = 'catalogue';
