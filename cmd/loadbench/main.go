// Command loadbench measures the mock under load on loopback with vegeta: throughput and p50/p99
// latency of the operations clients use most, each next to two baselines measured in the same run
// on the same machine, answering the same document: a bare net/http JSON handler that decodes the
// request body and encodes the answer with encoding/json (the least any JSON API does; the goal's
// figure is the mock's throughput over this one), and a handler that writes the answer's bytes
// without looking at JSON at all (so that ratio is everything the mock does: routing, validation,
// authentication, the domain, encoding). Each operation runs against a fresh mock with the same
// seed, so none pays for what another stored (the runs POST run leaves behind), and the targets
// take turns in short rounds so that drift falls on all of them. Ratios are the figures to compare
// between runs; absolute numbers depend on the machine.
//
//	go run ./cmd/loadbench -duration 3s -workers 8 [-only run] [-cpuprofile f] [-memprofile f]
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
	rounds := flag.Int("rounds", 6, "alternating rounds of mock and baseline per operation")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (mock, baseline and load generator) to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the whole run to this file")
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
	if *memprofile != "" {
		runtime.MemProfileRate = 4096
		defer func() {
			f, err := os.Create(*memprofile)
			if err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				_ = f.Close()
			}
		}()
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

// bareServer is a baseline: it answers every request with one document. As a JSON handler it
// decodes the request body and encodes the document (held decoded) with encoding/json, the least
// any JSON API does; as a bytes handler it reads the body and writes the document's bytes, which
// is only net/http.
type bareServer struct {
	parse bool

	mu  sync.RWMutex
	raw []byte
	doc any
}

func (b *bareServer) set(raw []byte) {
	var doc any
	_ = json.Unmarshal(raw, &doc)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.raw, b.doc = raw, doc
}

func (b *bareServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.RLock()
	raw, doc := b.raw, b.doc
	b.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	if !b.parse {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write(raw)
		return
	}
	var in any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil && err != io.EOF {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	_ = json.NewEncoder(w).Encode(doc)
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

// world is a mock on a free port, seeded with 25 flows of the caller, 200 guest collections (room
// for every rule a run of POST access creates) and 20 rules on the first.
type world struct {
	url         string
	flowID      string
	collections []string
	stop        context.CancelFunc
}

func newWorld() (*world, error) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := mockserver.New(mockserver.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		cancel()
		return nil, err
	}
	w := &world{stop: cancel}
	if w.url, err = serve(ctx, srv); err != nil {
		cancel()
		return nil, err
	}
	for range 25 {
		doc, err := call(w.url, "POST", "/flows", simpleFlow)
		if err != nil {
			cancel()
			return nil, err
		}
		w.flowID = fmt.Sprint(doc["id"])
	}
	for i := range 200 {
		id := fmt.Sprintf("10ad0000-0000-4000-8000-%012d", i)
		body := fmt.Sprintf(`{"id": %q, "display_name": "load %d", "entity_type": "GCSv5_guest_collection", "owner_id": %q,
			"host_endpoint_id": "c011ec70-0000-4000-8000-000000000302"}`, id, i, alice)
		if _, err := call(w.url, "POST", "/_mock/collections", body); err != nil {
			cancel()
			return nil, err
		}
		w.collections = append(w.collections, id)
	}
	for i := range 20 {
		body := fmt.Sprintf(`{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/seed/%d/", "permissions": "r"}`, i)
		if _, err := call(w.url, "POST", "/v0.10/endpoint/"+w.collections[0]+"/access", body); err != nil {
			cancel()
			return nil, err
		}
	}
	return w, nil
}

// ops are the operations measured, against a world.
func (w *world) ops(ruleN *atomic.Int64) []op {
	return []op{
		{"GET /flows/{id}", "GET", "/flows/" + w.flowID, nil},
		{"GET /flows (page of 20)", "GET", "/flows?per_page=20", nil},
		{"POST /flows", "POST", "/flows", func() string { return simpleFlow }},
		{"POST /flows/{id}/run", "POST", "/flows/" + w.flowID + "/run", func() string { return `{"body": {"x": 1}}` }},
		{"GET .../access_list", "GET", "/v0.10/endpoint/" + w.collections[0] + "/access_list", nil},
		{"POST .../access", "POST", "", func() string {
			n := ruleN.Add(1)
			return fmt.Sprintf(`{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/load/%d/", "permissions": "r"}`, n)
		}},
	}
}

func run(duration time.Duration, workers uint64, only string, rounds int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := &baselines{jsonDoc: &bareServer{parse: true}, bytesDoc: &bareServer{}}
	var err error
	if b.jsonURL, err = serveBare(ctx, b.jsonDoc); err != nil {
		return err
	}
	if b.bytesURL, err = serveBare(ctx, b.bytesDoc); err != nil {
		return err
	}
	fmt.Printf("loopback load: %s per operation and target in %d alternating rounds, %d connections, %d CPUs (%s/%s)\n",
		duration, rounds, workers, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("baselines: a JSON handler (decodes the request, encodes the same answer) and a bytes handler (writes the answer's bytes)\n")
	fmt.Printf("each operation runs against a fresh mock with the same seed, so no operation pays for what another stored\n\n")
	fmt.Printf("%-26s %11s %8s %8s   %11s %8s %8s   %11s   %9s %9s\n", "operation", "mock req/s", "p50", "p99",
		"JSON req/s", "p50", "p99", "bytes req/s", "vs JSON", "vs bytes")
	var names []string
	for _, o := range (&world{collections: []string{""}}).ops(nil) {
		names = append(names, o.name)
	}
	for i, name := range names {
		if !strings.Contains(name, only) {
			continue
		}
		runtime.GC() // the previous operation's world is gone
		w, err := newWorld()
		if err != nil {
			return err
		}
		var ruleN atomic.Int64
		err = b.measure(w.ops(&ruleN)[i], w, &ruleN, duration, workers, rounds)
		w.stop()
		if err != nil {
			return err
		}
	}
	return nil
}

// baselines are the two handlers the mock is measured against.
type baselines struct {
	jsonDoc, bytesDoc *bareServer
	jsonURL, bytesURL string
}

// measure attacks the mock and the two baselines with one operation and prints its line.
func (b *baselines) measure(o op, w *world, ruleN *atomic.Int64, duration time.Duration, workers uint64, rounds int) error {
	mock, collections := w.url, w.collections
	// The baselines answer what the mock answers.
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
	b.jsonDoc.set(raw)
	b.bytesDoc.set(raw)
	// The targets take turns, a different one going first in each round, so that a drift of
	// the machine (another process, the mock's growing heap) falls on all of them.
	var mockL, jsonL, bytesL load
	each := duration / time.Duration(rounds)
	// The baselines get the sample's body each time: only the mock's requests use up rule paths.
	fixed := o
	if o.body != nil {
		fixed.body = func() string { return body }
	}
	turns := []func() error{
		func() error { return mockL.attack(mock, o, each, workers, collections, ruleN) },
		func() error { return jsonL.attack(b.jsonURL, fixed, each, workers, nil, nil) },
		func() error { return bytesL.attack(b.bytesURL, fixed, each, workers, nil, nil) },
	}
	for round := range rounds {
		for k := range turns {
			if err := turns[(round+k)%len(turns)](); err != nil {
				return err
			}
		}
	}
	fmt.Printf("%-26s %11.0f %8s %8s   %11.0f %8s %8s   %11.0f   %9.2f %9.2f\n", o.name,
		mockL.rate(), round(mockL.quantile(0.5)), round(mockL.quantile(0.99)),
		jsonL.rate(), round(jsonL.quantile(0.5)), round(jsonL.quantile(0.99)), bytesL.rate(),
		mockL.rate()/jsonL.rate(), mockL.rate()/bytesL.rate())
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
