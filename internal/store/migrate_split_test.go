package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSplitSQL: statements end at a semicolon at a line end, except inside
// a PostgreSQL $$ body or an SQLite trigger's BEGIN … END.
func TestSplitSQL(t *testing.T) {
	body := `-- a comment
CREATE TABLE a (x INTEGER);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- kept: inside the body
    RAISE EXCEPTION 'no';
END;
$$;
CREATE TRIGGER a_pg BEFORE DELETE ON a
    FOR EACH ROW EXECUTE FUNCTION f();
CREATE TRIGGER a_lite BEFORE UPDATE ON a
BEGIN
    SELECT RAISE(ABORT, 'no');
END;
CREATE TRIGGER a_one BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no'); END;
DROP TABLE b;`
	want := []string{
		"CREATE TABLE a (x INTEGER);",
		"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    -- kept: inside the body\n    RAISE EXCEPTION 'no';\nEND;\n$$;",
		"CREATE TRIGGER a_pg BEFORE DELETE ON a\n    FOR EACH ROW EXECUTE FUNCTION f();",
		"CREATE TRIGGER a_lite BEFORE UPDATE ON a\nBEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;",
		"CREATE TRIGGER a_one BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no'); END;",
		"DROP TABLE b;",
	}
	if diff := cmp.Diff(want, splitSQL(body)); diff != "" {
		t.Errorf("splitSQL (-want +got):\n%s", diff)
	}
}
