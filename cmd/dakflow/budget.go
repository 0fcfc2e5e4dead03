package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// cmdBudget runs `budget set`: a fiscal year's national ceiling (pagu),
// its menus' ceilings inside it and the submission deadline.
func cmdBudget(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "set" {
		return fmt.Errorf("budget: want `budget set --year Y --ceiling RUPIAH [--menu MENU=RUPIAH]`: %w", errUsage)
	}
	fs := flag.NewFlagSet("budget set", flag.ContinueOnError)
	cfg := newConfig(fs)
	year := fs.Int("year", 0, "fiscal year (tahun anggaran)")
	ceiling := fs.String("ceiling", "", "national ceiling (pagu) in whole rupiah")
	deadline := fs.String("deadline", "", "submission deadline YYYY-MM-DD (WIB, end of day)")
	reason := fs.String("reason", "", "why a ceiling or the deadline changes (required to change an existing year)")
	basis := fs.String("legal-basis", "", "the decree or rule behind the change (required to change an existing year)")
	var errs dak.Fields
	menus := map[dak.Menu]dak.Money{}
	fs.Func("menu", "a menu's ceiling inside the national one, MENU=RUPIAH (repeatable; 0 removes it)", func(v string) error {
		name, amount, ok := strings.Cut(v, "=")
		m, err := dak.ParseMoney(strings.ReplaceAll(amount, ".", ""))
		if !ok || err != nil || (dak.Menu(name) != dak.MenuPembangunan && dak.Menu(name) != dak.MenuRevitalisasi) {
			return fmt.Errorf("want pembangunan=RUPIAH or revitalisasi=RUPIAH")
		}
		menus[dak.Menu(name)] = m
		return nil
	})
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *year < 2020 || *year > 2100 {
		errs.Add("year", "tahun anggaran 2020–2100")
	}
	amount, err := dak.ParseMoney(strings.ReplaceAll(*ceiling, ".", ""))
	if err != nil {
		errs.Add("ceiling", "%v", err)
	}
	var end *store.Deadline
	if *deadline != "" {
		d, err := dak.ParseDate(*deadline)
		if err != nil {
			errs.Add("deadline", "tanggal harus berformat YYYY-MM-DD")
		}
		end = store.EndOfDay(d)
	}
	if err := errs.Err("budget set"); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer a.Close()
	// Through SetYear, as the API and the admin's page: a changed submission
	// deadline is a calendar change with its record (calendar_changes); the
	// rest of the year's calendar stays as it is.
	ch := store.YearChange{Budget: store.Budget{Year: *year, Ceiling: amount, Deadline: end, Menus: menus, ChangeReason: *reason, LegalBasis: *basis}}
	if old, err := a.store.FiscalYear(ctx, *year); err == nil {
		ch.Calendar = old.Calendar
	} else if !errors.Is(err, dak.ErrNotFound) {
		return err
	}
	fy, _, err := a.store.SetYear(ctx, ch)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tahun anggaran %d: pagu %s, teralokasi %s, sisa %s\n", fy.Year, fy.Ceiling, fy.Committed, fy.Left())
	for _, m := range []dak.Menu{dak.MenuPembangunan, dak.MenuRevitalisasi} {
		if mc, ok := fy.Menus[m]; ok {
			fmt.Fprintf(stdout, "  menu %s: pagu %s, teralokasi %s, sisa %s\n", m, mc.Ceiling, mc.Committed, mc.Left())
		}
	}
	return nil
}
