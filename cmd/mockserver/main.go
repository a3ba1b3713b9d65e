// Command mockserver serves the conformance kit's mock of Globus Flows, Transfer ACLs and Auth on
// one origin. Flags have matching environment variables (MOCKSERVER_ADDR, MOCKSERVER_FIXTURES,
// MOCKSERVER_LOG_LEVEL, MOCKSERVER_STATE_FILE); a flag wins over its variable.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/world"
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
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mockserver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	addr := fs.String("addr", env("MOCKSERVER_ADDR", "127.0.0.1:8080"), "listen address (env MOCKSERVER_ADDR)")
	fixtures := fs.String("fixtures", env("MOCKSERVER_FIXTURES", ""), "world JSON file replacing the default world (env MOCKSERVER_FIXTURES)")
	logLevel := fs.String("log-level", env("MOCKSERVER_LOG_LEVEL", "info"), "debug, info, warn or error (env MOCKSERVER_LOG_LEVEL)")
	validate := fs.Bool("validate-responses", false, "check every response against the OpenAPI contract (answers 500 on a violation)")
	stateFile := fs.String("state-file", env("MOCKSERVER_STATE_FILE", ""), "keep the state in this file: loaded at start, saved every --save-interval and on shutdown (env MOCKSERVER_STATE_FILE)")
	interval := fs.Duration("save-interval", 30*time.Second, "how often --state-file is saved")
	rate := fs.Float64("rate-limit", 0, "requests per second allowed to each token (0: no limit); beyond it 429 with Retry-After")
	burst := fs.Int("rate-burst", 10, "requests a token may make at once under --rate-limit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level, err := mockserver.LogLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	opts := mockserver.Options{Logger: logger, ValidateResponses: *validate}
	if *rate > 0 {
		opts.RateLimit = &mockserver.RateLimit{PerSecond: *rate, Burst: *burst}
	}
	if *fixtures != "" {
		data, err := os.ReadFile(*fixtures)
		if err != nil {
			return err
		}
		w, err := world.Parse(data)
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
		w, ok, err := state.Load()
		if err != nil {
			return err
		}
		if ok {
			opts.World = &w
			logger.Info("state loaded", "file", *stateFile)
		}
	}
	srv, err := mockserver.New(opts)
	if err != nil {
		return err
	}
	saved := make(chan error, 1)
	serving, served := context.WithCancel(context.Background())
	if state != nil {
		go func() { saved <- state.Keep(serving, srv, *interval) }()
	}
	err = srv.ListenAndServe(ctx, *addr, func(bound string) {
		origin := "http://" + bound
		fmt.Printf("mockserver: serving Globus Flows, Transfer and Auth at %s\n", origin)
		fmt.Printf("Point the official SDKs and the CLI at it with:\n")
		for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS"} {
			fmt.Printf("  export GLOBUS_SDK_SERVICE_URL_%s=%s/\n", svc, origin)
		}
		fmt.Printf("Try: curl -H 'Authorization: Bearer tok-alice' %s/flows\n", origin)
	})
	served() // the last requests are answered: the final save sees them
	if state != nil {
		if serr := <-saved; serr != nil && err == nil {
			err = fmt.Errorf("saving the state to %s: %w", state.Path, serr)
		}
	}
	return err
}
