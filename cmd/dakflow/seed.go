package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// DemoPassword is the password of every demo account (README.md lists them).
const DemoPassword = "dakflow-demo-2026"

// demoUsers are accounts for every role; pemda accounts for the real
// sentra named in public reports (PRODUCT.md §8). Everyone who signs has a
// position and a NIP (birth date, month of appointment, sex, sequence);
// penetap1 and penetap2 are the Direktur Jenderal and the Sekretaris of the
// embedded templates/documents/signers.yaml.
var demoUsers = []dak.User{
	{Username: "admin", FullName: "Administrator dakflow", Role: dak.RoleAdmin},
	{Username: "verifikator1", FullName: "Rina Marlina, S.T.", NIP: "198703122010012004", Position: "Verifikator Direktorat Jenderal Industri Kecil, Menengah, dan Aneka", Role: dak.RoleVerifier},
	{Username: "verifikator2", FullName: "Agus Salim, S.E.", NIP: "198911052014021001", Position: "Verifikator Direktorat Jenderal Industri Kecil, Menengah, dan Aneka", Role: dak.RoleVerifier},
	{Username: "penetap1", FullName: "Ir. Budi Santoso, M.T.", NIP: "196905141995031002", Position: "Direktur Jenderal Industri Kecil, Menengah, dan Aneka", Role: dak.RoleApprover},
	{Username: "penetap2", FullName: "Dra. Sri Wahyuni, M.M.", NIP: "197102201998032001", Position: "Sekretaris Direktorat Jenderal Industri Kecil, Menengah, dan Aneka", Role: dak.RoleApprover},
	{Username: "perbendaharaan1", FullName: "Dedi Kurniawan, S.E., M.Ak.", NIP: "198005172006041003", Position: "Petugas Pencatat Penyaluran DAK Fisik Direktorat Jenderal Industri Kecil, Menengah, dan Aneka", Role: dak.RoleTreasury},
	{Username: "auditor1", FullName: "Hendra Wijaya, Ak.", NIP: "197808092003121002", Position: "Auditor Inspektorat Jenderal", Role: dak.RoleAuditor},
	{Username: "pemda.bandarlampung", FullName: "Yulia Safitri, S.T.", NIP: "198201152008012003", Position: "Kepala Dinas Perindustrian Kota Bandar Lampung", Role: dak.RolePemda, RegionCode: "18.71"},
	{Username: "pemda.konaweselatan", FullName: "La Ode Harun, S.Sos.", NIP: "197408172000031005", Position: "Kepala Dinas Perindustrian Kabupaten Konawe Selatan", Role: dak.RolePemda, RegionCode: "74.05"},
	{Username: "pemda.makassar", FullName: "Andi Nurhaedah, S.E.", NIP: "197911232005022002", Position: "Kepala Dinas Perindustrian Kota Makassar", Role: dak.RolePemda, RegionCode: "73.71"},
	{Username: "pemda.dogiyai", FullName: "Yohanes Pigai, S.IP.", NIP: "197605102003121004", Position: "Kepala Dinas Perindustrian Kabupaten Dogiyai", Role: dak.RolePemda, RegionCode: "94.06"},
	{Username: "pemda.bangkabarat", FullName: "Rahmat Hidayat, S.T.", NIP: "198002142006041002", Position: "Kepala Dinas Perindustrian Kabupaten Bangka Barat", Role: dak.RolePemda, RegionCode: "19.05"},
	{Username: "pemda.pasuruan", FullName: "Siti Aminah, S.E.", NIP: "197712052002122001", Position: "Kepala Dinas Perindustrian Kota Pasuruan", Role: dak.RolePemda, RegionCode: "35.75"},
	{Username: "pemda.konawe", FullName: "Muhammad Arsyad, S.T.", NIP: "197303082001121003", Position: "Kepala Dinas Perindustrian Kabupaten Konawe", Role: dak.RolePemda, RegionCode: "74.02"},
}

// seedPasswordCost is the bcrypt work factor of the demo accounts'
// passwords: below the store's default, so that the demo loads quickly.
const seedPasswordCost = 10

func cmdSeed(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "demo" {
		return fmt.Errorf("seed: want `seed demo`: %w", errUsage)
	}
	fs := flag.NewFlagSet("seed demo", flag.ContinueOnError)
	cfg := newConfig(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if passwordCost == 0 {
		a.store.SetPasswordCost(seedPasswordCost)
	}
	users := map[string]dak.User{}
	for _, u := range demoUsers {
		created, err := a.store.CreateUser(ctx, store.NewUser{User: u, Password: DemoPassword})
		if errors.Is(err, dak.ErrConflict) && len(users) == 0 {
			fmt.Fprintf(stdout, "demo data is already loaded (user %s exists); nothing to do\n", u.Username)
			return nil
		}
		if err != nil {
			return err
		}
		users[u.Username] = created
	}
	year := time.Now().In(dak.WIB).Year() + 1
	deadline := store.EndOfDay(time.Date(year-1, 12, 31, 0, 0, 0, 0, dak.WIB))
	if _, err := a.store.SetFiscalYear(ctx, year, 395_000_000_000, deadline); err != nil {
		return err
	}
	s := &seeder{app: a, users: users, year: year}
	// The generated registry first: its histories are dated before the
	// demo's assessments, whose berita acara state the coverage they find
	// (seed_sentra.go).
	generated, err := s.registry(ctx)
	if err != nil {
		return err
	}
	n, err := s.proposals(ctx)
	if err != nil {
		return err
	}
	past, err := s.pastCompletions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data loaded: %d users (password %q), fiscal year %d, %d proposals in every state "+
		"and %d completed in earlier years, %d more sentra in the registry\n",
		len(demoUsers), DemoPassword, year, n, past, generated)
	return nil
}
