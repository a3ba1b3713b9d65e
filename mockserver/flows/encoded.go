package flows

import (
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/jsonw"
)

// encoded is what every answer about a flow needs that the stored flow determines: its definition
// and input schema as JSON, the definition as callers below administrator see it, and the strings
// its id determines. A stored flow's definition and input schema are never changed in place (an
// update stores a new flow), so they are written once, not on every answer: encoding them was
// most of the cost of a flow listing.
type encoded struct {
	definition       []byte
	public           map[string]any // the definition without private parameters
	publicDefinition []byte
	inputSchema      []byte

	scope, principalURN, username, url string
}

// encode works out the flow's encoded part when the flow is stored.
func (f *Flow) encode() { f.enc = newEncoded(f) }

// encoding is the flow's encoded part, worked out now for a flow that was not stored.
func (f *Flow) encoding() *encoded {
	if f.enc != nil {
		return f.enc
	}
	return newEncoded(f)
}

// newEncoded works out a flow's encoded part. A definition or input schema that cannot be written
// (one decoded from JSON always can) is left out and encoded with each answer.
func newEncoded(f *Flow) *encoded {
	e := &encoded{public: publicDefinition(f.Definition), scope: auth.FlowScope(f.ID), principalURN: auth.IdentityURN(f.ID),
		username: f.ID + "@clients.auth.globus.org", url: FlowURL(f.ID)}
	def, err1 := jsonw.Value(nil, f.Definition)
	public, err2 := jsonw.Value(nil, e.public)
	schema, err3 := jsonw.Value(nil, f.InputSchema)
	if err1 == nil && err2 == nil && err3 == nil {
		e.definition, e.publicDefinition, e.inputSchema = def, public, schema
	}
	return e
}

// publicDefinition is a definition without its private parameters (the same map when it has none).
func publicDefinition(def map[string]any) map[string]any {
	if !engine.HasPrivate(def) {
		return def
	}
	public := deepCopy(def)
	engine.StripPrivate(public)
	return public
}
