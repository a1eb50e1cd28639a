package load

import (
	"context"
	"net"
	"strconv"
	"sync"
	"time"
)

// runner is one load run.
type runner struct {
	o          Options
	base       time.Time // the load clock's origin; times are ns since it
	st         stats
	windowOpen chan struct{} // closed when the measurement starts
}

// Run runs the load and reports what it measured. Failures of bots are
// counted in the report; Run itself fails only on options it cannot use.
// Cancelling ctx ends the run early, still with a report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &runner{o: o, windowOpen: make(chan struct{})}
	r.st.init()
	r.st.errs.log = o.Logger
	return r.run(ctx), nil
}

func (r *runner) now() int64 { return int64(time.Since(r.base)) }

func (r *runner) addr(c Console) string {
	return net.JoinHostPort(r.o.Host, strconv.Itoa(c.Port))
}

func (r *runner) run(ctx context.Context) *Report {
	rep := newReport(&r.o)
	rep.Status.Before = r.sample(ctx)
	r.base = time.Now()
	stop := make(chan struct{})
	var setup, done sync.WaitGroup
	bots := make([]*bot, r.o.Clients)
	for i := range bots {
		bots[i] = &bot{r: r, i: i, con: r.o.console(i), slow: r.o.slow(i), probe: make([]byte, r.o.RelayBytes)}
		setup.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			r.runBot(ctx, bots[i], &setup, stop)
		}()
	}
	setup.Wait() // every bot is seated or failed
	rep.SetupTime = time.Since(r.base)
	r.o.Logger.Info("load: bots set up", "logins", r.st.logins.Load(), "in lobbies", r.st.inLobby.Load(),
		"in games", r.st.inGame.Load(), "after", rep.SetupTime.Round(time.Millisecond))
	r.measure(ctx, rep)
	close(stop)
	done.Wait()
	r.o.Logger.Info("load: bots left; settling", "for", r.o.Settle)
	select {
	case <-time.After(r.o.Settle):
	case <-ctx.Done():
	}
	rep.Status.After = r.sample(context.WithoutCancel(ctx))
	rep.Wall = time.Since(r.base)
	rep.fill(&r.st)
	return rep
}

// runBot sets one bot up, signals setup, then runs its traffic until stop.
func (r *runner) runBot(ctx context.Context, b *bot, setup *sync.WaitGroup, stop <-chan struct{}) {
	start := r.base.Add(time.Duration(int64(r.o.Ramp) * int64(b.i) / int64(r.o.Clients)))
	ok := b.setUp(ctx, start)
	setup.Done()
	if !ok {
		return
	}
	defer b.close()
	if b.slow {
		sent := make(chan struct{})
		go func() { defer close(sent); b.traffic(ctx, stop) }()
		b.slowPhase(ctx, r.windowOpen, stop)
		<-sent
		return
	}
	b.traffic(ctx, stop)
}

// measure opens the measurement window for the run's duration, sampling
// the server's status and the CPU time used on both sides.
func (r *runner) measure(ctx context.Context, rep *Report) {
	serverCPU0, loadCPU0 := r.serverCPU(), loadCPU()
	t0 := time.Now()
	r.st.windowStart.Store(r.now())
	r.st.windowEnd.Store(r.now() + int64(r.o.Duration))
	close(r.windowOpen)
	rep.Status.Peak = r.samplePeak(ctx, r.o.Duration)
	rep.Status.Loaded = r.sample(ctx)
	rep.Measured = time.Since(t0)
	r.st.windowEnd.Store(min(r.st.windowEnd.Load(), r.now()))
	if serverCPU0 >= 0 {
		rep.ServerCPU = r.serverCPU() - serverCPU0
	}
	rep.LoadCPU = loadCPU() - loadCPU0
}
