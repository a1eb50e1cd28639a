package image

import (
	"bytes"
	"io"
)

// redactor passes monogok's output on with the web interface password
// replaced: monogok prints a login URL containing it, and a release build's
// log is public. It writes whole lines, so that a password split across two
// reads of the pipe is still caught; Close writes what is left.
type redactor struct {
	w      io.Writer
	secret []byte
	buf    []byte
}

func newRedactor(w io.Writer, secret string) *redactor {
	if w == nil {
		w = io.Discard
	}
	return &redactor{w: w, secret: []byte(secret)}
}

func (r *redactor) Write(p []byte) (int, error) {
	r.buf = append(r.buf, p...)
	end := bytes.LastIndexByte(r.buf, '\n')
	if end < 0 {
		return len(p), nil
	}
	if err := r.emit(r.buf[:end+1]); err != nil {
		return 0, err
	}
	r.buf = append(r.buf[:0], r.buf[end+1:]...)
	return len(p), nil
}

func (r *redactor) emit(b []byte) error {
	if len(r.secret) > 0 {
		b = bytes.ReplaceAll(b, r.secret, []byte("<password>"))
	}
	_, err := r.w.Write(b)
	return err
}

// Close writes a last unterminated line.
func (r *redactor) Close() error {
	if len(r.buf) == 0 {
		return nil
	}
	err := r.emit(r.buf)
	r.buf = nil
	return err
}
