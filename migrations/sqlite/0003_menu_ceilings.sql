-- Optional ceilings per menu inside a fiscal year's national ceiling
-- (PRODUCT.md §2). Like the national one, committed moves only through a
-- conditional UPDATE, and the CHECK makes an overspend impossible.
CREATE TABLE menu_ceilings (
    year      INTEGER NOT NULL REFERENCES fiscal_years(year),
    menu      TEXT NOT NULL CHECK (menu IN ('pembangunan','revitalisasi')),
    ceiling   BIGINT NOT NULL CHECK (ceiling >= 0),
    committed BIGINT NOT NULL DEFAULT 0 CHECK (committed >= 0),
    PRIMARY KEY (year, menu),
    CHECK (committed <= ceiling)
);
