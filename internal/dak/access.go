package dak

import "time"

// Access is one line of the access log: someone downloaded a document, an
// attachment, a trail or a trail export (PRODUCT.md §5, "every download by
// anyone recorded (who, what, when)"). The log is append-only in the
// database (migration 0007).
type Access struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id"`
	User       string    `json:"user"` // the username at the time
	Role       Role      `json:"role"`
	Action     string    `json:"action"`      // AccessDownload, AccessExportRequest
	ObjectType string    `json:"object_type"` // Object* constants
	ObjectID   int64     `json:"object_id"`
	ProposalID *int64    `json:"proposal_id"`
	// ProposalNumber is the number of that proposal, when listed.
	ProposalNumber string `json:"proposal_number,omitempty"`
	// SentraID is the sentra of an ObjectSentraPhoto, SentraName its name
	// when listed.
	SentraID   *int64 `json:"sentra_id,omitempty"`
	SentraName string `json:"sentra_name,omitempty"`
	// RemoteAddr is the address of the connection the request came on: the
	// client's, or the last proxy's when one is in front. ForwardedFor is
	// what the request claimed in X-Forwarded-For, kept as a claim.
	RemoteAddr   string `json:"remote_addr"`
	ForwardedFor string `json:"forwarded_for,omitempty"`
	RequestID    string `json:"request_id,omitempty"`
}

// Actions of the access log.
const (
	AccessDownload      = "download"
	AccessExportRequest = "export_request"
)

// Objects of the access log.
const (
	ObjectDocument    = "document"     // a document PDF
	ObjectAttachment  = "attachment"   // an uploaded attachment file
	ObjectTrail       = "trail"        // a proposal's trail ZIP (object_id is the proposal's)
	ObjectTrailExport = "trail_export" // a region's or a year's trails as one ZIP
	ObjectSentraPhoto = "sentra_photo" // a photo of a sentra's use report (SentraID is its sentra's)
)

// TrailExport is a request for the trails of every proposal of a region
// or a fiscal year as one ZIP, built in the background by whichever server
// process claims it (PRODUCT.md §5).
type TrailExport struct {
	ID          int64  `json:"id"`
	RegionCode  string `json:"region,omitempty"`      // the region and every region inside it; "" for all
	FiscalYear  int    `json:"fiscal_year,omitempty"` // 0 for every year
	State       string `json:"state"`                 // Export* constants
	Total       int    `json:"total"`                 // proposals to export, once the job started
	Done        int    `json:"done"`                  // proposals written so far
	Problems    int    `json:"problems"`              // proposals whose trail could not be built (named in the index)
	Attempts    int    `json:"attempts"`
	RequestedBy int64  `json:"requested_by"`
	// RequestedByName is the requester's username, for lists.
	RequestedByName string     `json:"requested_by_name"`
	CreatedAt       time.Time  `json:"created_at"`
	StartedAt       *time.Time `json:"started_at,omitempty"`
	FinishedAt      *time.Time `json:"finished_at,omitempty"`
	// Worker and HeartbeatAt are who holds a running job and when it last
	// said so; a job whose heartbeat is older than the lease is taken over.
	Worker      string     `json:"-"`
	HeartbeatAt *time.Time `json:"-"`
	FileName    string     `json:"file_name,omitempty"`
	Size        int64      `json:"size,omitempty"`
	SHA256      string     `json:"sha256,omitempty"`
	Error       string     `json:"error,omitempty"`
}

// States of a trail export.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// Finished reports whether the export will change no more.
func (e TrailExport) Finished() bool { return e.State == ExportDone || e.State == ExportFailed }
