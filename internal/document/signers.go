package document

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"dakflow/internal/dak"
)

// SignersFile is the signer configuration shipped beside the templates
// (templates/documents/signers.yaml); DAKFLOW_SIGNERS_FILE replaces it.
const SignersFile = "signers.yaml"

// SignerActor, as the signer of a kind, means the user who fired the event
// that issues the document signs it: the approver on an allocation letter,
// the verifier on her own berita acara, the treasury officer on the berita
// acara penyaluran, the pemda's official on its completion report.
const SignerActor = "actor"

// Level is the level of the region a document is about, which decides the
// head of region a letter is addressed to: a province's Gubernur, or a
// kabupaten's Bupati and a kota's Wali Kota.
type Level string

// The levels of the signer configuration.
const (
	LevelProvince Level = "provinsi"
	LevelRegency  Level = "kabupaten_kota"
)

// Levels lists every level, in the order of the configuration file.
var Levels = []Level{LevelProvince, LevelRegency}

// LevelOf is the level of the proposing region: a province (code without a
// dot, or IsProvince) or a kabupaten/kota.
func LevelOf(p Proposal) Level {
	if p.IsProvince || (p.RegionCode != "" && !strings.Contains(p.RegionCode, ".")) {
		return LevelProvince
	}
	return LevelRegency
}

// Signers says who signs each document kind at each level (DOCUMENTS.md,
// "Who signs, and what an official checks first"): a named Ministry
// official, or SignerActor. One official is the head of the unit (the
// Direktur Jenderal); every other Ministry signer of a letter signs "a.n."
// (atas nama) the head. Build it with ParseSigners.
type Signers struct {
	head      string
	officials map[string]Person
	rules     map[string]map[Level]string // kind → level → official key or SignerActor
}

// signersSpec is the file's shape:
//
//	head: dirjen                     # the key of the head official
//	officials:
//	  dirjen: {position: …, name: …, nip: "…"}
//	signers:
//	  surat_penolakan: {provinsi: dirjen, kabupaten_kota: sesditjen}
//	  surat_penetapan_alokasi: {provinsi: actor, kabupaten_kota: actor}
type signersSpec struct {
	Head      string                       `yaml:"head"`
	Officials map[string]officialSpec      `yaml:"officials"`
	Signers   map[string]map[string]string `yaml:"signers"`
}

type officialSpec struct {
	Position string `yaml:"position"`
	Name     string `yaml:"name"` // without academic titles
	NIP      string `yaml:"nip"`
}

// SignersError lists everything wrong with a signer configuration.
type SignersError struct {
	File     string
	Problems []string
}

func (e *SignersError) Error() string {
	return fmt.Sprintf("signers %s has %d problem(s):\n  - %s", e.File, len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// Unwrap makes a bad configuration a dak.ErrInvalid.
func (e *SignersError) Unwrap() error { return dak.ErrInvalid }

// LoadSigners reads SignersFile from templates (the templates/documents
// directory, or a tree holding it under "documents") and parses it.
func LoadSigners(templates fs.FS) (*Signers, error) {
	src, err := fs.ReadFile(documentsDir(templates), SignersFile)
	if err != nil {
		return nil, err
	}
	return ParseSigners(SignersFile, src)
}

// ParseSigners reads a signer configuration and checks everything the file
// alone can tell: every document kind of Kinds() covered at every level by
// SignerActor or a declared official; every official with a position, a
// name without academic titles and a NIP of 18 digits (dak.CheckNIP); the
// head declared. The error, a *SignersError, lists every problem; what
// depends on the workflow (who fires the event of a kind signed by the
// actor) is checked by Renderer.CheckSigners.
func ParseSigners(file string, src []byte) (*Signers, error) {
	var spec signersSpec
	if err := decodeStrict(src, &spec); err != nil {
		return nil, &SignersError{File: file, Problems: []string{err.Error()}}
	}
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	s := &Signers{head: spec.Head, officials: map[string]Person{}, rules: map[string]map[Level]string{}}
	for _, key := range sortedKeys(spec.Officials) {
		o := spec.Officials[key]
		o.Position, o.Name, o.NIP = squeeze(o.Position), squeeze(o.Name), strings.TrimSpace(o.NIP)
		if key == SignerActor {
			add("officials.%s: %q is reserved for the user who fires the event", key, SignerActor)
		}
		if o.Position == "" {
			add("officials.%s.position: missing", key)
		}
		switch {
		case o.Name == "":
			add("officials.%s.name: missing", key)
		case dak.PlainName(o.Name) != o.Name:
			add("officials.%s.name: %q — write the name without academic titles (%q)", key, o.Name, dak.PlainName(o.Name))
		}
		if o.NIP == "" {
			add("officials.%s.nip: missing (a signer without a NIP is a configuration error)", key)
		} else if err := dak.CheckNIP(o.NIP); err != nil {
			add("officials.%s.nip: %q: %v", key, o.NIP, err)
		}
		for _, text := range []string{o.Position, o.Name} {
			if err := CheckText(text); err != nil {
				add("officials.%s: %v", key, err)
			}
		}
		s.officials[key] = Person{Name: o.Name, NIP: o.NIP, Position: o.Position}
	}
	if spec.Head == "" {
		add("head: missing (the key of the official at the head of the unit, e.g. the Direktur Jenderal)")
	} else if _, ok := spec.Officials[spec.Head]; !ok {
		add("head: %q is not one of the officials", spec.Head)
	}
	for _, kind := range kinds {
		byLevel, ok := spec.Signers[kind]
		if !ok {
			add("signers.%s: missing (every document kind needs its signer at every level)", kind)
			continue
		}
		s.rules[kind] = map[Level]string{}
		for _, level := range Levels {
			who := strings.TrimSpace(byLevel[string(level)])
			_, official := spec.Officials[who]
			switch {
			case who == "":
				add("signers.%s.%s: missing", kind, level)
			case who != SignerActor && !official:
				add("signers.%s.%s: %q is neither %q nor one of the officials", kind, level, who, SignerActor)
			}
			s.rules[kind][level] = who
		}
		for l := range byLevel {
			if !slices.Contains(Levels, Level(l)) {
				add("signers.%s.%s: unknown level (want %s and %s)", kind, l, LevelProvince, LevelRegency)
			}
		}
	}
	for _, kind := range sortedKeys(spec.Signers) {
		if !slices.Contains(kinds, kind) {
			add("signers.%s: unknown document kind", kind)
		}
	}
	if len(p) > 0 {
		return nil, &SignersError{File: file, Problems: p}
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Rule is who signs kind at level: an official's key or SignerActor; ""
// for an unknown kind.
func (s *Signers) Rule(kind string, level Level) string { return s.rules[kind][level] }

// Official returns the official configured under key.
func (s *Signers) Official(key string) (Person, bool) {
	p, ok := s.officials[key]
	return p, ok
}

// Head is the official at the head of the unit, for whom the others sign
// "a.n." on letters.
func (s *Signers) Head() Person { return s.officials[s.head] }

// isHead reports whether p holds the head's office.
func (s *Signers) isHead(p Person) bool {
	h := s.Head()
	return (p.NIP != "" && p.NIP == h.NIP) || strings.EqualFold(squeeze(p.Position), squeeze(h.Position))
}

// Signature is who signs one document and in what capacity.
type Signature struct {
	Person // position, name without academic titles, NIP
	// OnBehalf is the position of the head the signer signs for, printed
	// "a.n. …" above the signer's own position; empty in their own capacity.
	OnBehalf string
	// ByActor is set when the user who fired the event signs.
	ByActor bool
}

// signature resolves who signs in: Input.Signer when its name is set, else
// the kind's rule at the proposal's level — the configured official, or the
// Actor (none when the Input has no actor: the system issues it). A
// Ministry letter signed by anyone but the head is signed a.n. the head.
// An actor who signs without a valid NIP is a dak.ErrRule error naming
// actor.nip: a configuration error, never a blank on paper.
func (r *Renderer) signature(k *kind, in *Input) (Signature, error) {
	var sig Signature
	switch who := r.signers.Rule(k.name, LevelOf(in.Proposal)); {
	case strings.TrimSpace(in.Signer.Name) != "":
		sig.Person = in.Signer
	case who == SignerActor:
		sig.Person, sig.ByActor = in.Actor, true
	default:
		// Every rule's official was checked when the signers file was
		// loaded (CheckSigners at start-up); an unknown one signs nothing
		// and is refused below.
		sig.Person, _ = r.signers.Official(who)
	}
	sig.Name = dak.PlainName(sig.Name)
	if sig.Name == "" {
		return Signature{}, nil
	}
	if sig.ByActor {
		if err := dak.CheckNIP(sig.NIP); err != nil {
			return sig, &dak.Error{Kind: dak.ErrRule, Detail: fmt.Sprintf("%s ditandatangani oleh %s, yang belum memiliki NIP yang sah", k.name, sig.Name),
				Fields: []dak.FieldError{{Field: "actor.nip", Message: err.Error()}}}
		}
	}
	if k.letter && k.issuer == issuerMinistry && !r.signers.isHead(sig.Person) {
		sig.OnBehalf = r.signers.Head().Position
	}
	return sig, nil
}

// SignedByActor reports whether the user who fires the event issuing kind
// signs it at level, so that the engine can refuse an actor without a NIP
// before anything is written.
func (r *Renderer) SignedByActor(kind string, level Level) bool {
	return r.signers.Rule(kind, level) == SignerActor
}

// Signers is the signer configuration the renderer signs with.
func (r *Renderer) Signers() *Signers { return r.signers }

// CheckSigners checks the signer configuration against who fires each kind
// (firedBy: kind → the roles of the events issuing it, from the workflow
// definitions). SignerActor is allowed only where every such role signs;
// a Ministry letter is signed by an approver or an official, never by a
// verifier or the pemda; a document on the Ministry's kop is never signed
// by the pemda (a receipt is signed by whoever received); a pemda's own
// report (issuer: pemda) is signed by the pemda's official who filed it.
// The error, a *SignersError, lists every problem.
func (r *Renderer) CheckSigners(firedBy map[string][]string) error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	for _, name := range sortedKeys(firedBy) {
		k, roles := r.kinds[name], firedBy[name]
		if k == nil {
			continue
		}
		for _, level := range Levels {
			at := fmt.Sprintf("signers.%s.%s", name, level)
			actor := r.signers.Rule(name, level) == SignerActor
			switch {
			case k.issuer == issuerPemda && (!actor || !onlyRoles(roles, "pemda")):
				add("%s: the pemda's own document is signed by the pemda's official who files it (%q, fired by %s)", at, SignerActor, strings.Join(roles, ", "))
			case !actor:
			case !allSign(roles):
				add("%s: %q, but the event is fired by %s, who cannot sign; name an official", at, SignerActor, strings.Join(roles, ", "))
			case k.letter && !onlyRoles(roles, "approver"):
				add("%s: %q would have a letter to the head of region signed by %s; a Ministry letter is signed by an approver or an official", at, SignerActor, strings.Join(roles, ", "))
			case k.issuer == issuerMinistry && slices.Contains(roles, "pemda"):
				add("%s: %q would have the pemda sign a document on the Ministry's kop; the receiving Ministry unit signs it", at, SignerActor)
			}
		}
	}
	if len(p) > 0 {
		return &SignersError{File: r.signersFile, Problems: p}
	}
	return nil
}

// allSign reports whether users of every role sign (dak.Role.Signs).
func allSign(roles []string) bool {
	for _, r := range roles {
		if !dak.Role(r).Signs() {
			return false
		}
	}
	return len(roles) > 0
}

func onlyRoles(roles []string, allowed ...string) bool {
	for _, r := range roles {
		if !slices.Contains(allowed, r) {
			return false
		}
	}
	return len(roles) > 0
}
