// Command mockserver serves the conformance kit's mock of Globus Flows, Transfer ACLs and Auth on
// one origin. Flags have matching environment variables (MOCKSERVER_ADDR, MOCKSERVER_FIXTURES,
// MOCKSERVER_LOG_LEVEL, MOCKSERVER_STATE_FILE, MOCKSERVER_CONTROL_TOKEN, MOCKSERVER_ALLOWED_HOSTS);
// a flag wins over its variable.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/globus-conformance/kit/cmd/internal/buildinfo"
	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/globus-conformance/kit/mockserver/worlds"
)

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockserver:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, printing the start-up banner to stdout and logs to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("MOCKSERVER_ADDR", "127.0.0.1:8080"), "listen address (env MOCKSERVER_ADDR)")
	fixtures := fs.String("fixtures", env("MOCKSERVER_FIXTURES", ""), "world JSON file replacing the default world (env MOCKSERVER_FIXTURES)")
	logLevel := fs.String("log-level", env("MOCKSERVER_LOG_LEVEL", "info"), "debug, info, warn or error (env MOCKSERVER_LOG_LEVEL)")
	validate := fs.Bool("validate-responses", false, "check every response against the OpenAPI contract (answers 500 on a violation)")
	stateFile := fs.String("state-file", env("MOCKSERVER_STATE_FILE", ""), "keep the state in this file: loaded at start, saved every --save-interval and on shutdown (env MOCKSERVER_STATE_FILE)")
	interval := fs.Duration("save-interval", 30*time.Second, "how often --state-file is saved")
	rate := fs.Float64("rate-limit", 0, "requests per second allowed to each token (0: no limit); beyond it 429 with Retry-After")
	burst := fs.Int("rate-burst", 10, "requests a token may make at once under --rate-limit")
	controlToken := fs.String("control-token", "",
		"require this token on every /_mock/ request, as Authorization: Bearer or X-Mock-Control-Token (env MOCKSERVER_CONTROL_TOKEN, which ps does not show)")
	allowed := &hostList{names: splitHosts(env("MOCKSERVER_ALLOWED_HOSTS", ""))}
	fs.Var(allowed, "allowed-host", "a host name the control plane answers under besides IP addresses and localhost; repeatable, comma-separated (env MOCKSERVER_ALLOWED_HOSTS)")
	showVersion := fs.Bool("version", false, "print the version, the commit and the emulated API versions, and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		_, err := io.WriteString(stdout, buildinfo.Text("mockserver"))
		return err
	}
	if *controlToken == "" { // read after parsing, so that -help does not print it as the default
		*controlToken = env("MOCKSERVER_CONTROL_TOKEN", "")
	}
	level, err := mockserver.LogLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := mockserver.Options{Logger: logger, ValidateResponses: *validate, ControlToken: *controlToken, AllowedHosts: allowed.names}
	if *rate > 0 {
		opts.RateLimit = &mockserver.RateLimit{PerSecond: *rate, Burst: *burst}
	}
	if *fixtures != "" {
		data, err := os.ReadFile(*fixtures)
		if err != nil {
			return err
		}
		w, err := world.Parse(data)
		if err == nil {
			w, err = w.Prepare(time.Now())
		}
		if err != nil {
			return fmt.Errorf("%s: %w", *fixtures, err)
		}
		opts.World = &w
	}
	var state *mockserver.StateFile
	if *stateFile != "" {
		if *interval <= 0 {
			return fmt.Errorf("--save-interval must be positive")
		}
		state = &mockserver.StateFile{Path: *stateFile}
		if err := state.Check(); err != nil {
			return fmt.Errorf("--state-file %s: %w", *stateFile, err)
		}
		w, ok, err := state.Load()
		if err != nil {
			return err
		}
		if ok {
			opts.World = &w
			logger.Info("state loaded", "file", *stateFile)
		}
	}
	// One listener serves the default world and the worlds POST /_mock/worlds creates; the
	// state file keeps the default world.
	mux, err := worlds.New(opts)
	if err != nil {
		return err
	}
	srv := mux.Default()
	saved := make(chan error, 1)
	serving, served := context.WithCancel(context.Background())
	if state != nil {
		go func() { saved <- state.Keep(serving, srv, *interval) }()
	}
	err = mockserver.Serve(ctx, *addr, mux, func(bound string) {
		origin := "http://" + bound
		fmt.Fprintf(stdout, "mockserver: serving Globus Flows, Transfer and Auth at %s\n", origin)
		fmt.Fprintf(stdout, "Point the official SDKs and the CLI at it with:\n")
		for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS"} {
			fmt.Fprintf(stdout, "  export GLOBUS_SDK_SERVICE_URL_%s=%s/\n", svc, origin)
		}
		fmt.Fprintf(stdout, "Try: curl -H 'Authorization: Bearer tok-alice' %s/flows\n", origin)
		fmt.Fprintf(stdout, "A world per parallel test job: curl -XPOST %s/_mock/worlds (its own tokens, state, clock and control plane)\n", origin)
		if *controlToken != "" {
			fmt.Fprintf(stdout, "The control plane (/_mock/) needs the control token: Authorization: Bearer <token> or %s: <token>\n", mockserver.ControlTokenHeader)
			fmt.Fprintf(stdout, "Console: %s/_mock/console/?token=<control token>\n", origin)
		} else {
			fmt.Fprintf(stdout, "Console: %s/_mock/console/\n", origin)
		}
		if exposed(*addr) {
			where := *addr
			if bound != where {
				where += " (" + bound + ")"
			}
			warning := exposure(where, *controlToken != "")
			fmt.Fprintln(stderr, "mockserver:", warning)
			fmt.Fprintln(stdout, warning)
		}
	})
	served() // the last requests are answered: the final save sees them
	if state != nil {
		if serr := <-saved; serr != nil && err == nil {
			err = fmt.Errorf("saving the state to %s: %w", state.Path, serr)
		}
	}
	return err
}

// hostList is --allowed-host: repeatable and comma-separated; the first flag replaces the
// names of MOCKSERVER_ALLOWED_HOSTS.
type hostList struct {
	names   []string
	fromCLI bool
}

func (h *hostList) String() string { return strings.Join(h.names, ",") }

func (h *hostList) Set(v string) error {
	if !h.fromCLI {
		h.names, h.fromCLI = nil, true
	}
	h.names = append(h.names, splitHosts(v)...)
	return nil
}

// splitHosts splits a list of names at commas and spaces (names hold neither).
func splitHosts(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// exposed reports whether other machines may reach a listen address: anything but a loopback
// address or localhost (an empty host listens on every address).
func exposed(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err != nil || !ip.IsLoopback()
}

// exposure is the start-up warning for an address other machines may reach.
func exposure(addr string, guarded bool) string {
	if guarded {
		return fmt.Sprintf("Note: listening on %s, which other machines may reach. The control plane needs the control token, "+
			"but the emulated APIs accept the world's well-known tokens (tok-alice, ...) from anyone.", addr)
	}
	return fmt.Sprintf("WARNING: listening on %s, which other machines may reach: its control plane (/_mock/) lets anyone who can "+
		"connect mint tokens for any identity, read every secret (GET /_mock/state) and reset the state. Listen on loopback "+
		"(--addr 127.0.0.1:8080), or guard the control plane with --control-token (better: MOCKSERVER_CONTROL_TOKEN).", addr)
}
