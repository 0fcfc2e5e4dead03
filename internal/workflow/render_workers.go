package workflow

import (
	"runtime"
	"sync"
)

// A document's layout (text/template, fpdf) grows a goroutine's stack to
// tens of kilobytes, and a goroutine started per rendering grew it anew,
// copying it at every doubling: 2 % of a busy server's CPU. A few
// long-lived goroutines keep their grown stacks and take the renderings
// of every engine in the process; when none is idle, a rendering gets a
// goroutine of its own as before, so that none ever waits for another.

// renderWorkers is how many: renderings are CPU-bound, more would idle.
var renderWorkers = 2 * runtime.GOMAXPROCS(0)

var (
	renderJobs      = make(chan func()) // unbuffered: a send succeeds only to an idle worker
	renderWorkersUp sync.Once
)

// goRender runs f on an idle render worker, else on a new goroutine.
func goRender(f func()) {
	renderWorkersUp.Do(func() {
		for range renderWorkers {
			go func() {
				for f := range renderJobs {
					f()
				}
			}()
		}
	})
	select {
	case renderJobs <- f:
	default:
		go f()
	}
}
