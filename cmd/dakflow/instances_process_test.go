package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The server processes of the tests that run dakflow as production does
// (TestThreeInstances, TestMemoryUnderAbuse): this test binary re-executed
// as TestInstanceProcess, which calls run(ctx, ["serve", …]) as main does,
// so that a test can kill one with SIGKILL or read its memory in /proc.

// instanceArgsEnv carries the serve arguments to a child process.
const instanceArgsEnv = "DAKFLOW_INSTANCE_ARGS"

// TestInstanceProcess is not a test: it is the body of one child server
// process of TestThreeInstances. It serves until SIGTERM (or dies by
// SIGKILL) and prints "LISTEN addr" once it accepts connections.
func TestInstanceProcess(t *testing.T) {
	args := os.Getenv(instanceArgsEnv)
	if args == "" {
		t.Skip("the server process of TestThreeInstances, run only by it")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	listening := func(addr string) { fmt.Printf("LISTEN %s\n", addr) }
	if err := run(ctx, strings.Split(args, "\x1f"), nil, os.Stdout, os.Stderr, listening); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// instance is one child server process.
type instance struct {
	cmd  *exec.Cmd
	url  string
	log  string
	done chan struct{}
}

// startInstance starts a server process and waits until it listens.
func startInstance(t *testing.T, n int, args []string, logDir string) *instance {
	t.Helper()
	logPath := filepath.Join(logDir, fmt.Sprintf("instance-%d-%d.log", n, time.Now().UnixNano()))
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInstanceProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), instanceArgsEnv+"="+strings.Join(args, "\x1f"))
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start instance %d: %v", n, err)
	}
	in := &instance{cmd: cmd, log: logPath, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "LISTEN "); ok {
				addrc <- addr
			}
		}
		_ = cmd.Wait()
		logFile.Close()
		close(in.done)
	}()
	select {
	case addr := <-addrc:
		in.url = "http://" + addr
	case <-in.done:
		t.Fatalf("instance %d exited before listening:\n%s", n, tail(logPath))
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("instance %d did not listen within 60s:\n%s", n, tail(logPath))
	}
	return in
}

// stop ends the process with SIGTERM (SIGKILL after 15 s).
func (in *instance) stop() {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(15 * time.Second):
		_ = in.cmd.Process.Kill()
		<-in.done
	}
}

// kill ends the process with SIGKILL, as the OOM killer or a power cut would.
func (in *instance) kill() {
	_ = in.cmd.Process.Kill()
	<-in.done
}

// longRun is the duration of a load test: short, or with DAKFLOW_LONG=1
// long (DAKFLOW_LONG_DURATION when set); long reports the latter.
func longRun(short, long time.Duration) (time.Duration, bool) {
	if os.Getenv("DAKFLOW_LONG") != "1" {
		return short, false
	}
	if d, err := time.ParseDuration(os.Getenv("DAKFLOW_LONG_DURATION")); err == nil && d > 0 {
		return d, true
	}
	return long, true
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
