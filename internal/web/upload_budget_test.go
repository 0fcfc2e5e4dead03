package web

import (
	"context"
	"mime/multipart"
	"net/http/httptest"
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
// bytes, not in count. While two files of the largest size are held a
// third waits (and gets 503 when its wait ends), but many small files go
// on side by side: on deadline day every pemda uploads its scans at once,
// and a count of two made them queue behind each other.
func TestUploadBudget(t *testing.T) {
	const maxFile = 1 << 20
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
	s := &Server{engine: engine, uploads: newUploadBudget(maxFile)}
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

	// Two of the largest size fill the budget; a third waits until one is
	// released, and gives up with its request.
	a, err := slot(context.Background(), maxFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := slot(context.Background(), maxFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := slot(ctx, maxFile); err == nil {
		t.Fatal("third largest upload held while two are: want it to wait")
	}
	a()
	c, err := slot(context.Background(), maxFile)
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	b()
	c()

	// A file past the limit is refused before it waits.
	if _, err := slot(context.Background(), maxFile+1); err == nil {
		t.Fatal("file past the limit accepted")
	}
}
