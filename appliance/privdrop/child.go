package privdrop

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// ChildEnv is set in the child's environment to the descriptor its
// configuration arrives on.
const ChildEnv = "PSOBOX_PRIVDROP_CHILD"

// configFD is the child's descriptor for the configuration: the first of
// exec.Cmd.ExtraFiles.
const configFD = 3

// Options say how to start the child.
type Options struct {
	UID, GID uint32
	// Caps are the ambient capabilities the child keeps; it has no others.
	Caps []Cap
	// Config is handed to the child, which reads it with Inherited.
	Config []byte
	// Path is the program; "" means this process's own executable.
	Path string
	// Args are the arguments after the program name.
	Args []string
	// Env is the child's environment without ChildEnv; nil means this
	// process's.
	Env            []string
	Stdout, Stderr io.Writer // nil means this process's
	// DeathSignal is sent to the child if the parent dies first, so that
	// a restarted psobox finds its ports free. 0 means SIGTERM.
	DeathSignal syscall.Signal
}

// Child is a started child process.
type Child struct {
	proc *os.Process
	done chan struct{}
	err  error // set before done is closed
}

// Start starts the child and returns once it runs (or failed to start).
func Start(o Options) (*Child, error) {
	cmd, closeConfig, err := o.command()
	if err != nil {
		return nil, err
	}
	defer closeConfig()
	c := &Child{done: make(chan struct{})}
	started := make(chan error, 1)
	go c.run(cmd, started)
	if err := <-started; err != nil {
		return nil, err
	}
	return c, nil
}

// run starts and waits for the child on a thread of its own, which the
// runtime discards afterwards (it is never unlocked): no_new_privs is set
// on this thread only, and the kernel sends the death signal when the
// thread that started the child ends, so it must live as long as the
// child.
func (c *Child) run(cmd *exec.Cmd, started chan<- error) {
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		started <- fmt.Errorf("set no_new_privs: %w", err)
		return
	}
	if err := cmd.Start(); err != nil {
		started <- fmt.Errorf("start the unprivileged child: %w", err)
		return
	}
	c.proc = cmd.Process
	started <- nil
	c.err = cmd.Wait()
	close(c.done)
}

func (o Options) command() (*exec.Cmd, func(), error) {
	config, err := memFile("psobox-config", o.Config)
	if err != nil {
		return nil, nil, err
	}
	path := o.Path
	if path == "" {
		path = "/proc/self/exe" // the running binary, even if replaced on disk since
	}
	cmd := &exec.Cmd{
		Path:       path,
		Args:       append([]string{os.Args[0]}, o.Args...),
		Env:        append(orEnviron(o.Env), ChildEnv+"="+strconv.Itoa(configFD)),
		Stdout:     orWriter(o.Stdout, os.Stdout),
		Stderr:     orWriter(o.Stderr, os.Stderr),
		ExtraFiles: []*os.File{config},
		SysProcAttr: &syscall.SysProcAttr{
			// Groups is empty, so the supplementary groups are cleared too.
			Credential:  &syscall.Credential{Uid: o.UID, Gid: o.GID, Groups: []uint32{}},
			AmbientCaps: capList(o.Caps),
			Pdeathsig:   orSignal(o.DeathSignal, syscall.SIGTERM),
		},
	}
	return cmd, func() { config.Close() }, nil
}

// memFile is an anonymous in-memory file holding data, positioned at its
// start.
func memFile(name string, data []byte) (*os.File, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("memfd for the child's config: %w", err)
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, fmt.Errorf("write the child's config: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func capList(caps []Cap) []uintptr {
	out := make([]uintptr, len(caps))
	for i, c := range caps {
		out[i] = uintptr(c)
	}
	return out
}

func orEnviron(env []string) []string {
	if env == nil {
		return os.Environ()
	}
	return env
}

func orWriter(w, def io.Writer) io.Writer {
	if w == nil {
		return def
	}
	return w
}

func orSignal(s, def syscall.Signal) syscall.Signal {
	if s == 0 {
		return def
	}
	return s
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.proc.Pid }

// Signal sends sig to the child; after it exited, that is not an error.
func (c *Child) Signal(sig os.Signal) error {
	err := c.proc.Signal(sig)
	if errors.Is(err, os.ErrProcessDone) {
		return nil
	}
	return err
}

// Done is closed when the child has exited.
func (c *Child) Done() <-chan struct{} { return c.done }

// Err is how the child ended, once Done is closed: nil for exit status 0,
// else an *exec.ExitError.
func (c *Child) Err() error {
	<-c.done
	return c.err
}

// Inherited returns the configuration the parent handed over, when this
// process is such a child (ok is false otherwise). It reads it once.
func Inherited(h Host) (config []byte, ok bool, err error) {
	v, ok := h.lookupEnv(ChildEnv)
	if !ok {
		return nil, false, nil
	}
	fd, err := strconv.Atoi(v)
	if err != nil || fd < configFD {
		return nil, true, fmt.Errorf("%s=%q: not a descriptor", ChildEnv, v)
	}
	f := os.NewFile(uintptr(fd), "config from the parent")
	defer f.Close()
	config, err = io.ReadAll(f)
	if err != nil {
		return nil, true, fmt.Errorf("read the config from the parent: %w", err)
	}
	return config, true, nil
}
