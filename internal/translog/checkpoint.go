package translog

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// LogLine is the fourth line of a checkpoint's text: it names the log, so
// that a note signed by the same key for another purpose is never taken
// for a checkpoint.
const LogLine = "dakflow global log"

// Checkpoint is a signed statement of the global log's size and root hash
// at a time. Its Note is the exact signed text:
//
//	go.sum database tree          (the first three lines are tlog.FormatTree)
//	1234                          (tree size: how many events the log holds)
//	<base64 root hash>            (RFC 6962 root of those leaves)
//	dakflow global log
//	time 2026-11-30T10:00:00Z
//
//	— dakflow <base64 of key hash and Ed25519 signature>
type Checkpoint struct {
	Size  int64
	Root  tlog.Hash
	Time  time.Time
	KeyID string // the signer's key id (8 hex digits)
	Note  []byte // the signed note, byte for byte
}

// Tree is the checkpoint's tree description.
func (c Checkpoint) Tree() tlog.Tree { return tlog.Tree{N: c.Size, Hash: c.Root} }

// Text is the text a checkpoint signs.
func Text(tree tlog.Tree, at time.Time) string {
	return string(tlog.FormatTree(tree)) + LogLine + "\ntime " + at.UTC().Format(time.RFC3339) + "\n"
}

// Sign writes and signs the checkpoint of tree at time at.
func Sign(tree tlog.Tree, at time.Time, signer note.Signer) (Checkpoint, error) {
	at = at.UTC().Truncate(time.Second)
	msg, err := note.Sign(&note.Note{Text: Text(tree, at)}, signer)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("sign checkpoint: %w", err)
	}
	return Checkpoint{Size: tree.N, Root: tree.Hash, Time: at, KeyID: fmt.Sprintf("%08x", signer.KeyHash()), Note: msg}, nil
}

// Open checks a signed checkpoint against the known keys and reads it.
// The error names what is wrong: not a signed note, signed by no known key
// (naming the key it is signed by), a signature that does not verify, or
// a text that is not a dakflow checkpoint.
func Open(msg []byte, known note.Verifiers) (Checkpoint, error) {
	n, err := note.Open(msg, known)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			var ids []string
			for _, s := range unverified.Note.UnverifiedSigs {
				ids = append(ids, fmt.Sprintf("%s %08x", s.Name, s.Hash))
			}
			return Checkpoint{}, &UnknownKeyError{KeyIDs: ids}
		case errors.As(err, &invalid):
			return Checkpoint{}, fmt.Errorf("checkpoint: the signature by key %08x does not verify (the text was changed or the signature forged)", invalid.Hash)
		}
		return Checkpoint{}, fmt.Errorf("checkpoint: not a signed note: %v", err)
	}
	c, err := parseText(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	c.KeyID = fmt.Sprintf("%08x", n.Sigs[0].Hash)
	c.Note = msg
	return c, nil
}

// Peek reads a checkpoint without checking its signature, to name its size
// and signer before the right key is known. Never trust what it returns.
func Peek(msg []byte) (Checkpoint, error) {
	_, err := note.Open(msg, note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		return Checkpoint{}, fmt.Errorf("checkpoint: not a signed note: %v", err)
	}
	c, err := parseText(unverified.Note.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if sigs := unverified.Note.UnverifiedSigs; len(sigs) > 0 {
		c.KeyID = fmt.Sprintf("%08x", sigs[0].Hash)
	}
	c.Note = msg
	return c, nil
}

// UnknownKeyError: a checkpoint is signed, but by none of the known keys.
type UnknownKeyError struct{ KeyIDs []string }

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("checkpoint: signed by %s, not by a known key", strings.Join(e.KeyIDs, ", "))
}

func parseText(text string) (Checkpoint, error) {
	tree, err := tlog.ParseTree([]byte(text))
	if err != nil {
		return Checkpoint{}, errors.New("checkpoint: the text is not a tree description (go.sum database tree / size / root hash)")
	}
	lines := strings.Split(text, "\n")
	if len(lines) < 6 || lines[3] != LogLine || !strings.HasPrefix(lines[4], "time ") || lines[5] != "" {
		return Checkpoint{}, fmt.Errorf("checkpoint: the text does not name the %s and its time", LogLine)
	}
	at, err := time.Parse(time.RFC3339, strings.TrimPrefix(lines[4], "time "))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: time %q is not RFC 3339", strings.TrimPrefix(lines[4], "time "))
	}
	if text != Text(tree, at) {
		return Checkpoint{}, errors.New("checkpoint: the text is not in its one canonical form")
	}
	return Checkpoint{Size: tree.N, Root: tree.Hash, Time: at.UTC()}, nil
}
