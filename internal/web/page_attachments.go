package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// attachmentsView lists a proposal's attachments, what is still needed
// now, and the upload form when the pemda may upload.
type attachmentsView struct {
	ProposalID int64
	Items      []attachmentItem
	Required   []requiredItem
	Kinds      []option
	CanUpload  bool
	Back       string // "edit" or "view": the page the upload returns to
	CSRF       string
	Error      string
}

// attachmentItem is one uploaded file.
type attachmentItem struct {
	ID                   int64
	Kind, FileName, Size string
	Stage                int
	Date                 string
}

// requiredItem is an attachment the next step needs.
type requiredItem struct {
	Label string
	Done  bool
}

func (p *pages) attachments(c echo.Context, pr dak.Proposal, back string) (attachmentsView, error) {
	u := currentUser(c)
	list, err := p.s.store.Attachments(c.Request().Context(), pr.ID)
	if err != nil {
		return attachmentsView{}, err
	}
	av := attachmentsView{ProposalID: pr.ID, Back: back, Kinds: optionsOf(dak.AttachmentKinds, ""), CSRF: csrfOf(c)}
	for _, a := range list {
		label := dak.AttachmentKinds[a.Kind]
		av.Items = append(av.Items, attachmentItem{ID: a.ID, Kind: label, FileName: a.FileName, Stage: a.Stage,
			Size: humanSize(a.Size), Date: dak.FormatDateTime(a.CreatedAt)})
	}
	d, ok := p.s.engine.Definition(pr.Workflow)
	if !ok {
		return av, nil
	}
	// What the guards of the next step want attached (the menu's files for
	// submitting, the stage's for requesting a disbursement, the
	// completion's for completing), read from the workflow definition.
	kinds, stage := d.NeededAttachments(&pr, p.s.engine.AvailableEvents(pr, u))
	for _, k := range kinds {
		done := slices.ContainsFunc(list, func(a dak.Attachment) bool { return a.Kind == k && a.Stage == stage })
		av.Required = append(av.Required, requiredItem{Label: dak.AttachmentKinds[k], Done: done})
	}
	if len(kinds) > 0 {
		av.Kinds = optionsOf(dak.AttachmentKinds, firstMissing(kinds, list, stage))
	}
	av.CanUpload = u.ActsFor(pr.RegionCode) && d.Uploads(pr.State) // where engine.Attach takes a file
	return av, nil
}

func firstMissing(kinds []string, list []dak.Attachment, stage int) string {
	for _, k := range kinds {
		if !slices.ContainsFunc(list, func(a dak.Attachment) bool { return a.Kind == k && a.Stage == stage }) {
			return k
		}
	}
	return ""
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		// Indonesian decimal comma: "19,0 MB".
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " byte"
}

// uploadAttachment stores a file through engine.Attach, as the API does,
// and returns to the page it came from.
func (p *pages) uploadAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := "view"
	if c.FormValue("back") == "edit" {
		back = "edit"
	}
	err = p.attach(c, id)
	if err == nil {
		target := "/proposals/" + strconv.FormatInt(id, 10)
		if back == "edit" {
			target += "/edit"
		}
		return c.Redirect(http.StatusSeeOther, target+"?uploaded=1#lampiran")
	}
	de, ok := dak.AsError(err)
	if !ok || errors.Is(err, dak.ErrNotFound) {
		return err
	}
	msg := de.Detail
	for _, f := range de.Fields {
		if !strings.EqualFold(f.Message, de.Detail) {
			msg += "; " + f.Message
		}
	}
	status := problemFor(err).Status
	if back == "edit" {
		data, _, err := p.editData(c, nil, fieldErrors{})
		if err != nil {
			return err
		}
		data.Attachments.Error = msg
		return p.render(c, status, "proposal_form", data)
	}
	pr, err := p.s.visible(c)
	if err != nil {
		return err
	}
	data, err := p.proposalData(c, pr)
	if err != nil {
		return err
	}
	data.Attachments.Error = msg
	return p.render(c, status, "proposal", data)
}

func (p *pages) attach(c echo.Context, id int64) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: "pilih berkas yang akan diunggah",
			Fields: []dak.FieldError{{Field: "file", Message: "berkas wajib dipilih"}}}
	}
	release, err := p.s.uploadSlot(c, fh)
	if err != nil {
		return err
	}
	defer release()
	data, err := p.s.readAttachment(fh)
	if err != nil {
		return err
	}
	_, err = p.s.engine.Attach(c.Request().Context(), currentUser(c), id, c.FormValue("kind"), fh.Filename, data)
	return err
}
