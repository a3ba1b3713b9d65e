// Command loadbench measures the mock under load on loopback with vegeta: throughput and p50/p99
// latency of the operations clients use most, each next to a bare net/http JSON handler measured
// in the same run on the same machine that writes the bytes of the mock's answer and does nothing
// else (so the ratio is the mock's own work: routing, validation, authentication, the domain,
// encoding). The ratio (mock throughput / bare throughput) is the
// figure to compare between runs; absolute numbers depend on the machine.
//
//	go run ./cmd/loadbench -duration 3s -workers 8
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/globus-conformance/kit/mockserver"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

const (
	alice      = "0a11ce00-0000-4000-8000-000000000001"
	simpleFlow = `{"title": "Load", "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}`
)

func main() {
	duration := flag.Duration("duration", 3*time.Second, "how long each operation is attacked")
	workers := flag.Uint64("workers", 8, "concurrent connections of the load generator")
	only := flag.String("only", "", "attack only the operations whose name contains this text")
	rounds := flag.Int("rounds", 3, "alternating rounds of mock and baseline per operation")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (mock, baseline and load generator) to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*duration, *workers, *only, max(1, *rounds)); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// serve starts a handler on a free loopback port.
func serve(ctx context.Context, s *mockserver.Server) (string, error) {
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a string) { ready <- a }) }()
	select {
	case a := <-ready:
		return "http://" + a, nil
	case err := <-errc:
		return "", err
	}
}

// bareServer answers every request with the bytes it holds after reading the request body: an
// HTTP JSON handler that does no work at all.
type bareServer struct {
	mu  sync.RWMutex
	doc []byte
}

func (b *bareServer) set(doc []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.doc = doc
}

func (b *bareServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	b.mu.RLock()
	doc := b.doc
	b.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
}

func serveBare(ctx context.Context, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	return "http://" + ln.Addr().String(), nil
}

func call(base, method, path, body string) (map[string]any, error) {
	req, _ := http.NewRequest(method, base+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer tok-alice")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	if resp.StatusCode >= 300 {
		return doc, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return doc, nil
}

type op struct {
	name   string
	method string
	path   string
	body   func() string // nil: no body
}

func run(duration time.Duration, workers uint64, only string, rounds int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := mockserver.New(mockserver.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	mock, err := serve(ctx, srv)
	if err != nil {
		return err
	}
	bareDoc := &bareServer{}
	bare, err := serveBare(ctx, bareDoc)
	if err != nil {
		return err
	}
	var flowID string
	for range 25 {
		doc, err := call(mock, "POST", "/flows", simpleFlow)
		if err != nil {
			return err
		}
		flowID = fmt.Sprint(doc["id"])
	}
	// Collections enough for every rule the run may create (a collection holds 1000 rules).
	var collections []string
	for i := range 200 {
		id := fmt.Sprintf("10ad0000-0000-4000-8000-%012d", i)
		body := fmt.Sprintf(`{"id": %q, "display_name": "load %d", "entity_type": "GCSv5_guest_collection", "owner_id": %q,
			"host_endpoint_id": "c011ec70-0000-4000-8000-000000000302"}`, id, i, alice)
		if _, err := call(mock, "POST", "/_mock/collections", body); err != nil {
			return err
		}
		collections = append(collections, id)
	}
	for i := range 20 {
		body := fmt.Sprintf(`{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/seed/%d/", "permissions": "r"}`, i)
		if _, err := call(mock, "POST", "/v0.10/endpoint/"+collections[0]+"/access", body); err != nil {
			return err
		}
	}
	var ruleN atomic.Int64
	ops := []op{
		{"GET /flows/{id}", "GET", "/flows/" + flowID, nil},
		{"GET /flows (page of 20)", "GET", "/flows?per_page=20", nil},
		{"POST /flows", "POST", "/flows", func() string { return simpleFlow }},
		{"POST /flows/{id}/run", "POST", "/flows/" + flowID + "/run", func() string { return `{"body": {"x": 1}}` }},
		{"GET .../access_list", "GET", "/v0.10/endpoint/" + collections[0] + "/access_list", nil},
		{"POST .../access", "POST", "", func() string {
			n := ruleN.Add(1)
			return fmt.Sprintf(`{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/load/%d/", "permissions": "r"}`, n)
		}},
	}
	fmt.Printf("loopback load: %s per operation and target in %d alternating rounds, %d connections, %d CPUs (%s/%s)\n\n",
		duration, rounds, workers, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("%-26s %12s %9s %9s   %12s %9s %9s   %6s\n", "operation", "mock req/s", "p50", "p99", "bare req/s", "p50", "p99", "ratio")
	for _, o := range ops {
		if !strings.Contains(o.name, only) {
			continue
		}
		// The baseline writes the same answer as the mock.
		path := o.path
		if path == "" {
			path = "/v0.10/endpoint/" + collections[len(collections)-1] + "/access"
		}
		body := ""
		if o.body != nil {
			body = o.body()
		}
		sample, err := call(mock, o.method, path, body)
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(sample)
		bareDoc.set(raw)
		// The two targets take turns, each going first in every other round, so that a drift of
		// the machine (another process, the mock's growing heap) falls on both.
		var mockL, bareL load
		for round := range rounds {
			turns := []func() error{
				func() error {
					return mockL.attack(mock, o, duration/time.Duration(rounds), workers, collections, &ruleN)
				},
				func() error { return bareL.attack(bare, o, duration/time.Duration(rounds), workers, nil, nil) },
			}
			if round%2 == 1 {
				turns[0], turns[1] = turns[1], turns[0]
			}
			for _, turn := range turns {
				if err := turn(); err != nil {
					return err
				}
			}
		}
		fmt.Printf("%-26s %12.0f %9s %9s   %12.0f %9s %9s   %6.2f\n", o.name,
			mockL.rate(), round(mockL.quantile(0.5)), round(mockL.quantile(0.99)),
			bareL.rate(), round(bareL.quantile(0.5)), round(bareL.quantile(0.99)), mockL.rate()/bareL.rate())
	}
	return nil
}

func round(d time.Duration) string { return d.Round(time.Microsecond).String() }

// load is what one target answered to one operation over its attacks.
type load struct {
	n         int
	elapsed   time.Duration
	latencies []time.Duration
}

func (l *load) rate() float64 { return float64(l.n) / l.elapsed.Seconds() }

func (l *load) quantile(q float64) time.Duration {
	if len(l.latencies) == 0 {
		return 0
	}
	slices.Sort(l.latencies)
	return l.latencies[min(len(l.latencies)-1, int(q*float64(len(l.latencies))))]
}

// attack sends the operation as fast as the workers can for the duration and adds what was
// answered to the load.
func (l *load) attack(base string, o op, duration time.Duration, workers uint64, collections []string, ruleN *atomic.Int64) error {
	header := http.Header{"Authorization": {"Bearer tok-alice"}, "Content-Type": {"application/json"}}
	targeter := func(t *vegeta.Target) error {
		t.Method, t.URL, t.Header = o.method, base+o.path, header
		if o.path == "" { // POST access: spread over the collections, 900 rules each
			col := "bare"
			if len(collections) > 0 {
				col = collections[int(ruleN.Load()/900)%len(collections)]
			}
			t.URL = base + "/v0.10/endpoint/" + col + "/access"
		}
		t.Body = nil
		if o.body != nil {
			t.Body = []byte(o.body())
		}
		return nil
	}
	a := vegeta.NewAttacker(vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.KeepAlive(true))
	var failed []string
	n, ok := 0, 0
	start := time.Now()
	for res := range a.Attack(targeter, vegeta.Rate{Freq: 0}, duration, o.name) {
		n++
		if res.Error != "" || res.Code < 200 || res.Code >= 300 {
			if len(failed) < 3 {
				failed = append(failed, fmt.Sprintf("%d %s", res.Code, res.Error))
			}
			continue
		}
		ok++
		l.latencies = append(l.latencies, res.Latency)
	}
	l.n += ok
	l.elapsed += time.Since(start)
	if n == 0 || float64(n-ok) > 0.01*float64(n) {
		return fmt.Errorf("%s at %s: %d of %d requests failed: %v", o.name, base, n-ok, n, failed)
	}
	return nil
}
