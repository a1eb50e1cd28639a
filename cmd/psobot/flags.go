package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/psobox/psobox/gameserver/client"
	"github.com/psobox/psobox/gameserver/wire"
	"github.com/psobox/psobox/internal/version"
)

// consoleVersion is one value of -pso.
type consoleVersion struct {
	name       string
	version    wire.Version
	subVersion uint32 // 0: the version's default
	port       int    // where this console connects first
	about      string
}

// consoleVersions lists -pso values. Ports are the ones the retail clients
// use: the GC US port 9100 is shared with PC, which the server splits.
var consoleVersions = []consoleVersion{
	{"dcnte", wire.DCNTE, 0, 9000, "Dreamcast Network Trial Edition"},
	{"dcv1", wire.DCV1, 0, 9200, "Dreamcast v1"},
	{"dcv2", wire.DCV2, 0, 9200, "Dreamcast v2"},
	{"pc", wire.PCV2, 0, 9100, "PC (v2); 9100 is split, 9300 is PC only"},
	{"gc", wire.GCV3, 0, 9103, "GameCube Episode I&II (US v1.1)"},
	{"gcplus", wire.GCV3, client.SubVersionGCPlus, 9103, "GameCube Episode I&II Plus (US v1.2)"},
	{"ep3", wire.GCEp3, 0, 9103, "GameCube Episode III (US)"},
	{"xb", wire.XBV3, 0, 9500, "Xbox Episode I&II"},
}

func findConsole(name string) (consoleVersion, bool) {
	for _, cv := range consoleVersions {
		if cv.name == strings.ToLower(name) {
			return cv, true
		}
	}
	return consoleVersion{}, false
}

// options is the parsed command line.
type options struct {
	flags        *flag.FlagSet
	console      consoleVersion
	addr         string // host:port
	cfg          client.Config
	timeout      time.Duration
	listen       time.Duration // how long chat, mail and search wait for answers
	wait         time.Duration // how long each expect step of a scenario waits
	quiet        bool
	printVersion bool
	verb         string
	game         *gameFlags
	quest        *questFlags
	level        uint
	args         []string // the verb's arguments
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{flags: flag.NewFlagSet("psobot", flag.ContinueOnError)}
	fs := o.flags
	fs.SetOutput(io.Discard) // usage is printed once, below, with the verbs
	pso := fs.String("pso", "gc", "console `version` to imitate (see below)")
	server := fs.String("server", "127.0.0.1", "game server `host[:port]`; the port defaults to the version's")
	fs.StringVar(&o.cfg.Serial, "serial", "", "licence serial number (generated from -name if empty)")
	fs.StringVar(&o.cfg.AccessKey, "access-key", "", "licence access key (generated if empty)")
	fs.StringVar(&o.cfg.Password, "password", "", "GC account password (generated if empty)")
	fs.StringVar(&o.cfg.Name, "name", "psobot", "character name")
	class := fs.Uint("class", 0, "character class 0-11 (0 HUmar ... 8 FOnewearl; 9-11 GC and Xbox only)")
	section := fs.Uint("section", 0, "section ID 0-9")
	fs.UintVar(&o.level, "level", 1, "character level 1-200 (servers keep low levels out of harder games)")
	fs.StringVar(&o.cfg.Lang, "lang", "en", "console language: en, ja, de, fr, es")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up after this long")
	fs.DurationVar(&o.listen, "listen", 2*time.Second, "chat, mail, search: how long to wait for what others say or answer")
	fs.DurationVar(&o.wait, "wait", 10*time.Second, "scenario: how long each expect step waits")
	fs.BoolVar(&o.quiet, "q", false, "print only the result, not every step")
	fs.BoolVar(&o.printVersion, "version", false, "print psobot's version and exit")
	o.game = addGameFlags(fs)
	o.quest = addQuestFlags(fs, &o.cfg)
	if err := fs.Parse(args); err != nil {
		return nil, usageError(stderr, fs, err)
	}
	if o.printVersion {
		return o, nil
	}
	if err := o.finish(*pso, *server, *class, *section); err != nil {
		return nil, usageError(stderr, fs, err)
	}
	return o, nil
}

// finish checks what flag parsing cannot.
func (o *options) finish(pso, server string, class, section uint) error {
	var ok bool
	if o.console, ok = findConsole(pso); !ok {
		return fmt.Errorf("unknown -pso %q", pso)
	}
	if class > 11 || section > 9 || o.level < 1 || o.level > 200 {
		return fmt.Errorf("-class must be 0-11, -section 0-9 and -level 1-200")
	}
	o.cfg.Level = uint32(o.level)
	if o.timeout <= 0 || o.listen < 0 || o.wait <= 0 {
		return fmt.Errorf("-timeout and -wait must be positive, -listen not negative")
	}
	if err := o.game.check(); err != nil {
		return err
	}
	o.cfg.Version, o.cfg.SubVersion = o.console.version, o.console.subVersion
	o.cfg.Class, o.cfg.SectionID = uint8(class), uint8(section)
	var err error
	if o.addr, err = serverAddr(server, o.console.port); err != nil {
		return err
	}
	if o.flags.NArg() == 0 {
		return errors.New("missing verb")
	}
	o.verb, o.args = o.flags.Arg(0), o.flags.Args()[1:]
	if v, ok := findVerb(o.verb); ok {
		return v.checkArgs(o.args)
	}
	return nil
}

// serverAddr adds the default port to a host given without one.
func serverAddr(server string, port int) (string, error) {
	if server == "" {
		return "", errors.New("-server is empty")
	}
	if _, _, err := net.SplitHostPort(server); err == nil {
		return server, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(server, "["), "]")
	bracketed := strings.HasPrefix(server, "[")
	if bracketed != strings.HasSuffix(server, "]") || strings.ContainsAny(host, "[]") {
		return "", fmt.Errorf("bad -server %q", server)
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

func usageError(stderr io.Writer, fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		usage(stderr, fs)
		return errUsage
	}
	fmt.Fprintf(stderr, "psobot: %v\n\n", err)
	usage(stderr, fs)
	return errUsage
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: psobot [flags] verb [arguments]")
	fmt.Fprintln(w, "\nverbs:")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %-17s %s\n", strings.TrimSpace(v.name+" "+v.args), v.summary)
	}
	fmt.Fprintln(w, "\nconsole versions (-pso), with the port they connect to first:")
	for _, cv := range consoleVersions {
		fmt.Fprintf(w, "  %-8s %-5d %s\n", cv.name, cv.port, cv.about)
	}
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// toolVersion is psobot's own version: the one the Makefile stamps into
// internal/version, as psobox prints it.
func toolVersion() string { return "psobot " + version.String() }
