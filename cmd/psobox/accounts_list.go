package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/psobox/psobox/gameserver/accounts"
)

// licenceRow is how `psobox accounts list` shows a licence: the secrets
// only say whether one is set, so a listing can be shared or pasted safely.
type licenceRow struct {
	Kind      string    `json:"kind"`
	Serial    string    `json:"serial"`
	AccessKey string    `json:"access_key"`
	Password  string    `json:"password"`
	GuildCard uint32    `json:"guild_card"`
	Created   time.Time `json:"created"`
	Banned    bool      `json:"banned"`
}

func rowOf(l accounts.Licence) licenceRow {
	return licenceRow{Kind: l.Kind.String(), Serial: l.Serial, AccessKey: mask(l.AccessKey),
		Password: mask(l.Password), GuildCard: l.GuildCard, Created: l.Created.UTC(), Banned: l.Banned}
}

// mask hides a secret: "****" when set, "" when not.
func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "****"
}

func listLicences(s *accounts.Store, asJSON bool, stdout io.Writer) error {
	ls, err := s.List()
	if err != nil {
		return err
	}
	rows := make([]licenceRow, 0, len(ls))
	for _, l := range ls {
		rows = append(rows, rowOf(l))
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return printTable(rows, stdout)
}

func printTable(rows []licenceRow, stdout io.Writer) error {
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KIND\tSERIAL\tACCESS KEY\tPASSWORD\tGUILD CARD\tCREATED\tBANNED")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.Kind, r.Serial, orDash(r.AccessKey),
			orDash(r.Password), r.GuildCard, r.Created.Format("2006-01-02 15:04 MST"), yesNo(r.Banned))
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
