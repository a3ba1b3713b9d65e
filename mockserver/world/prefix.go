package world

import (
	"maps"
	"slices"
	"strings"
)

// WithTokenPrefix returns the world with every token and secret it holds starting with prefix
// (values that already do are kept, so a dump of a prefixed world loads back unchanged): a
// server of many worlds tells by a token or a secret alone which world it belongs to. The
// world given is not changed.
func (w World) WithTokenPrefix(prefix string) World {
	if prefix == "" {
		return w
	}
	with := func(v *string) {
		if *v != "" && !strings.HasPrefix(*v, prefix) {
			*v = prefix + *v
		}
	}
	w.Tokens = slices.Clone(w.Tokens)
	for i := range w.Tokens {
		with(&w.Tokens[i].Token)
		with(&w.Tokens[i].RefreshToken)
	}
	w.Clients = slices.Clone(w.Clients)
	for i := range w.Clients {
		with(&w.Clients[i].Secret)
	}
	w.Providers = slices.Clone(w.Providers)
	for i := range w.Providers {
		with(&w.Providers[i].Secret)
	}
	w.Runs = slices.Clone(w.Runs)
	for i := range w.Runs {
		r := &w.Runs[i]
		with(&r.Token)
		r.RoleTokens = maps.Clone(r.RoleTokens)
		for role, tok := range r.RoleTokens {
			with(&tok)
			r.RoleTokens[role] = tok
		}
		if r.Action != nil {
			a := *r.Action
			with(&a.Token)
			r.Action = &a
		}
	}
	return w
}
