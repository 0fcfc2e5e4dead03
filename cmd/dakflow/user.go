package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/web"
)

// cmdUser runs `user add`: one account, its password read from standard
// input so that it never shows in the process list or the shell history.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("user: want `user add …`: %w", errUsage)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	cfg := newConfig(fs)
	var in web.UserInput
	fs.StringVar(&in.Username, "username", "", "login name")
	fs.StringVar(&in.Role, "role", "", "pemda, verifier, approver, treasury, auditor or admin")
	fs.StringVar(&in.RegionCode, "region", "", "region code (pemda only), e.g. 18.71")
	fs.StringVar(&in.FullName, "full-name", "", "full name with titles, as documents print it")
	fs.StringVar(&in.NIP, "nip", "", "NIP, printed under the signature")
	fs.StringVar(&in.Position, "position", "", "position (jabatan), printed above the signature")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !*passwordStdin {
		return dak.Errorf(dak.ErrInvalid, "user add: --password-stdin is required (passwords never go on the command line)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	in.Password = strings.TrimRight(line, "\r\n")
	nu, err := in.Validate()
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.store.CreateUser(ctx, nu)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
	return nil
}
