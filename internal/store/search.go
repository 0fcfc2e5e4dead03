package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

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

// ProposalIDs lists the id of every proposal matching f, ignoring its
// paging, in id order: the proposals a trail export takes.
func (s *Store) ProposalIDs(ctx context.Context, f ProposalFilter) ([]int64, error) {
	var ids []int64
	if err := filtered(s.db.WithContext(ctx).Model(&proposalRow{}), f).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list proposal ids: %w", err)
	}
	return ids, nil
}
