package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"dakflow/internal/web/apitest"
)

// upFile is one file of a multi-file upload.
type upFile struct {
	kind, name string
	data       []byte
}

// uploadMany posts files in one multipart body, the i-th kind part before
// the i-th file part; kinds, when not nil, replaces the files' kinds (for
// a count mismatch).
func uploadMany(t *testing.T, c *apitest.Client, id int64, files []upFile, kinds []string) apitest.Response {
	t.Helper()
	if kinds == nil {
		for _, f := range files {
			kinds = append(kinds, f.kind)
		}
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := range max(len(files), len(kinds)) {
		if i < len(kinds) {
			if err := w.WriteField("kind", kinds[i]); err != nil {
				t.Fatal(err)
			}
		}
		if i < len(files) {
			fw, err := w.CreateFormFile("file", files[i].name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fw.Write(files[i].data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return c.Do("POST", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), buf.Bytes(),
		map[string]string{"Content-Type": w.FormDataContentType()})
}

// attachmentNames lists a proposal's attachments' file names, oldest first.
func attachmentNames(t *testing.T, c *apitest.Client, id int64) []string {
	t.Helper()
	var list struct {
		Items []struct {
			FileName string `json:"file_name"`
		} `json:"items"`
		Total int `json:"total"`
	}
	c.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil).Decode(t, &list)
	var out []string
	for _, a := range list.Items {
		out = append(out, a.FileName)
	}
	if list.Total != len(out) {
		t.Errorf("attachment list total %d, %d items", list.Total, len(out))
	}
	return out
}

// pdfFiles is n small PDFs of kind lainnya named prefix-0.pdf, ….
func pdfFiles(prefix string, n int) []upFile {
	out := make([]upFile, n)
	for i := range out {
		out[i] = upFile{"lainnya", fmt.Sprintf("%s-%d.pdf", prefix, i), apitest.PDFBytes(fmt.Sprintf("%s %d", prefix, i))}
	}
	return out
}

// TestUploadSeveralAttachments: several files in one request are stored
// in the order sent, answered as a list and listed after the others; one
// file still answers the attachment itself.
func TestUploadSeveralAttachments(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	before := attachmentNames(t, e.Pemda, id)
	files := []upFile{
		{"lainnya", "satu.pdf", apitest.PDFBytes("satu")},
		{"rab", "dua.png", []byte("\x89PNG\r\n\x1a\nbukan gambar sungguhan")},
		{"tor", "tiga.pdf", apitest.PDFBytes("tiga")},
	}
	r := uploadMany(t, e.Pemda, id, files, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("upload of 3 = %d %s, want 201", r.Status, r.Body)
	}
	var got struct {
		Items []struct {
			ID          int64  `json:"id"`
			Kind        string `json:"kind"`
			FileName    string `json:"file_name"`
			ContentType string `json:"content_type"`
			Size        int64  `json:"size"`
		} `json:"items"`
		Total int `json:"total"`
	}
	r.Decode(t, &got)
	if got.Total != 3 || len(got.Items) != 3 {
		t.Fatalf("upload of 3 answered %s, want 3 items", r.Body)
	}
	for i, f := range files {
		a := got.Items[i]
		if a.Kind != f.kind || a.FileName != f.name || a.Size != int64(len(f.data)) {
			t.Errorf("item %d = %+v, want %s %s of %d bytes", i, a, f.kind, f.name, len(f.data))
		}
		if i > 0 && a.ID <= got.Items[i-1].ID {
			t.Errorf("item %d has id %d after %d, want ids in the order sent", i, a.ID, got.Items[i-1].ID)
		}
		if dl := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/attachments/%d/file", a.ID), nil, nil); !bytes.Equal(dl.Body, f.data) {
			t.Errorf("file of item %d (%s) is not the bytes sent", i, f.name)
		}
	}
	if got.Items[1].ContentType != "image/png" {
		t.Errorf("dua.png stored as %s", got.Items[1].ContentType)
	}
	want := append(slices.Clone(before), "satu.pdf", "dua.png", "tiga.pdf")
	if names := attachmentNames(t, e.Pemda, id); !slices.Equal(names, want) {
		t.Errorf("attachments = %v, want %v", names, want)
	}
	one := e.Pemda.Upload(id, "lainnya", "empat.pdf", apitest.PDFBytes("empat"))
	if m := one.JSON(); one.Status != http.StatusCreated || m["file_name"] != "empat.pdf" || m["items"] != nil {
		t.Errorf("upload of one = %d %s, want 201 and the attachment itself", one.Status, one.Body)
	}
}

// TestUploadSeveralAllOrNothing: when any file of a request is bad, none
// is stored, and every bad one is named by its place.
func TestUploadSeveralAllOrNothing(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	before := attachmentNames(t, e.Pemda, id)
	for _, tc := range []struct {
		name   string
		files  []upFile
		status int
		fields []string
	}{
		{"not a PDF", []upFile{
			{"lainnya", "baik.pdf", apitest.PDFBytes("baik")},
			{"lainnya", "palsu.pdf", []byte("ini teks biasa, bukan PDF")},
			{"lainnya", "baik-juga.pdf", apitest.PDFBytes("baik juga")},
		}, http.StatusUnsupportedMediaType, []string{"file[1]"}},
		{"unknown kind and empty file", []upFile{
			{"lainnya", "baik.pdf", apitest.PDFBytes("baik")},
			{"rahasia", "jenis-salah.pdf", apitest.PDFBytes("jenis salah")},
			{"lainnya", "kosong.pdf", nil},
		}, http.StatusUnprocessableEntity, []string{"kind[1]", "file[2]"}},
		{"name against content", []upFile{
			{"lainnya", "foto.jpg", apitest.PDFBytes("foto")},
			{"lainnya", "baik.pdf", apitest.PDFBytes("baik")},
		}, http.StatusUnsupportedMediaType, []string{"file[0]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := uploadMany(t, e.Pemda, id, tc.files, nil)
			if r.Status != tc.status || !slices.Equal(r.Fields(), tc.fields) {
				t.Errorf("upload = %d %s, want %d naming %v", r.Status, r.Body, tc.status, tc.fields)
			}
			if names := attachmentNames(t, e.Pemda, id); !slices.Equal(names, before) {
				t.Errorf("after a refused upload attachments = %v, want %v", names, before)
			}
		})
	}
}

// TestUploadSeveralBadRequests: a kind for every file, at most
// maxUploadFiles files, and together no more than one file may be; each
// refusal names its field and stores nothing.
func TestUploadSeveralBadRequests(t *testing.T) {
	e := apitest.NewEnvWith(t, apitest.Options{MaxAttachmentBytes: 64 << 10})
	id := e.Create(t, "revitalisasi", false)
	before := attachmentNames(t, e.Pemda, id)
	big := func(name string) upFile {
		return upFile{"lainnya", name, append(apitest.PDFBytes(name), bytes.Repeat([]byte("x"), 40<<10)...)}
	}
	for _, tc := range []struct {
		name   string
		files  []upFile
		kinds  []string
		status int
		field  string
	}{
		{"two files, one kind", pdfFiles("a", 2), []string{"lainnya"}, http.StatusBadRequest, "kind"},
		{"two files, three kinds", pdfFiles("b", 2), []string{"lainnya", "lainnya", "tor"}, http.StatusBadRequest, "kind"},
		{"one file, two kinds", pdfFiles("c", 1), []string{"lainnya", "tor"}, http.StatusBadRequest, "kind"},
		{"21 files", pdfFiles("d", 21), nil, http.StatusRequestEntityTooLarge, "file"},
		{"together larger than one may be", []upFile{big("besar-1.pdf"), big("besar-2.pdf")}, nil, http.StatusRequestEntityTooLarge, "file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := uploadMany(t, e.Pemda, id, tc.files, tc.kinds)
			if r.Status != tc.status || !slices.Contains(r.Fields(), tc.field) {
				t.Errorf("upload = %d %s, want %d naming %s", r.Status, r.Body, tc.status, tc.field)
			}
			if names := attachmentNames(t, e.Pemda, id); !slices.Equal(names, before) {
				t.Errorf("after a refused upload attachments = %v, want %v", names, before)
			}
		})
	}
	if r := uploadMany(t, e.Pemda, id, pdfFiles("e", 20), nil); r.Status != http.StatusCreated {
		t.Errorf("upload of 20 = %d %s, want 201", r.Status, r.Body)
	}
}

// TestUploadSeveralCapped: the files of one request count together
// against the proposal's cap: a request that would pass it stores none.
func TestUploadSeveralCapped(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	limit := e.Engine.Current().Parameters.MaxAttachments
	n := len(attachmentNames(t, e.Pemda, id))
	for batch := 0; n < limit-2; batch++ {
		k := min(20, limit-2-n)
		if r := uploadMany(t, e.Pemda, id, pdfFiles(fmt.Sprintf("isi%d", batch), k), nil); r.Status != http.StatusCreated {
			t.Fatalf("upload of %d = %d %s", k, r.Status, r.Body)
		}
		n += k
	}
	r := uploadMany(t, e.Pemda, id, pdfFiles("lebih", 3), nil)
	if r.Status != http.StatusUnprocessableEntity || !slices.Contains(r.Fields(), "file") {
		t.Errorf("3 files with %d of %d = %d %s, want 422 naming file", n, limit, r.Status, r.Body)
	}
	if got := len(attachmentNames(t, e.Pemda, id)); got != limit-2 {
		t.Errorf("%d attachments after a refused upload, want %d", got, limit-2)
	}
	if r := uploadMany(t, e.Pemda, id, pdfFiles("pas", 2), nil); r.Status != http.StatusCreated {
		t.Errorf("2 files with %d of %d = %d %s, want 201", n, limit, r.Status, r.Body)
	}
	if got := len(attachmentNames(t, e.Pemda, id)); got != limit {
		t.Errorf("%d attachments, want %d", got, limit)
	}
}
