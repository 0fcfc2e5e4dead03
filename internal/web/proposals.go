package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/workflow"
)

// ProposalOut is a proposal as the API shows it (PRODUCT.md §6).
type ProposalOut struct {
	ID                int64            `json:"id"`
	Number            string           `json:"number"`
	State             string           `json:"state"`
	StateLabel        string           `json:"state_label"`
	Version           int64            `json:"version"`
	Workflow          string           `json:"workflow"`
	WorkflowVersion   int              `json:"workflow_version"`
	FiscalYear        int              `json:"fiscal_year"`
	Menu              dak.Menu         `json:"menu"`
	Title             string           `json:"title"`
	RegionCode        string           `json:"region_code"`
	RegionName        string           `json:"region_name"`
	SentraID          int64            `json:"sentra_id,omitempty"`
	Sentra            dak.SentraInput  `json:"sentra"`
	Land              dak.Land         `json:"land"`
	BudgetLines       []dak.BudgetLine `json:"budget_lines"`
	Outputs           []dak.Output     `json:"outputs"`
	Revision          int              `json:"revision"`
	RequestedAmount   dak.Money        `json:"requested_amount"`
	RecommendedAmount dak.Money        `json:"recommended_amount"`
	AllocatedAmount   dak.Money        `json:"allocated_amount"`
	RKAmount          dak.Money        `json:"rk_amount"`
	DisbursedAmount   dak.Money        `json:"disbursed_amount"`
	AbsorbedAmount    dak.Money        `json:"absorbed_amount"`
	BASTNumber        string           `json:"bast_number,omitempty"`
	RK                []dak.BudgetLine `json:"rk_activities,omitempty"`
	ReviewerID        int64            `json:"reviewer_id,omitempty"`
	AvailableEvents   []string         `json:"available_events"`
	Disbursement      *DisbursementOut `json:"disbursement,omitempty"`
	// Figures are every amount of the proposal's money, from the same
	// computation the documents print (dak.Proposal.Figures); present
	// once an allocation is set.
	Figures     *dak.Figures `json:"figures,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	SubmittedAt *time.Time   `json:"submitted_at,omitempty"`

	// RKDepartures lists how the RK departs from the assessed RAB
	// (PRODUCT.md §3); empty when it keeps to it or there is no RK yet.
	RKDepartures []DepartureOut `json:"rk_departures"`
	// PlannedOutputs are the outputs planned: the content's until the RK
	// is approved, then as the approved RK keeps them (documents quote the
	// same, workflow.PlannedOutputs).
	PlannedOutputs []dak.Output `json:"planned_outputs"`
	// Deadlines are those the proposal waits on in its state (calendar.go);
	// on GET /proposals/{id}.
	Deadlines []dak.Deadline `json:"deadlines,omitempty"`
}

// DepartureOut is one way the RK departs from the assessed RAB, with its
// description in Indonesian.
type DepartureOut struct {
	dak.Departure
	Description string `json:"description"`
}

// DisbursementOut is the stage plan, present once the RK is approved.
type DisbursementOut struct {
	Mode   string     `json:"mode"`
	Stages []StageOut `json:"stages"`
}

// StageOut is one disbursement stage.
type StageOut struct {
	Number        int         `json:"number"`
	Basis         string      `json:"basis"`
	Percent       dak.Percent `json:"percent"`
	PlannedAmount dak.Money   `json:"planned_amount"`
	Amount        dak.Money   `json:"amount"`
	State         string      `json:"state"`
	Deadline      time.Time   `json:"deadline"`
	SP2DNumber    string      `json:"sp2d_number"`
	PaidAmount    dak.Money   `json:"paid_amount"`
	// AmountBasis is how Amount was computed (dak.Basis* constants).
	AmountBasis string `json:"amount_basis,omitempty"`
	// KPPN is the treasury office the stage's request named.
	KPPN string `json:"kppn,omitempty"`
}

func (s *Server) proposalOut(p dak.Proposal, u dak.User) ProposalOut {
	out := ProposalOut{ID: p.ID, Number: p.Number, State: p.State, Version: p.Version, Workflow: p.Workflow,
		WorkflowVersion: p.WorkflowVersion, FiscalYear: p.FiscalYear, Menu: p.Menu, Title: p.Title, RegionCode: p.RegionCode,
		SentraID: p.SentraID, Sentra: p.Content.Sentra, Land: p.Content.Land, BudgetLines: p.Content.BudgetLines,
		Outputs: p.Content.Outputs, Revision: p.Revision, RequestedAmount: p.RequestedAmount,
		RecommendedAmount: p.RecommendedAmount, AllocatedAmount: p.AllocatedAmount, RKAmount: p.RKAmount,
		DisbursedAmount: p.DisbursedAmount, AbsorbedAmount: p.AbsorbedAmount, BASTNumber: p.BASTNumber, RK: p.RK, ReviewerID: p.ReviewerID,
		AvailableEvents: s.engine.AvailableEvents(p, u), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, SubmittedAt: p.SubmittedAt}
	if out.BudgetLines == nil {
		out.BudgetLines = []dak.BudgetLine{}
	}
	if out.Outputs == nil {
		out.Outputs = []dak.Output{}
	}
	out.RKDepartures = []DepartureOut{}
	for _, d := range workflow.RKDepartures(&p) {
		out.RKDepartures = append(out.RKDepartures, DepartureOut{Departure: d, Description: d.String()})
	}
	out.PlannedOutputs = workflow.PlannedOutputs(&p)
	if out.PlannedOutputs == nil {
		out.PlannedOutputs = []dak.Output{}
	}
	if r, ok := region.Lookup(region.Code(p.RegionCode)); ok {
		out.RegionName = r.Name
	}
	if p.AllocatedAmount > 0 {
		f := p.Figures()
		out.Figures = &f
	}
	if d, ok := s.engine.Definition(p.Workflow); ok {
		out.StateLabel = d.StateLabel(p.State)
		if len(p.Stages) > 0 {
			dis := &DisbursementOut{Mode: d.Mode(p.AllocatedAmount)}
			for _, st := range p.Stages {
				dis.Stages = append(dis.Stages, StageOut{Number: st.Number, Basis: st.Basis, Percent: st.Percent,
					PlannedAmount: st.PlannedAmount, Amount: st.Amount, State: st.State, Deadline: st.Deadline,
					SP2DNumber: st.SP2DNumber, PaidAmount: st.PaidAmount, AmountBasis: st.AmountBasis, KPPN: st.Report.KPPN})
			}
			out.Disbursement = dis
		}
	}
	return out
}

func etag(p dak.Proposal) string { return `"` + strconv.FormatInt(p.Version, 10) + `"` }

// ifMatch reads If-Match: a quoted or bare version; absent is 0.
func ifMatch(c echo.Context) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, dak.Errorf(dak.ErrPrecondition, "If-Match tidak dikenali: %s", h)
	}
	return v, nil
}

func (s *Server) createProposal(c echo.Context) error {
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	release, err := s.filingTurn(c)
	if err != nil {
		return err
	}
	defer release()
	var (
		in    dak.ProposalInput
		body  []byte
		files []workflow.Upload
	)
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "multipart/form-data") {
		// The draft with its files (kind and file parts, as an upload
		// takes them), filed together or not at all.
		if err := parseForm(c, s.uploadBodyLimit()+maxJSONBody); err != nil {
			return err
		}
		if body, err = formJSON(c, "proposal"); err != nil {
			return err
		}
		if err := decodeStrict(body, &in); err != nil {
			return err
		}
		if form := c.Request().MultipartForm; form != nil && len(form.File["file"]) > 0 {
			var release func()
			if files, release, err = s.formUploads(c); err != nil {
				return err
			}
			defer release()
		}
	} else {
		if body, err = readBody(c); err != nil {
			return err
		}
		if err := decodeStrict(body, &in); err != nil {
			return err
		}
	}
	u := currentUser(c)
	p, replayed, err := s.engine.CreateProposalWithFiles(c.Request().Context(), u, in, files,
		workflow.Once{Key: key, RequestHash: requestHash(body, files)})
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the draft the first
	// request filed, as it is now.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set("ETag", etag(p))
	c.Response().Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(p.ID, 10))
	return c.JSON(http.StatusCreated, s.proposalOut(p, u))
}

// idempotencyKey is the request's Idempotency-Key header, "" for none.
// A key that is not printable ASCII is refused here as the engine refuses
// it (workflow.checkIdempotencyKey), since a photo's key goes to the store
// without passing the engine.
func idempotencyKey(c echo.Context) (string, error) {
	key := strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return "", malformed("Idempotency-Key", "paling panjang 200 karakter")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return "", &dak.Error{Kind: dak.ErrMalformed, Detail: "Idempotency-Key tidak valid", Fields: []dak.FieldError{{Field: "Idempotency-Key",
				Message: "hanya huruf, angka dan tanda baca ASCII, paling panjang 200 karakter"}}}
		}
	}
	return key, nil
}

// requestHash is what a filing or an upload asked for, to refuse its
// Idempotency-Key reused for another: the proposal's JSON (an upload's
// proposal id, a photo's sentra, report and place) and each file's kind,
// name and content, whatever multipart boundary a retry is sent with.
func requestHash(body []byte, files []workflow.Upload) string {
	h := sha256.New()
	h.Write(body)
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(h, "\n%q %q %x", f.Kind, f.FileName, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// formJSON is the JSON of a multipart form's part name: a field, or a
// file part (curl -F name=@file.json), at most maxJSONBody bytes.
func formJSON(c echo.Context, name string) ([]byte, error) {
	form := c.Request().MultipartForm
	if form == nil {
		return nil, malformed(name, "bagian "+name+" (JSON) wajib ada")
	}
	if v := form.Value[name]; len(v) > 0 {
		if int64(len(v[0])) > maxJSONBody {
			return nil, dak.Errorf(dak.ErrTooLarge, "bagian %s melebihi %d byte", name, maxJSONBody)
		}
		return []byte(v[0]), nil
	}
	fhs := form.File[name]
	if len(fhs) == 0 {
		return nil, malformed(name, "bagian "+name+" (JSON) wajib ada")
	}
	if fhs[0].Size > maxJSONBody {
		return nil, dak.Errorf(dak.ErrTooLarge, "bagian %s melebihi %d byte", name, maxJSONBody)
	}
	f, err := fhs[0].Open()
	if err != nil {
		return nil, malformed(name, "bagian "+name+" tidak dapat dibaca")
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxJSONBody))
	if err != nil {
		return nil, malformed(name, "bagian "+name+" tidak dapat dibaca")
	}
	return body, nil
}

func (s *Server) getProposal(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(p))
	out := s.proposalOut(p, currentUser(c))
	if out.Deadlines, err = s.proposalDeadlines(c.Request().Context(), p); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) visible(c echo.Context) (dak.Proposal, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return dak.Proposal{}, err
	}
	u := currentUser(c)
	return s.engine.Visible(c.Request().Context(), u, id)
}

func (s *Server) putProposal(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	// Another region's proposal is not found, whatever the body says.
	if _, err := s.visible(c); err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in dak.ProposalInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	p, err := s.engine.UpdateProposal(c.Request().Context(), u, id, version, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(p))
	return c.JSON(http.StatusOK, s.proposalOut(p, u))
}

func (s *Server) listProposals(c echo.Context) error {
	u := currentUser(c)
	f, err := s.parseFilter(c)
	if err != nil {
		return err
	}
	if format, err := sheetFormat(c); err != nil || format != "" {
		if err != nil {
			return err
		}
		return s.exportProposals(c, f, format) // proposal_export.go
	}
	ps, total, err := s.store.Proposals(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]ProposalOut, len(ps))
	for i, p := range ps {
		out[i] = s.proposalOut(p, u)
	}
	return c.JSON(http.StatusOK, list(out, total))
}

// eventInput is the body of POST /proposals/{id}/events.
type eventInput struct {
	Event   string  `json:"event"`
	Comment string  `json:"comment"`
	Data    jsonRaw `json:"data"`
}

// FireResponse is the answer to a fired event.
type FireResponse struct {
	Proposal ProposalOut  `json:"proposal"`
	Event    EventOut     `json:"event"`
	Document *DocumentOut `json:"document"`
}

func (s *Server) fireEvent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var in eventInput
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Event) == "" {
		return malformed("event", "nama peristiwa wajib diisi")
	}
	u := currentUser(c)
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	req := workflow.Request{Event: in.Event, Comment: in.Comment, Data: []byte(in.Data), IfMatch: version,
		IdempotencyKey: key, RequestHash: dak.SHA256Hex(append([]byte(strconv.FormatInt(id, 10)+"\n"), body...))}
	res, err := s.engine.Fire(c.Request().Context(), u, id, req)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the first answer
	// again, rebuilt from the event and document the first request wrote
	// (the proposal as it is now).
	if res.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set("ETag", etag(res.Proposal))
	return c.JSON(http.StatusOK, s.fireResponse(res, u))
}

func (s *Server) fireResponse(r workflow.Result, u dak.User) FireResponse {
	out := FireResponse{Proposal: s.proposalOut(r.Proposal, u), Event: eventOut(r.Event)}
	if r.Document != nil {
		d := s.documentOut(*r.Document)
		out.Document = &d
	}
	return out
}
