package mockserver

import (
	"sync"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// Fault injection (control plane POST/DELETE /_mock/faults): the next requests of an operation
// fail with a service error before anything else happens, so clients can test their retries.

// Fault makes requests of one operation (an OpenAPI operation id) fail.
type Fault struct {
	Operation string `json:"operation"`
	Status    int    `json:"status,omitempty"`  // 503 (default), 429 or 502
	Code      string `json:"code,omitempty"`    // default: ServiceUnavailable, RateLimited or UpstreamError
	Message   string `json:"message,omitempty"` // default: a sentence naming the fault
	Times     int    `json:"times,omitempty"`   // how many requests fail; 0 means until cleared
}

var faultKinds = map[int]struct {
	kind apierr.Kind
	code string
}{
	503: {apierr.Unavailable, "ServiceUnavailable"},
	429: {apierr.RateLimited, "RateLimited"},
	502: {apierr.Upstream, "UpstreamError"},
}

type faults struct {
	mu   sync.Mutex
	list []*Fault
}

func (f *faults) add(in Fault, known func(op string) bool) (Fault, error) {
	if in.Status == 0 {
		in.Status = 503
	}
	k, ok := faultKinds[in.Status]
	if !ok {
		return Fault{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "status must be 503, 429 or 502")
	}
	if !known(in.Operation) {
		return Fault{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "unknown operation %q: use an operationId of openapi/", in.Operation)
	}
	if in.Times < 0 {
		return Fault{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "times may not be negative")
	}
	if in.Code == "" {
		in.Code = k.code
	}
	if in.Message == "" {
		in.Message = "The service is temporarily unable to handle the request (injected fault)"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	stored := in
	f.list = append(f.list, &stored)
	return in, nil
}

func (f *faults) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = nil
}

// take returns the error of the first fault on the operation, counting it down.
func (f *faults) take(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, fl := range f.list {
		if fl.Operation != op {
			continue
		}
		if fl.Times > 0 {
			fl.Times--
			if fl.Times == 0 {
				f.list = append(f.list[:i:i], f.list[i+1:]...)
			}
		}
		return apierr.New(faultKinds[fl.Status].kind, fl.Code, "%s", fl.Message)
	}
	return nil
}
