package store

import (
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// filtered applies a ProposalFilter's conditions (not its paging): the
// viewer's region scope first, then what was asked for.
func (s *Store) filtered(q *gorm.DB, f ProposalFilter) *gorm.DB {
	if code, scoped := f.Viewer.RegionScope(); scoped {
		q = q.Where("proposals.region_code = ?", code)
	}
	if f.FiscalYear != 0 {
		q = q.Where("fiscal_year = ?", f.FiscalYear)
	}
	if len(f.State) > 0 {
		q = q.Where("state IN ?", f.State)
	}
	if f.Region != "" {
		q = q.Where(`(proposals.region_code = ? OR proposals.region_code LIKE ? ESCAPE '\')`, f.Region, likePrefix(f.Region+"."))
	}
	if f.Menu != "" {
		q = q.Where("menu = ?", f.Menu)
	}
	if f.Query != "" {
		cond, args := s.textCondition(f.Query)
		q = q.Where(cond, args...)
	}
	return searched(q, f)
}

// textCondition matches the text a user means by q (README, "Search": the
// title, number or sentra): the number, the title, and the sentra's name
// and commodity read out of the stored content, never the content's JSON
// text, whose keys ("budget_lines") would match every proposal. The match
// ignores case, and q's % and _ are the characters themselves.
func (s *Store) textCondition(q string) (string, []any) {
	sentraName, commodity := `json_extract(content, '$.sentra.name')`, `json_extract(content, '$.sentra.commodity')`
	if s.dialect == Postgres {
		sentraName, commodity = `(content::json -> 'sentra' ->> 'name')`, `(content::json -> 'sentra' ->> 'commodity')`
	}
	like := "%" + likeEscape(strings.ToLower(q)) + "%"
	var conds []string
	var args []any
	for _, column := range []string{"number", "title", sentraName, commodity} {
		conds, args = append(conds, "LOWER("+column+`) LIKE ? ESCAPE '\'`), append(args, like)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// searched adds the auditor's conditions of a ProposalFilter (PRODUCT.md
// §5, "The auditor's work"): a number or its beginning, and who fired an
// event on the proposal and when. The actor and the time range are matched
// on the events table, whose rows the append-only triggers keep as they
// were hashed (migration 0005).
func searched(q *gorm.DB, f ProposalFilter) *gorm.DB {
	if f.Number != "" {
		q = q.Where(`UPPER(number) LIKE ? ESCAPE '\'`, likePrefix(strings.ToUpper(f.Number)))
	}
	if f.Actor == "" && f.From.IsZero() && f.To.IsZero() {
		return q
	}
	conds, args := []string{"e.proposal_id = proposals.id"}, []any{}
	if f.Actor != "" {
		cond, cargs := actorCondition("e.actor_id", "e.actor_name", f.Actor)
		conds, args = append(conds, cond), append(args, cargs...)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "e.at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "e.at < ?"), append(args, f.To.UTC())
	}
	return q.Where("EXISTS (SELECT 1 FROM events e WHERE "+strings.Join(conds, " AND ")+")", args...)
}

// actorCondition is the condition that a row's user (idColumn, and the
// name recorded on the row, nameColumn, when there is one) is someone an
// auditor means by text: what they read in a timeline (a name), in a
// document (a name and a NIP) or in the user list (a username or an id).
// Text that is exactly a username (ignoring case), a user id or a NIP
// means those users only; other text means everyone whose full name — or,
// on the row, recorded name — contains it (exactUsers, nameMatch).
func actorCondition(idColumn, nameColumn, text string) (string, []any) {
	exact, eargs := exactUsers(text)
	name, nargs := nameMatch("u.full_name", text)
	byName := idColumn + " IN (SELECT u.id FROM users u WHERE " + name + ")"
	args := append(append(append([]any{}, eargs...), eargs...), nargs...)
	if nameColumn != "" {
		rowName, rargs := nameMatch(nameColumn, text)
		byName = "(" + byName + " OR " + rowName + ")"
		args = append(args, rargs...)
	}
	return "(" + idColumn + " IN (SELECT u.id FROM users u WHERE " + exact + ") OR (NOT EXISTS (SELECT 1 FROM users u WHERE " +
		exact + ") AND " + byName + "))", args
}

// exactUsers is the condition on users u that text is exactly one's
// username (ignoring case), or, for digits, one's id or NIP.
func exactUsers(text string) (string, []any) {
	conds := []string{"LOWER(u.username) = ?"}
	args := []any{strings.ToLower(text)}
	if isDigits(text) {
		conds, args = append(conds, "u.nip = ?"), append(args, text)
		if id, err := strconv.ParseInt(text, 10, 64); err == nil {
			conds, args = append(conds, "u.id = ?"), append(args, id)
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// nameMatch matches a name column against text ignoring case: any part of
// the name for three characters or more, else the whole name (one letter
// would match almost everyone).
func nameMatch(column, text string) (string, []any) {
	lower := strings.ToLower(text)
	if len([]rune(text)) < 3 {
		return "LOWER(" + column + ") = ?", []any{lower}
	}
	return "LOWER(" + column + `) LIKE ? ESCAPE '\'`, []any{"%" + likeEscape(lower) + "%"}
}

// likePrefix is a LIKE pattern for values that begin with s.
func likePrefix(s string) string { return likeEscape(s) + "%" }

// likeEscape escapes LIKE's wildcards in s, with \ as the escape character.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
