-- Two gaps of the sentra registry (issue 11).
--
-- 1. The photos of a use report (sentra_report_photos) are official files
-- like the documents and attachments: every download of one goes into the
-- access log (PRODUCT.md §5, every download by anyone recorded) as object
-- type sentra_photo, object_id the photo's id, with the sentra it belongs
-- to in sentra_id so that the line stands alone and links to the sentra.
-- The log stays append-only: its triggers (migration 0007) are untouched.
ALTER TABLE access_log DROP CONSTRAINT access_log_object_type_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_object_type_check
    CHECK (object_type IN ('document','attachment','trail','trail_export','sentra_photo'));
ALTER TABLE access_log ADD COLUMN sentra_id BIGINT REFERENCES sentra(id);

-- 2. One desa holds one sentra of a name, whatever its case (PRODUCT.md
-- §9; dak.SameSentraName): the key UNIQUE (village_code, name) of
-- migration 0001 let "Sentra Tenun" and "SENTRA TENUN" both in when two
-- registrations raced past the store's check. The key becomes a unique
-- index on (village_code, lower(name)). A database that already holds such
-- a pair cannot take the index: the migration stops and names the rows, to
-- be renamed (PUT /api/v1/sentra/{id}) before `migrate up` is run again.
DO $$
DECLARE
    pairs TEXT;
BEGIN
    SELECT string_agg(format('desa %s: %s', village_code, rows), '; ' ORDER BY village_code, key) INTO pairs
    FROM (SELECT village_code, lower(name) AS key,
                 string_agg(format('sentra %s "%s"', id, name), ', ' ORDER BY id) AS rows
          FROM sentra GROUP BY village_code, lower(name) HAVING count(*) > 1) AS d;
    IF pairs IS NOT NULL THEN
        RAISE EXCEPTION 'dakflow: migrasi 0017 dihentikan: nama sentra berikut hanya berbeda huruf besar/kecil dalam satu desa/kelurahan; ubah nama salah satunya (PUT /api/v1/sentra/{id}), lalu jalankan lagi migrate up: %', pairs;
    END IF;
END
$$;
ALTER TABLE sentra DROP CONSTRAINT sentra_village_code_name_key;
CREATE UNIQUE INDEX sentra_village_name_key ON sentra (village_code, lower(name));
