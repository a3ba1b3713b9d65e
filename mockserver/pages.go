package mockserver

import "github.com/globus-conformance/kit/mockserver/jsonw"

// page is a listing document of the Flows service: the items under their key, then limit,
// has_next_page and marker. Pages write their own JSON (flow and run listings are the busiest
// answers).
type page[D jsonw.Appender] struct {
	key     string // "flows", "runs", "actions", "entries"
	items   []D
	limit   int
	hasNext bool
	marker  string
	// nullMarker writes "marker": null on the last page; otherwise the key is left out there.
	nullMarker bool
}

// AppendJSON writes the page.
func (p page[D]) AppendJSON(b []byte) ([]byte, error) {
	b = jsonw.Key(append(b, '{'), p.key, true)
	b, err := jsonw.List(b, p.items)
	if err != nil {
		return b, err
	}
	b = jsonw.Int(append(b, `,"limit":`...), int64(p.limit))
	b = jsonw.Bool(append(b, `,"has_next_page":`...), p.hasNext)
	switch {
	case p.hasNext:
		b = jsonw.String(append(b, `,"marker":`...), p.marker)
	case p.nullMarker:
		b = append(b, `,"marker":null`...)
	}
	return append(b, '}'), nil
}
