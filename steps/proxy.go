package steps

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"

	"github.com/globus-conformance/kit/openapi"
)

// ValidatingProxy sits between any client and any implementation, forwards every request
// unchanged and checks every response against openapi/, logging each one that breaks the
// contract (status not documented, wrong content type, body not matching its schema). Clients see
// the upstream's responses as they are.
type ValidatingProxy struct {
	proxy      *httputil.ReverseProxy
	spec       *openapi.Spec
	log        *slog.Logger
	checked    atomic.Int64
	violations atomic.Int64
}

// NewValidatingProxy proxies to upstream (a mock, or a real implementation).
func NewValidatingProxy(upstream *url.URL, log *slog.Logger) *ValidatingProxy {
	p := &ValidatingProxy{spec: openapi.MustLoad(), log: log}
	p.proxy = httputil.NewSingleHostReverseProxy(upstream)
	orig := p.proxy.Director
	p.proxy.Director = func(r *http.Request) {
		orig(r)
		r.Host = upstream.Host
	}
	p.proxy.ModifyResponse = p.check
	return p
}

// ServeHTTP forwards one request.
func (p *ValidatingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.proxy.ServeHTTP(w, r) }

// Counts returns how many responses were checked and how many broke the contract.
func (p *ValidatingProxy) Counts() (checked, violations int64) {
	return p.checked.Load(), p.violations.Load()
}

func (p *ValidatingProxy) check(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	req := resp.Request
	probe, _ := http.NewRequest(req.Method, (&url.URL{Scheme: "http", Host: "target", Path: req.URL.Path, RawQuery: req.URL.RawQuery}).String(), nil)
	route, err := p.spec.FindRoute(probe)
	if err != nil {
		p.log.Debug("not described", "method", req.Method, "path", req.URL.Path, "status", resp.StatusCode)
		return nil
	}
	p.checked.Add(1)
	if resp.StatusCode == http.StatusNotImplemented {
		return nil
	}
	if verr := p.spec.ValidateResponse(context.Background(), probe, route, resp.StatusCode, resp.Header, body); verr != nil {
		p.violations.Add(1)
		p.log.Warn("response breaks the contract", "operation", route.OperationID, "method", req.Method,
			"path", req.URL.Path, "status", resp.StatusCode, "violation", verr.Error())
		return nil
	}
	p.log.Info("ok", "operation", route.OperationID, "status", resp.StatusCode)
	return nil
}
