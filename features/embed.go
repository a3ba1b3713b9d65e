// Package features embeds the conformance scenarios, so cmd/conformance carries them.
package features

import "embed"

// FS holds every .feature file of this directory.
//
//go:embed *.feature
var FS embed.FS
