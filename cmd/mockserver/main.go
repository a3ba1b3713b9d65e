// Command mockserver serves the conformance kit's mock of Globus Flows, Transfer ACLs and Auth on
// one origin. Flags have matching environment variables (MOCKSERVER_ADDR, MOCKSERVER_FIXTURES,
// MOCKSERVER_LOG_LEVEL); a flag wins over its variable.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

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
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mockserver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	addr := fs.String("addr", env("MOCKSERVER_ADDR", "127.0.0.1:8080"), "listen address (env MOCKSERVER_ADDR)")
	fixtures := fs.String("fixtures", env("MOCKSERVER_FIXTURES", ""), "world JSON file replacing the default world (env MOCKSERVER_FIXTURES)")
	logLevel := fs.String("log-level", env("MOCKSERVER_LOG_LEVEL", "info"), "debug, info, warn or error (env MOCKSERVER_LOG_LEVEL)")
	validate := fs.Bool("validate-responses", false, "check every response against the OpenAPI contract (answers 500 on a violation)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level, err := mockserver.LogLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	opts := mockserver.Options{Logger: logger, ValidateResponses: *validate}
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
	srv, err := mockserver.New(opts)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return srv.ListenAndServe(ctx, *addr, func(bound string) {
		origin := "http://" + bound
		fmt.Printf("mockserver: serving Globus Flows, Transfer and Auth at %s\n", origin)
		fmt.Printf("Point the official SDKs and the CLI at it with:\n")
		for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS"} {
			fmt.Printf("  export GLOBUS_SDK_SERVICE_URL_%s=%s/\n", svc, origin)
		}
		fmt.Printf("Try: curl -H 'Authorization: Bearer tok-alice' %s/flows\n", origin)
	})
}
