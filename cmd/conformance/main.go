// Command conformance runs the conformance features against an implementation of the Globus
// Flows, Transfer ACL and Auth APIs, or proxies a client to one while checking every response
// against the contract.
//
//	conformance [--target inprocess|URL|real --config FILE] [--control-token TOKEN] [--tags EXPR]
//	            [--format LIST] [--out DIR] [--concurrency N] [--random SEED] [--no-preflight]
//	conformance --profile action-provider --target AP_URL [--mock URL] --client-id ID --client-secret SECRET
//	            [--dependent-scopes LIST] [--bodies FILE] [--tags EXPR] [--format LIST] [--out DIR]
//	conformance proxy --upstream URL [--listen ADDR]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/globus-conformance/kit/cmd/internal/buildinfo"
	"github.com/globus-conformance/kit/cmd/internal/serve"
	"github.com/globus-conformance/kit/features"
	"github.com/globus-conformance/kit/openapi"
	"github.com/globus-conformance/kit/steps"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "proxy" {
		os.Exit(proxy(os.Args[2:]))
	}
	os.Exit(run(os.Args[1:]))
}

const usage = `conformance runs the conformance features against an implementation of the Globus Flows,
Transfer ACL and Auth APIs, and writes reports; "conformance proxy" checks a client's traffic.

Commands:
  conformance [flags]          run the features (flags below)
  conformance proxy [flags]    a proxy to an implementation that checks every response against
                               the contract (--upstream URL, --listen ADDR; see "conformance proxy -h")

Examples:
  conformance                                              # a fresh in-process mock per scenario
  conformance --target http://127.0.0.1:8080 --format progress,summary,junit
  conformance --target real --config target.json --tags '@acl && ~@control' --out reports
  conformance proxy --upstream http://127.0.0.1:8080 --listen 127.0.0.1:8081
  conformance --profile action-provider --target http://127.0.0.1:9000 --mock http://127.0.0.1:8080 \
              --client-id $ID --client-secret $SECRET    # an Action Provider, the mock as its Auth

Flags:
`

func run(args []string) int {
	fs := flag.NewFlagSet("conformance", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	target := fs.String("target", "inprocess", `"inprocess" (a fresh mock per scenario), a mock's URL, or "real" (with --config)`)
	config := fs.String("config", "", "the target config file of a real implementation (JSON; see the README)")
	tags := fs.String("tags", "", `godog tag expression, e.g. "@runs && ~@control"`)
	format := fs.String("format", "progress,summary", "comma list of pretty, progress, cucumber, junit, summary")
	out := fs.String("out", "reports", "directory for the cucumber, junit and summary reports")
	concurrency := fs.Int("concurrency", 4, "scenarios at once (a mock at a URL and real targets run one at a time)")
	random := fs.Int64("random", -1, "random order seed (-1: pick one, 0: file order)")
	controlToken := fs.String("control-token", "", "the control token of a guarded mock, sent to its /_mock/ only "+
		"(default: a real target's config control_token, then env MOCKSERVER_CONTROL_TOKEN)")
	showVersion := fs.Bool("version", false, "print the version, the commit and the API versions it checks, and exit")
	noPreflight := fs.Bool("no-preflight", false, "skip the checks of a URL or real target before the run (tokens, base paths, control plane)")
	profile := fs.String("profile", "flows", `"flows" (Flows, Transfer ACL and Auth) or "action-provider" (--target is the provider's URL)`)
	mock := fs.String("mock", "http://127.0.0.1:8080", "action-provider profile: the mock that is the provider's Globus Auth")
	clientID := fs.String("client-id", os.Getenv("ACTION_PROVIDER_CLIENT_ID"), "action-provider profile: the provider's client id (env ACTION_PROVIDER_CLIENT_ID)")
	clientSecret := fs.String("client-secret", "", "action-provider profile: the provider's client secret (default env ACTION_PROVIDER_CLIENT_SECRET)")
	dependent := fs.String("dependent-scopes", "urn:globus:auth:scope:transfer.api.globus.org:all", "action-provider profile: comma list of the provider's dependent scopes")
	bodies := fs.String("bodies", "", `action-provider profile: a JSON file of run bodies by name ("succeeds", "finishes", "active", "inactive")`)
	_ = fs.Parse(args)
	if *showVersion {
		fmt.Print(buildinfo.Text("conformance"))
		return 0
	}
	// The flag wins, then the config file, then the environment shared with cmd/mockserver.
	token := func(configured string) string {
		for _, t := range []string{*controlToken, configured, os.Getenv("MOCKSERVER_CONTROL_TOKEN")} {
			if t != "" {
				return t
			}
		}
		return ""
	}

	var t steps.Target
	var featureFS iofs.FS = features.FS
	switch {
	case *profile == "action-provider":
		ap, err := actionProviderTarget(*target, *mock, *clientID, *clientSecret, *dependent, *bodies, token(""))
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
		t, *concurrency, featureFS = ap, 1, features.ActionProvider()
	case *profile != "flows":
		fmt.Fprintf(os.Stderr, "conformance: unknown --profile %q (flows, action-provider)\n", *profile)
		return 2
	case *target == "inprocess":
		t = steps.InProcess{}
	case *target == "real":
		if *config == "" {
			fmt.Fprintln(os.Stderr, "conformance: --target real needs --config FILE")
			return 2
		}
		r, err := steps.LoadReal(*config)
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
		r.Config.ControlToken = token(r.Config.ControlToken)
		t, *concurrency = r, 1
	default:
		u, err := url.Parse(*target)
		if err != nil || u.Scheme == "" || u.Host == "" {
			fmt.Fprintf(os.Stderr, "conformance: --target %q is neither inprocess, real, nor a URL\n", *target)
			return 2
		}
		t, *concurrency = steps.URL{Base: strings.TrimSuffix(*target, "/"), ControlToken: token("")}, 1
	}

	var godogFormats []string
	summary := false
	for _, f := range strings.Split(*format, ",") {
		switch f = strings.TrimSpace(f); f {
		case "pretty", "progress":
			godogFormats = append(godogFormats, f)
		case "cucumber":
			godogFormats = append(godogFormats, "cucumber:"+filepath.Join(*out, "cucumber.json"))
		case "junit":
			godogFormats = append(godogFormats, "junit:"+filepath.Join(*out, "junit.xml"))
		case "summary":
			summary = true
		default:
			fmt.Fprintf(os.Stderr, "conformance: unknown format %q\n", f)
			return 2
		}
	}
	if len(godogFormats) == 0 {
		godogFormats = []string{"progress"}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	if _, inprocess := t.(steps.InProcess); !inprocess && !*noPreflight {
		if err := preflight(t); err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
	}
	rec := steps.NewRecorder()
	status := steps.Run(steps.RunOptions{Target: t, FS: featureFS, Tags: *tags, Format: strings.Join(godogFormats, ","), Output: os.Stdout,
		Concurrency: *concurrency, Randomize: *random, Recorder: rec, Colors: steps.ColorWanted(os.Stdout)})
	if summary {
		if err := rec.WriteReports(*out, openapi.MustLoad(), t.Name()); err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
		fmt.Printf("\nsummary: %s, %s, %s\n", filepath.Join(*out, "summary.md"), filepath.Join(*out, "summary.html"), filepath.Join(*out, "summary.json"))
	}
	return status
}

// actionProviderTarget is the action-provider profile's target: the provider at a URL, the mock
// at a URL as its Auth.
func actionProviderTarget(target, mock, clientID, secret, dependent, bodiesFile, controlToken string) (steps.ActionProvider, error) {
	for _, u := range []string{target, mock} {
		if p, err := url.Parse(u); err != nil || p.Scheme == "" || p.Host == "" {
			return steps.ActionProvider{}, fmt.Errorf("--profile action-provider needs --target and --mock URLs, not %q", u)
		}
	}
	if secret == "" {
		secret = os.Getenv("ACTION_PROVIDER_CLIENT_SECRET")
	}
	if clientID == "" || secret == "" {
		return steps.ActionProvider{}, errors.New("--profile action-provider needs the provider's --client-id and --client-secret " +
			"(or ACTION_PROVIDER_CLIENT_ID and ACTION_PROVIDER_CLIENT_SECRET), to register it with the mock")
	}
	ap := steps.ActionProvider{Mock: steps.URL{Base: strings.TrimSuffix(mock, "/"), ControlToken: controlToken},
		Provider: strings.TrimSuffix(target, "/"), ClientID: clientID, Secret: secret}
	for _, sc := range strings.Split(dependent, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			ap.DependentScopes = append(ap.DependentScopes, sc)
		}
	}
	if bodiesFile != "" {
		b, err := os.ReadFile(bodiesFile)
		if err != nil {
			return ap, err
		}
		if err := json.Unmarshal(b, &ap.Bodies); err != nil {
			return ap, fmt.Errorf("%s: %w", bodiesFile, err)
		}
	}
	return ap, nil
}

// preflight checks a target before the run: for a provider, that it describes itself and the
// mock registers it; for the Flows profile, the control plane, base paths and tokens.
func preflight(t steps.Target) error {
	if ap, ok := t.(steps.ActionProvider); ok {
		_, _, err := ap.Open()
		return err
	}
	return steps.Preflight(t)
}

func proxy(args []string) int {
	fs := flag.NewFlagSet("conformance proxy", flag.ExitOnError)
	upstream := fs.String("upstream", "", "the implementation to proxy to (required)")
	listen := fs.String("listen", "127.0.0.1:8081", "address to listen on")
	_ = fs.Parse(args)
	u, err := url.Parse(*upstream)
	if err != nil || u.Host == "" {
		fmt.Fprintln(os.Stderr, "conformance proxy: --upstream URL is required")
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	p := steps.NewValidatingProxy(u, log)
	srv := &http.Server{Addr: *listen, Handler: p, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "conformance proxy: http://%s -> %s, checking every response against the contract\n", *listen, u)
	if err := serve.UntilSignal(srv); err != nil {
		fmt.Fprintln(os.Stderr, "conformance proxy:", err)
		return 1
	}
	checked, violations := p.Counts()
	fmt.Fprintf(os.Stderr, "conformance proxy: %d responses checked, %d broke the contract\n", checked, violations)
	if violations > 0 {
		return 1
	}
	return 0
}
