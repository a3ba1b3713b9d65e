// Command example-provider serves the example Action Provider (cmd/example-provider/actionprovider),
// configured by environment variables:
//
//	EXAMPLE_PROVIDER_ADDR           where to listen (default 127.0.0.1:9000)
//	EXAMPLE_PROVIDER_AUTH_URL       the Globus Auth base URL (default http://127.0.0.1:8080, the mock)
//	EXAMPLE_PROVIDER_TRANSFER_URL   the Transfer base URL (default: the Auth base URL)
//	EXAMPLE_PROVIDER_CLIENT_ID      the provider's client id (required)
//	EXAMPLE_PROVIDER_CLIENT_SECRET  its secret (required)
//	EXAMPLE_PROVIDER_SCOPE          its scope (default https://auth.globus.org/scopes/<client id>/action_all)
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/globus-conformance/kit/cmd/example-provider/actionprovider"
	"github.com/globus-conformance/kit/cmd/internal/serve"
)

func main() {
	env := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	cfg := actionprovider.Config{
		AuthURL:     env("EXAMPLE_PROVIDER_AUTH_URL", "http://127.0.0.1:8080"),
		TransferURL: os.Getenv("EXAMPLE_PROVIDER_TRANSFER_URL"),
		ClientID:    os.Getenv("EXAMPLE_PROVIDER_CLIENT_ID"),
		Secret:      os.Getenv("EXAMPLE_PROVIDER_CLIENT_SECRET"),
		Scope:       os.Getenv("EXAMPLE_PROVIDER_SCOPE"),
	}
	if cfg.ClientID == "" || cfg.Secret == "" {
		fmt.Fprintln(os.Stderr, "example-provider: EXAMPLE_PROVIDER_CLIENT_ID and EXAMPLE_PROVIDER_CLIENT_SECRET are required")
		os.Exit(2)
	}
	addr := env("EXAMPLE_PROVIDER_ADDR", "127.0.0.1:9000")
	p := actionprovider.New(cfg)
	srv := &http.Server{Addr: addr, Handler: p, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "example-provider: http://%s (scope %s, Auth %s)\n", addr, p.Scope(), cfg.AuthURL)
	if err := serve.UntilSignal(srv); err != nil {
		fmt.Fprintln(os.Stderr, "example-provider:", err)
		os.Exit(1)
	}
}
