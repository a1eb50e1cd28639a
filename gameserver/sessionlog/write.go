package sessionlog

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// Writer writes events in the format Read parses. It is not safe for
// concurrent use; callers serialise (a capture file has one writer).
type Writer struct {
	w   *bufio.Writer
	pid int
	err error
}

// NewWriter returns a Writer; pid is printed in each line like the reference
// server's logs do (any number; psobox uses its process id).
func NewWriter(w io.Writer, pid int) *Writer {
	return &Writer{w: bufio.NewWriter(w), pid: pid}
}

// Write appends one event. Errors are sticky and also returned by Flush.
func (w *Writer) Write(ev Event) error {
	if w.err != nil {
		return w.err
	}
	switch ev.Kind {
	case Connect:
		w.stamp(ev.Time, "GameServer")
		w.printf("Client connected: %s via %s\n", ev.Client, ev.Listener)
	case FromClient, FromServer:
		w.command(ev)
	case Disconnect:
		w.stamp(ev.Time, ev.Client)
		w.printf("Running cleanup tasks for %s\n", ev.Client)
	case Note:
		w.note(ev)
	case Directive:
		w.directive(ev)
	default:
		w.err = fmt.Errorf("sessionlog: cannot write event kind %d", ev.Kind)
	}
	return w.err
}

// Flush writes buffered lines to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}

func (w *Writer) command(ev Event) {
	verb := "Sending to"
	if ev.Kind == FromClient {
		verb = "Received from"
	}
	peer := ev.Peer
	if peer == "" {
		peer = "-"
	}
	w.stamp(ev.Time, "Commands")
	w.printf("%s %s @ %s (version=%s command=%02X flag=%02X)\n", verb, ev.Client, peer, ev.Version, ev.Command, ev.Flag)
	w.hexRows(ev.Data)
}

// note writes "[Note] C-1 text", or "[Note] text" for a note about the
// console rather than one connection (DHCP and DNS events in a capture).
func (w *Writer) note(ev Event) {
	w.stamp(ev.Time, "Note")
	if ev.Client != "" {
		w.printf("%s ", ev.Client)
	}
	w.printf("%s\n", oneLine(ev.Text))
}

// oneLine keeps a note on its line: control characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, s)
}

func (w *Writer) directive(ev Event) {
	if ev.Client != "" {
		w.printf("### on %s %s\n", ev.Client, ev.Text)
		return
	}
	w.printf("### %s\n", ev.Text)
}

func (w *Writer) stamp(t time.Time, tag string) {
	w.printf("I %d %s - [%s] ", w.pid, t.Format("2006-01-02 15:04:05"), tag)
}

// hexRows prints 16 bytes a row with an ASCII column, like the reference logs.
func (w *Writer) hexRows(data []byte) {
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		w.printf("%04X |", off)
		for _, b := range row {
			w.printf(" %02X", b)
		}
		w.printf("%*s | ", 3*(16-len(row)), "")
		for _, b := range row {
			if b < 0x20 || b > 0x7E {
				b = ' '
			}
			w.w.WriteByte(b)
		}
		w.printf("\n")
	}
}

func (w *Writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}
