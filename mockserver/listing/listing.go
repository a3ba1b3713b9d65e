// Package listing holds what the Flows service's listings share (GET /flows, GET /runs): page
// sizes, the opaque marker that encodes a whole query, "FIELD ASC|DESC" sort criteria, and
// case-insensitive substring filters (reference flows-api.md §5, §16.4).
package listing

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// Page sizes: default 20 as in every recorded listing, at most 50 (the legacy clients' documented
// maximum).
const (
	DefaultPerPage = 20
	MaxPerPage     = 50
)

// BadQuery is the error of a query parameter the service refuses.
func BadQuery(format string, args ...any) error {
	return apierr.New(apierr.BadRequest, "BAD_REQUEST", format, args...)
}

// EncodeMarker turns a query (any JSON value) into the opaque marker.
func EncodeMarker(query any) string {
	b, _ := json.Marshal(query)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeMarker reads a marker back into query; one this mock did not make is a bad request.
func DecodeMarker(marker string, query any) error {
	b, err := base64.RawURLEncoding.DecodeString(marker)
	if err == nil {
		err = json.Unmarshal(b, query)
	}
	if err != nil {
		return BadQuery("Invalid marker %q: it was not issued by this service", marker)
	}
	return nil
}

// PerPage checks a page size; 0 means the default.
func PerPage(n int) (int, error) {
	if n == 0 {
		return DefaultPerPage, nil
	}
	if n < 1 || n > MaxPerPage {
		return 0, BadQuery("per_page must be between 1 and %d", MaxPerPage)
	}
	return n, nil
}

// Window is the part [Start, End) of total items a page at offset shows; More tells whether a
// next page exists.
type Window struct {
	Start, End int
	More       bool
}

// Slice computes the window of a page.
func Slice(total, offset, perPage int) Window {
	start := min(max(offset, 0), total)
	end := min(start+perPage, total)
	return Window{Start: start, End: end, More: end < total}
}

// Order is a parsed sort criterion over T.
type Order[T any] struct {
	cmp  func(a, b T) int
	desc bool
}

// ParseOrder reads "FIELD [ASC|DESC]" criteria (defaults when none) against the known fields.
func ParseOrder[T any](criteria, defaults []string, fields map[string]func(a, b T) int) ([]Order[T], error) {
	if len(criteria) == 0 {
		criteria = defaults
	}
	var out []Order[T]
	for _, c := range criteria {
		f := strings.Fields(c)
		if len(f) == 0 || len(f) > 2 {
			return nil, BadQuery("Invalid orderby criterion %q: expected \"FIELD ASC\" or \"FIELD DESC\"", c)
		}
		fn, ok := fields[f[0]]
		if !ok {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, BadQuery("Invalid orderby field %q: supported fields are %s", f[0], strings.Join(names, ", "))
		}
		o := Order[T]{cmp: fn}
		if len(f) == 2 {
			switch strings.ToUpper(f[1]) {
			case "ASC":
			case "DESC":
				o.desc = true
			default:
				return nil, BadQuery("Invalid orderby ordering %q: expected ASC or DESC", f[1])
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// Sort orders items by the criteria, then by id for a stable, total order.
func Sort[T any](items []T, orders []Order[T], id func(T) string) {
	slices.SortFunc(items, func(x, y T) int {
		for _, o := range orders {
			if c := o.cmp(x, y); c != 0 {
				if o.desc {
					return -c
				}
				return c
			}
		}
		return cmp.Compare(id(x), id(y))
	})
}

// ContainsAny reports whether any needle is a case-insensitive substring of any haystack.
func ContainsAny(needles []string, haystacks ...string) bool {
	for _, n := range needles {
		n = strings.ToLower(n)
		for _, h := range haystacks {
			if strings.Contains(strings.ToLower(h), n) {
				return true
			}
		}
	}
	return false
}
