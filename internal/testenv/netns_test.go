package testenv

import (
	"net"
	"strings"
	"testing"
	"time"
)

func TestNetnsVethAndDo(t *testing.T) {
	a := NewNetns(t, "ta")
	b := NewNetns(t, "tb")
	Veth(t, a, "eth-a", "10.231.0.1/24", b, "eth-b", "10.231.0.2/24")

	var pc net.PacketConn
	err := a.Do(func() error {
		var err error
		pc, err = net.ListenPacket("udp4", "10.231.0.1:0")
		return err
	})
	if err != nil {
		t.Fatalf("listen inside namespace: %v", err)
	}
	defer pc.Close()
	if _, err := net.InterfaceByName("eth-a"); err == nil {
		t.Errorf("eth-a is visible outside its namespace: Do leaked the thread's namespace")
	}

	err = b.Do(func() error {
		c, err := net.Dial("udp4", pc.LocalAddr().String())
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write([]byte("hello"))
		return err
	})
	if err != nil {
		t.Fatalf("send from the other namespace: %v", err)
	}
	buf := make([]byte, 64)
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatalf("read across veth: %v", err)
	}
	if got := strings.TrimSpace(string(buf[:n])); got != "hello" {
		t.Errorf("got %q, want hello", got)
	}
	if !strings.HasPrefix(from.String(), "10.231.0.2:") {
		t.Errorf("packet came from %v, want 10.231.0.2", from)
	}
}
