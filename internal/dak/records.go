package dak

import (
	"encoding/json"
	"time"
)

// Proposal is one usulan with everything decided about it so far.
type Proposal struct {
	ID                int64
	Number            string
	FiscalYear        int
	Menu              Menu
	Title             string
	RegionCode        string
	SentraID          int64
	State             string
	Version           int64
	Workflow          string
	WorkflowVersion   int
	Content           ProposalInput
	RK                []BudgetLine
	Revision          int
	RequestedAmount   Money
	RecommendedAmount Money
	AllocatedAmount   Money
	RKAmount          Money
	DisbursedAmount   Money
	// AbsorbedAmount is the pemda's last reported absorption (a stage
	// request or the completion report).
	AbsorbedAmount Money
	// BASTNumber is the completion's berita acara serah terima, unique
	// across all pemda.
	BASTNumber  string
	ReviewerID  int64
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	Stages      []Stage
}

// Stage states.
const (
	StagePending     = "pending"
	StageRequested   = "requested"
	StageRecommended = "recommended"
	StagePaid        = "paid"
	StageLapsed      = "lapsed"
)

// Stage is one disbursement stage (tahap) fixed when the RK is approved.
type Stage struct {
	Number        int     `json:"number"`
	Basis         string  `json:"basis"`
	Percent       Percent `json:"percent"`
	PlannedAmount Money   `json:"planned_amount"`
	Amount        Money   `json:"amount"`
	// AmountBasis is how Amount was computed when the stage was requested
	// or recommended (one of the Basis* constants).
	AmountBasis string      `json:"amount_basis"`
	State       string      `json:"state"`
	Deadline    time.Time   `json:"deadline"`
	Report      StageReport `json:"report"`
	SP2DNumber  string      `json:"sp2d_number"`
	SP2DDate    *time.Time  `json:"sp2d_date,omitempty"`
	PaidAmount  Money       `json:"paid_amount"`
}

// StageReport is what the pemda reports when requesting a stage.
type StageReport struct {
	ContractValue  Money   `json:"contract_value"`
	AbsorbedAmount Money   `json:"absorbed_amount"`
	OutputPercent  Percent `json:"output_percent"`
	// CompletionNeed is the pemda's rencana kebutuhan dana penyelesaian:
	// what it still needs to finish (the last stage of bertahap).
	CompletionNeed Money `json:"completion_need,omitempty"`
	// KPPN is the state treasury office that serves the pemda, to which
	// the stage's rekomendasi is addressed.
	KPPN string `json:"kppn,omitempty"`
}

// NextStage returns the first stage not yet paid, or nil.
func (p *Proposal) NextStage() *Stage {
	for i := range p.Stages {
		if p.Stages[i].State != StagePaid {
			return &p.Stages[i]
		}
	}
	return nil
}

// Attachment is an uploaded file's record (its bytes stay in the store).
type Attachment struct {
	ID          int64     `json:"id"`
	ProposalID  int64     `json:"proposal_id"`
	Kind        string    `json:"kind"`
	Stage       int       `json:"stage"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// Document is an issued official PDF's record.
type Document struct {
	ID         int64     `json:"id"`
	ProposalID int64     `json:"proposal_id"`
	Kind       string    `json:"kind"`
	Number     string    `json:"number"`
	Title      string    `json:"title"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	VerifyCode string    `json:"verify_code"`
	EventSeq   int       `json:"event_seq"`
	Issuer     string    `json:"issuer"`
	CreatedAt  time.Time `json:"created_at"`
}

// Event is one entry of a proposal's append-only audit trail.
type Event struct {
	ProposalID     int64           `json:"proposal_id"`
	Seq            int             `json:"seq"`
	Event          string          `json:"event"`
	From           string          `json:"from"`
	To             string          `json:"to"`
	ActorID        int64           `json:"actor_id"`
	Actor          string          `json:"actor"`
	Role           Role            `json:"role"`
	At             time.Time       `json:"at"`
	Comment        string          `json:"comment"`
	Data           json.RawMessage `json:"data"`
	DocumentID     *int64          `json:"document_id"`
	DocumentSHA256 string          `json:"document_sha256"`
	Record         string          `json:"-"`
	PrevHash       string          `json:"prev_hash"`
	Hash           string          `json:"hash"`
	// Mismatch names what of the stored event disagrees with its hashed
	// record or its chain (e.g. "comment", "hash", "prev_hash"); empty when
	// the event is sound. The other fields come from the record regardless.
	Mismatch []string `json:"mismatch,omitempty"`
}

// FiscalYear is a tahun anggaran with its national ceiling (pagu) and,
// optionally, a ceiling per menu inside it.
type FiscalYear struct {
	Year               int                  `json:"year"`
	Ceiling            Money                `json:"ceiling"`
	Committed          Money                `json:"committed"`
	SubmissionDeadline *time.Time           `json:"submission_deadline"`
	Menus              map[Menu]MenuCeiling `json:"menu_ceilings,omitempty"`
	// Regions are indicative ceilings by province or kabupaten/kota code.
	Regions map[string]RegionCeiling `json:"region_ceilings,omitempty"`
	// Calendar: its SubmissionCloses is SubmissionDeadline (calendar.go).
	Calendar Calendar `json:"calendar"`
}

// MenuCeiling is the part of a fiscal year's ceiling set aside for one menu.
type MenuCeiling struct {
	Ceiling   Money `json:"ceiling"`
	Committed Money `json:"committed"`
}

// RegionCeiling is a region's indicative ceiling and what is allocated
// inside it; it moves like a menu's.
type RegionCeiling = MenuCeiling

// Left is the menu's ceiling not yet committed.
func (m MenuCeiling) Left() Money { return m.Ceiling - m.Committed }

// Left is the ceiling not yet committed.
func (f FiscalYear) Left() Money { return f.Ceiling - f.Committed }
