// Package openapi holds the contract of the emulated services: the OpenAPI descriptions of Flows
// and Auth (embedded, loaded and validated once) and the list of operations the mock knows but
// does not serve yet. The mock routes and validates with it; the harness validates every response
// of any target with it, so both sides read the same bytes.
package openapi

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

//go:embed *.yaml unimplemented.tsv
var files embed.FS

// Service names the emulated service an operation belongs to; it picks the error document format.
type Service string

// The emulated services.
const (
	Flows    Service = "flows"
	Transfer Service = "transfer"
	Auth     Service = "auth"
)

// serviceFiles maps each described service to its file.
var serviceFiles = []struct {
	service Service
	file    string
}{
	{Flows, "flows.yaml"},
	{Transfer, "transfer.yaml"},
	{Auth, "auth.yaml"},
}

// Route is a matched operation of the contract.
type Route struct {
	Service     Service
	OperationID string
	Params      map[string]string
	route       *routers.Route
	// checked is the route requests are validated against: the operation without its security
	// requirements, which the mock enforces itself (kin-openapi would only read the body again
	// to hand it to a no-op authentication function).
	checked *routers.Route
}

// gateStatuses are answers a server gives before any operation runs: 413 for a body over its
// limit, 429 from a rate limit, 501 for an operation it does not serve. The services' OpenAPI
// descriptions do not list them per operation.
var gateStatuses = map[int]bool{http.StatusRequestEntityTooLarge: true, http.StatusTooManyRequests: true, http.StatusNotImplemented: true}

// TakesBody reports whether the operation has a request body (others ignore what is sent).
func (r *Route) TakesBody() bool { return r.route.Operation.RequestBody != nil }

// Documents reports whether the operation lists a status among its responses.
func (r *Route) Documents(status int) bool {
	return r.route.Operation.Responses.Status(status) != nil
}

// Operation is a known operation that the mock does not serve yet.
type Operation struct {
	Service Service
	Method  string
	Path    string
	Summary string
}

// Spec is the loaded contract. It is immutable after Load and safe for concurrent use.
type Spec struct {
	docs          map[Service]*openapi3.T
	router        router
	unimplemented []Operation
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load parses and validates the embedded descriptions once and returns the shared Spec.
func Load() (*Spec, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

// MustLoad is Load for program start-up and tests: an invalid embedded contract is a build defect.
func MustLoad() *Spec {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

func load() (*Spec, error) {
	s := &Spec{docs: map[Service]*openapi3.T{}, router: router{bySize: map[int][]*template{}}}
	for _, sf := range serviceFiles {
		data, err := files.ReadFile(sf.file)
		if err != nil {
			return nil, err
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("openapi: load %s: %w", sf.file, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			return nil, fmt.Errorf("openapi: validate %s: %w", sf.file, err)
		}
		// Relative server so routes match whatever origin serves them.
		doc.Servers = openapi3.Servers{{URL: "/"}}
		s.docs[sf.service] = doc
		s.router.add(sf.service, doc)
	}
	ops, err := parseUnimplemented()
	if err != nil {
		return nil, err
	}
	s.unimplemented = ops
	return s, nil
}

func parseUnimplemented() ([]Operation, error) {
	data, err := files.ReadFile("unimplemented.tsv")
	if err != nil {
		return nil, err
	}
	rows, err := ReadTable(data, 4)
	if err != nil {
		return nil, fmt.Errorf("openapi: unimplemented.tsv: %w", err)
	}
	ops := make([]Operation, len(rows))
	for i, f := range rows {
		ops[i] = Operation{Service: Service(f[0]), Method: f[1], Path: f[2], Summary: f[3]}
	}
	return ops, nil
}

// ReadTable reads the rows of a tab-separated table with a header line and "#" comments; every
// row must have the given number of columns.
func ReadTable(data []byte, columns int) ([][]string, error) {
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	header := true
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != columns {
			return nil, fmt.Errorf("bad line %q: want %d columns", line, columns)
		}
		rows = append(rows, f)
	}
	return rows, sc.Err()
}

// Doc returns the parsed description of a service (nil when it has none yet).
func (s *Spec) Doc(svc Service) *openapi3.T { return s.docs[svc] }

// ErrNoRoute is returned by FindRoute when no described operation matches.
var ErrNoRoute = errors.New("no operation matches")

// ErrMethodNotAllowed is returned by FindRoute when the path is described but not the method.
var ErrMethodNotAllowed = errors.New("method not allowed")

// FindRoute matches a request against every described service.
func (s *Spec) FindRoute(r *http.Request) (*Route, error) { return s.router.find(r) }

// Unimplemented reports the known-but-unserved operation a request names, if any.
func (s *Spec) Unimplemented(method, path string) (Operation, bool) {
	for _, op := range s.unimplemented {
		if op.Method == method && templateMatches(op.Path, path) {
			return op, true
		}
	}
	return Operation{}, false
}

// Methods lists, sorted, the methods a path answers: those described and those known but not
// served yet (they answer 501 naming the operation). It is empty for a path of no operation.
func (s *Spec) Methods(path string) []string {
	methods := s.router.methods(path)
	for _, op := range s.unimplemented {
		if templateMatches(op.Path, path) {
			methods = append(methods, op.Method)
		}
	}
	slices.Sort(methods)
	return slices.Compact(methods)
}

// UnimplementedOperations lists the known operations the mock does not serve yet.
func (s *Spec) UnimplementedOperations() []Operation {
	return append([]Operation(nil), s.unimplemented...)
}

func templateMatches(template, path string) bool {
	t := strings.Split(strings.Trim(template, "/"), "/")
	p := strings.Split(strings.Trim(path, "/"), "/")
	if len(t) != len(p) {
		return false
	}
	for i := range t {
		if strings.HasPrefix(t[i], "{") {
			if p[i] == "" {
				return false
			}
			continue
		}
		if t[i] != p[i] {
			return false
		}
	}
	return true
}

// The login pages of Auth answer HTML, which is checked as a string.
func init() { openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder) }

func options(multi bool) *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:            multi,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
	}
}

// ValidateRequest checks a request against its route. The body is read and put back, so the
// handler can decode it afterwards. All problems are reported (openapi3.MultiError).
func (s *Spec) ValidateRequest(ctx context.Context, r *http.Request, route *Route) error {
	return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: route.Params,
		Route:      route.checked,
		Options:    options(true),
	})
}

// ValidateResponse checks a response against its route: the status must be documented, the
// content type and body must match the documented schema.
func (s *Spec) ValidateResponse(ctx context.Context, r *http.Request, route *Route, status int, header http.Header, body []byte) error {
	if gateStatuses[status] && !route.Documents(status) {
		// Answered before the operation runs, the same for every operation: only JSON is asked.
		if !json.Valid(body) {
			return fmt.Errorf("the %d answer is not JSON", status)
		}
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: route.Params,
			Route:      route.route,
			Options:    options(false),
		},
		Status:  status,
		Header:  header,
		Options: options(false),
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, in)
}

// Described is an operation of the contract with its documented response statuses.
type Described struct {
	Service     Service
	OperationID string
	Method      string
	Path        string
	Statuses    []int
}

// Operations lists every described operation, sorted by service, path and method.
func (s *Spec) Operations() []Described {
	var out []Described
	for _, sf := range serviceFiles {
		doc := s.docs[sf.service]
		for _, path := range doc.Paths.InMatchingOrder() {
			item := doc.Paths.Value(path)
			for method, op := range item.Operations() {
				d := Described{Service: sf.service, OperationID: op.OperationID, Method: method, Path: path}
				for code := range op.Responses.Map() {
					if n, err := strconv.Atoi(code); err == nil {
						d.Statuses = append(d.Statuses, n)
					}
				}
				sort.Ints(d.Statuses)
				out = append(out, d)
			}
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Service != out[b].Service {
			return out[a].Service < out[b].Service
		}
		if out[a].Path != out[b].Path {
			return out[a].Path < out[b].Path
		}
		return out[a].Method < out[b].Method
	})
	return out
}
