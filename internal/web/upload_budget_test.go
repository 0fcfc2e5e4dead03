package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/document"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/workflow"
	"dakflow/templates"
	"dakflow/workflows"
)

// TestUploadBudget: the attachments held in memory at once are bounded in
// bytes, not in count. While uploadBudgetFiles files of the largest size
// are held another waits (and gets 503 when its wait ends), but many small
// files go on side by side: on deadline day every pemda uploads its scans at once,
// and a count of two made them queue behind each other.
func TestUploadBudget(t *testing.T) {
	const maxFile = 1 << 20
	s := &Server{engine: uploadEngine(t, maxFile), uploads: newUploadBudget(maxFile), cfg: Config{TurnWait: defaultTurnWait}}
	e := echo.New()
	slot := func(ctx context.Context, size int64) (func(), error) {
		req := httptest.NewRequest("POST", "/", nil).WithContext(ctx)
		return s.uploadSlot(e.NewContext(req, httptest.NewRecorder()), &multipart.FileHeader{Size: size})
	}

	// Twenty small files at once: all held together.
	var releases []func()
	for i := range 20 {
		release, err := slot(context.Background(), 40<<10)
		if err != nil {
			t.Fatalf("small upload %d: %v", i, err)
		}
		releases = append(releases, release)
	}
	for _, release := range releases {
		release()
	}

	// uploadBudgetFiles of the largest size fill the budget; one more
	// waits until one is released, and gives up with its request.
	releases = releases[:0]
	for i := range uploadBudgetFiles {
		release, err := slot(context.Background(), maxFile)
		if err != nil {
			t.Fatalf("largest upload %d: %v", i, err)
		}
		releases = append(releases, release)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := slot(ctx, maxFile); err == nil {
		t.Fatalf("largest upload held while %d are: want it to wait", uploadBudgetFiles)
	}
	releases[0]()
	c, err := slot(context.Background(), maxFile)
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	for _, release := range releases[1:] {
		release()
	}
	c()

	// A file past the limit is refused before it waits.
	if _, err := slot(context.Background(), maxFile+1); err == nil {
		t.Fatal("file past the limit accepted")
	}
}

// TestReadAttachmentAllocatesOnce: an upload is read from its spooled file
// into one buffer of its size. io.ReadAll's growing buffer allocated about
// 2.4 times the file, and that garbage took the server past 150 MB under
// concurrent 20 MiB uploads (TestMemoryUnderAbuse).
func TestReadAttachmentAllocatesOnce(t *testing.T) {
	const size = 1 << 20
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "besar.pdf")
	fw.Write(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), size-9)...))
	w.Close()
	form, err := multipart.NewReader(&buf, w.Boundary()).ReadForm(1 << 10) // spooled to a file
	if err != nil {
		t.Fatal(err)
	}
	defer form.RemoveAll()
	s := &Server{engine: uploadEngine(t, size)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	data, err := s.readAttachment(form.File["file"][0])
	runtime.ReadMemStats(&after)
	if err != nil || len(data) != size {
		t.Fatalf("readAttachment = %d bytes, %v; want %d", len(data), err, size)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > size+size/4 {
		t.Errorf("reading a %d-byte upload allocated %d bytes, want at most %d", size, got, size+size/4)
	}
}

// uploadEngine is an engine on a test database that accepts files of up
// to maxFile bytes.
func uploadEngine(t *testing.T, maxFile int64) *workflow.Engine {
	t.Helper()
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := document.NewRenderer(templates.FS, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := workflow.NewEngine(defs, "dak-fisik-ikm", dbtest.Open(t), r, nil, "http://127.0.0.1", maxFile)
	if err != nil {
		t.Fatal(err)
	}
	return engine
}
