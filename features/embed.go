// Package features embeds the conformance scenarios, so cmd/conformance carries them.
package features

import (
	"embed"
	"io/fs"
)

// FS holds every .feature file of this directory.
//
//go:embed *.feature
var FS embed.FS

// ActionProviderFS holds the action-provider profile's features (action_provider/), which the
// Flows profile does not run.
//
//go:embed action_provider/*.feature
var actionProviderFS embed.FS

// ActionProvider returns the action-provider profile's features, rooted at their directory.
func ActionProvider() fs.FS {
	sub, err := fs.Sub(actionProviderFS, "action_provider")
	if err != nil {
		panic(err)
	}
	return sub
}
