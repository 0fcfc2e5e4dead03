package workflow

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
)

// FiredBy maps each document kind the definitions issue to the roles that
// fire its events, sorted — what document.Renderer.CheckSigners checks the
// signer configuration against.
func FiredBy(defs map[string]*Definition) map[string][]string {
	out := map[string][]string{}
	for _, d := range defs {
		for _, ev := range d.Events {
			if ev.Document == "" {
				continue
			}
			for _, r := range ev.Roles {
				if !slices.Contains(out[ev.Document], r) {
					out[ev.Document] = append(out[ev.Document], r)
				}
			}
		}
	}
	for _, roles := range out {
		sort.Strings(roles)
	}
	return out
}

// checkSigner refuses, before anything is written, an event whose document
// the actor signs (signers.yaml: actor) when the actor's account lacks a
// valid NIP or a position: a signer without them is a configuration error,
// never a blank on paper (DOCUMENTS.md, "Who signs"). ErrRule, naming
// actor.nip and actor.position.
func (e *Engine) checkSigner(ev EventDef, p *dak.Proposal, u dak.User) error {
	if ev.Document == "" || !e.docs.SignedByActor(ev.Document, document.LevelOf(document.Proposal{RegionCode: p.RegionCode})) {
		return nil
	}
	var fields []dak.FieldError
	if err := dak.CheckNIP(u.NIP); err != nil {
		fields = append(fields, dak.FieldError{Field: "actor.nip", Message: err.Error()})
	}
	if strings.TrimSpace(u.Position) == "" {
		fields = append(fields, dak.FieldError{Field: "actor.position", Message: "jabatan penanda tangan belum diisi"})
	}
	if len(fields) == 0 {
		return nil
	}
	return &dak.Error{Kind: dak.ErrRule, Fields: fields,
		Detail: "dokumen " + ev.Document + " ditandatangani oleh pengguna yang melakukan " + ev.Name +
			"; lengkapi NIP dan jabatan akun " + u.Username + " melalui administrator"}
}

// APBNBasis is the citation of the UU APBN and the Perpres Rincian APBN of
// a fiscal year from parameters.apbn_basis; "" when the file has none for
// the year (the letter then cites them generically, naming the year).
func (d *Definition) APBNBasis(year int) string {
	return strings.TrimSpace(d.Parameters.APBNBasis[strconv.Itoa(year)])
}

// checkAPBNBasis reports entries of parameters.apbn_basis that are not a
// fiscal year with a citation a document can print.
func (d *Definition) checkAPBNBasis() []string {
	var p []string
	for year, text := range d.Parameters.APBNBasis {
		if y, err := strconv.Atoi(year); err != nil || y < 2000 || y > 2200 || len(year) != 4 {
			p = append(p, "parameters.apbn_basis: key "+strconv.Quote(year)+" is not a fiscal year")
		}
		if strings.TrimSpace(text) == "" {
			p = append(p, "parameters.apbn_basis."+year+": empty citation")
		} else if err := document.CheckText(text); err != nil {
			p = append(p, "parameters.apbn_basis."+year+": "+err.Error())
		}
	}
	sort.Strings(p)
	return p
}
