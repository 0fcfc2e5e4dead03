package translog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Dir is an append-only directory of signed checkpoints, kept where the
// database operator cannot rewrite them (PRODUCT.md §5): each checkpoint is
// one file, checkpoint-<size, 12 digits>-<key id>.txt, created once with
// O_EXCL, made read-only and never rewritten; a new one is written only
// after a consistency proof shows that its tree extends the newest one
// already there. Mount it on another volume, copy it away, or make it
// append-only (chattr +a) to take it out of the database operator's reach.
type Dir string

var dirName = regexp.MustCompile(`^checkpoint-(\d{12})-([0-9a-f]{8})\.txt$`)

// FileName is the name of c's file in a Dir.
func FileName(c Checkpoint) string {
	return fmt.Sprintf("checkpoint-%012d-%s.txt", c.Size, c.KeyID)
}

// Latest opens the largest checkpoint of the directory (ok false when it
// has none). A file that does not open with the known keys is an error:
// the directory is the witness, so nothing is written after it is broken.
func (d Dir) Latest(known note.Verifiers) (c Checkpoint, ok bool, err error) {
	entries, err := os.ReadDir(string(d))
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, false, nil
	}
	if err != nil {
		return Checkpoint{}, false, fmt.Errorf("checkpoint dir: %w", err)
	}
	best, bestSize := "", int64(-1)
	for _, e := range entries {
		m := dirName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		size, _ := strconv.ParseInt(m[1], 10, 64) // twelve digits (dirName) always parse
		if size > bestSize || size == bestSize && e.Name() > best {
			best, bestSize = e.Name(), size
		}
	}
	if best == "" {
		return Checkpoint{}, false, nil
	}
	msg, err := os.ReadFile(filepath.Join(string(d), best))
	if err != nil {
		return Checkpoint{}, false, fmt.Errorf("checkpoint dir: %w", err)
	}
	c, err = Open(msg, known)
	if err != nil {
		return Checkpoint{}, false, fmt.Errorf("checkpoint dir: %s: %w", best, err)
	}
	if FileName(c) != best {
		return Checkpoint{}, false, fmt.Errorf("checkpoint dir: %s holds the checkpoint of size %d by key %s", best, c.Size, c.KeyID)
	}
	return c, true, nil
}

// Append writes c after checking that it extends the newest checkpoint of
// the directory; prove returns the consistency proof from a tree size to
// c's. It reports whether a file was written: a checkpoint of the same tree
// already there is not written twice. A c that does not extend the
// directory's history fails with ErrFork and writes nothing.
func (d Dir) Append(c Checkpoint, known note.Verifiers, prove func(oldSize, newSize int64) ([]tlog.Hash, error)) (bool, error) {
	prev, ok, err := d.Latest(known)
	if err != nil {
		return false, err
	}
	if ok {
		switch {
		case c.Size < prev.Size:
			// Another instance wrote a larger checkpoint first: fine when
			// it extends this one (the database can prove it); else the
			// database lost what the directory witnessed.
			proof, err := prove(c.Size, prev.Size)
			if err == nil {
				err = CheckConsistency(c.Tree(), prev.Tree(), proof)
			}
			if err != nil {
				return false, fmt.Errorf("checkpoint dir: the log (size %d) is behind the directory's newest checkpoint (size %d) and does not lead to it: was the database restored or truncated? %w", c.Size, prev.Size, err)
			}
			return false, nil
		case c.Size == prev.Size:
			if c.Root != prev.Root {
				return false, fmt.Errorf("checkpoint dir: %w (both of size %d)", ErrFork, c.Size)
			}
			return false, nil
		}
		proof, err := prove(prev.Size, c.Size)
		if err != nil {
			return false, fmt.Errorf("checkpoint dir: prove %d → %d: %w", prev.Size, c.Size, err)
		}
		if err := CheckConsistency(prev.Tree(), c.Tree(), proof); err != nil {
			return false, fmt.Errorf("checkpoint dir: refusing to write checkpoint %d: %w", c.Size, err)
		}
	}
	if err := os.MkdirAll(string(d), 0o750); err != nil {
		return false, fmt.Errorf("checkpoint dir: %w", err)
	}
	path := filepath.Join(string(d), FileName(c))
	// Written whole under a temporary name, then linked into place: the
	// link fails if the name exists (the O_EXCL of a rename), and no reader
	// ever sees a half-written checkpoint, even across instances or a crash.
	tmp, err := os.CreateTemp(string(d), ".tmp-checkpoint-*")
	if err != nil {
		return false, fmt.Errorf("checkpoint dir: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(c.Note)
	if err == nil {
		err = tmp.Chmod(0o444)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("checkpoint dir: write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return false, fmt.Errorf("checkpoint dir: %w", err)
		}
		// Another instance signed the same tree (at another time):
		// the same size and root is the same checkpoint.
		old, rerr := os.ReadFile(path)
		if rerr == nil {
			if prev, oerr := Open(old, known); oerr == nil && prev.Size == c.Size && prev.Root == c.Root {
				return false, nil
			}
		}
		return false, fmt.Errorf("checkpoint dir: %s exists with another tree; it is never rewritten", path)
	}
	if dir, err := os.Open(string(d)); err == nil {
		_ = dir.Sync() // the new name survives a crash
		dir.Close()
	}
	return true, nil
}
