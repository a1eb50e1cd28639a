package wire

import (
	"bytes"
	"testing"
)

// The read buffer grows with the commands read, the buffers can be released
// between commands, and reading and writing carry on correctly afterwards.
func TestFramerBuffersGrowAndRelease(t *testing.T) {
	for _, v := range []Version{DCV1, GCV3, BBV4} {
		w, r, _ := pipe(v, true)
		sizes := []int{8, 0x2A74, 12, MaxCommandSize - v.HeaderFormat().Len() - 8, 4}
		for i, n := range sizes {
			p := bytes.Repeat([]byte{byte(i + 1)}, n)
			if err := w.WriteCommand(0x61, uint32(i), p); err != nil {
				t.Fatalf("%s: write 0x%X: %v", v, n, err)
			}
			w.ReleaseWriteBuffer(1024)
			cmd, err := r.ReadCommand()
			if err != nil {
				t.Fatalf("%s: read 0x%X: %v", v, n, err)
			}
			if !bytes.Equal(cmd.Payload[:n], p) || cmd.Header.Flag != uint32(i) {
				t.Fatalf("%s: command %d came back wrong", v, i)
			}
			if len(r.rbuf) > MaxCommandSize+16 || len(r.rbuf) < n {
				t.Errorf("%s: read buffer %d bytes after a 0x%X-byte command", v, len(r.rbuf), n)
			}
			r.ReleaseReadBuffer(1024)
			if len(r.rbuf) > 1024 || cap(w.pending) > 1024 {
				t.Errorf("%s: buffers not released: read %d, write %d", v, len(r.rbuf), cap(w.pending))
			}
		}
	}
}
