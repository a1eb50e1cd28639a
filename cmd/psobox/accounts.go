package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/psobox/psobox/appliance/privdrop"
	"github.com/psobox/psobox/gameserver/accounts"
	berrors "go.etcd.io/bbolt/errors"
)

const accountsUsage = `Usage: psobox [-config FILE] [-state-dir DIR] accounts VERB [flags]

Manages the licences of the game server's accounts database (accounts.db in
the state directory), for game.accounts = "registered". psobox must be
stopped: the running server holds the file.

  list [-json]       every licence, secrets masked
  add -kind K -serial S -access-key A [-password P]
                     registers a licence, prints its guild card number
  remove -kind K -serial S
  ban -kind K -serial S
  unban -kind K -serial S

Kinds: dcnte, dc, pc, gc, xb, bb. A GameCube serial may be given as the
10-digit number the console shows or as 8 hex digits; an Xbox licence is
its Xbox Live user ID (the serial) with no access key.
`

// lockWait is how long the tool waits for the database's file lock: a
// running psobox holds it for as long as it runs, so waiting longer helps
// nobody.
const lockWait = 500 * time.Millisecond

// accountsCmd is one parsed `psobox accounts` command line.
type accountsCmd struct {
	verb string
	lic  accounts.Licence
	json bool
}

func runAccounts(f flags, args []string, stdout io.Writer) error {
	c, err := parseAccounts(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	s, err := openAccounts(f, c.verb == "add")
	if err != nil {
		return err
	}
	return errors.Join(c.run(s, stdout), s.Close())
}

func parseAccounts(args []string, stdout io.Writer) (accountsCmd, error) {
	if len(args) == 0 {
		return accountsCmd{}, usageError{errors.New("accounts: missing verb: list, add, remove, ban or unban (psobox accounts -h)")}
	}
	if h := strings.TrimLeft(args[0], "-"); h == "h" || h == "help" {
		fmt.Fprint(stdout, accountsUsage)
		return accountsCmd{}, flag.ErrHelp
	}
	c := accountsCmd{verb: args[0]}
	fs := flag.NewFlagSet("accounts "+c.verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var kind string
	switch c.verb {
	case "list":
		fs.BoolVar(&c.json, "json", false, "print JSON instead of a table")
	case "add":
		fs.StringVar(&c.lic.AccessKey, "access-key", "", "the licence's access `key` (required except for xb)")
		fs.StringVar(&c.lic.Password, "password", "", "GameCube `password` (empty: any)")
		fallthrough
	case "remove", "ban", "unban":
		fs.StringVar(&kind, "kind", "", "licence `kind`: dcnte, dc, pc, gc, xb or bb")
		fs.StringVar(&c.lic.Serial, "serial", "", "`serial` number (xb: the Xbox Live user ID)")
	default:
		return c, usageError{fmt.Errorf("accounts: unknown verb %q: want list, add, remove, ban or unban", c.verb)}
	}
	if err := parseVerbFlags(fs, args[1:], stdout); err != nil || c.verb == "list" {
		return c, err
	}
	return c, c.setLicence(kind)
}

// parseVerbFlags parses a verb's flags; errors are usage errors.
func parseVerbFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "Usage: psobox [-config FILE] [-state-dir DIR] %s [flags]\n\nFlags:\n", fs.Name())
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return err
	case err != nil:
		return usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// setLicence checks the licence flags and writes the serial the way the
// console sends it.
func (c *accountsCmd) setLicence(kind string) error {
	if kind == "" || c.lic.Serial == "" {
		return usageError{fmt.Errorf("accounts %s: -kind and -serial are required", c.verb)}
	}
	k, err := accounts.ParseKind(kind)
	if err != nil {
		return usageError{err}
	}
	if c.verb == "add" && c.lic.AccessKey == "" && k != accounts.KindXB {
		return usageError{fmt.Errorf("accounts add: -access-key is required for %s licences", k)}
	}
	c.lic.Kind, c.lic.Serial = k, consoleSerial(k, c.lic.Serial)
	return nil
}

// consoleSerial turns a serial as printed into the form consoles send: a
// GameCube shows a 10-digit decimal number but sends it as 8 hex digits,
// and DC, PC and GameCube send their 8 hex digits in upper case.
func consoleSerial(k accounts.Kind, s string) string {
	s = strings.TrimSpace(s)
	if k != accounts.KindDC && k != accounts.KindPC && k != accounts.KindGC {
		return s
	}
	if n, err := strconv.ParseUint(s, 10, 32); k == accounts.KindGC && len(s) == 10 && err == nil {
		return fmt.Sprintf("%08X", n)
	}
	if _, err := strconv.ParseUint(s, 16, 32); err == nil && len(s) == 8 {
		return strings.ToUpper(s)
	}
	return s
}

func (c accountsCmd) run(s *accounts.Store, stdout io.Writer) error {
	l := c.lic
	var err error
	switch c.verb {
	case "list":
		return listLicences(s, c.json, stdout)
	case "add":
		if l, err = s.Add(l); err == nil {
			_, err = fmt.Fprintf(stdout, "added %s %s: guild card %d\n", l.Kind, l.Serial, l.GuildCard)
		}
		return err
	case "remove":
		err = s.Remove(l.Kind, l.Serial)
	default:
		err = s.SetBanned(l.Kind, l.Serial, c.verb == "ban")
	}
	if err == nil {
		_, err = fmt.Fprintf(stdout, "%s %s %s: done\n", c.verb, l.Kind, l.Serial)
	}
	return err
}

// openAccounts opens the accounts database of the state directory psobox
// itself would use. Only add creates it: elsewhere a missing file means a
// wrong state directory.
func openAccounts(f flags, create bool) (*accounts.Store, error) {
	cfg, err := loadConfig(f, readConfig)
	if err != nil {
		return nil, err
	}
	if err := pinStateDir(cfg); err != nil {
		return nil, err
	}
	dir := cfg.StateDir()
	path := filepath.Join(dir, accounts.FileName)
	if _, err := os.Stat(path); !create && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no accounts database at %s: is the state directory right (-state-dir, or state_dir in -config)? The game server or accounts add creates it", path)
	}
	s, err := accounts.OpenDir(dir, accounts.Options{LockTimeout: lockWait})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("accounts database %s is in use: psobox is running; stop it first (systemctl stop psobox) and try again", path)
	}
	if err != nil {
		return nil, err
	}
	return s, keepDirOwner(s.Path(), dir)
}

// keepDirOwner gives a database root just created to the owner of its
// state directory: the service user (systemd's DynamicUser, privileges.uid)
// could not open a root-owned 0600 file.
func keepDirOwner(path, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return privdrop.Own(path, int(st.Uid), int(st.Gid))
}
