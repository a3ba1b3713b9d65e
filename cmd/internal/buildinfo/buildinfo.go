// Package buildinfo says which build of the kit a binary is, for --version.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/globus-conformance/kit/openapi"
)

// version and commit are set at link time by `make dist` (-X <this package>.version=…);
// a plain `go build` falls back to what the Go toolchain recorded of the module and VCS.
var (
	version = ""
	commit  = ""
)

// Text is what --version prints for the named command: the build, and the versions of the APIs
// the kit emulates and checks, from its OpenAPI descriptions.
func Text(name string) string {
	v, c, dirty := version, commit, false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = true
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	} else if dirty && commit == "" {
		c += "-dirty"
	}
	spec := openapi.MustLoad()
	var apis []string
	for _, svc := range []struct {
		name string
		s    openapi.Service
	}{{"Flows", openapi.Flows}, {"Transfer", openapi.Transfer}, {"Auth", openapi.Auth}} {
		apis = append(apis, fmt.Sprintf("%s %s", svc.name, spec.Doc(svc.s).Info.Version))
	}
	return fmt.Sprintf("%s %s (commit %s, %s, %s/%s)\nemulated APIs: %s\n", name, v, c, runtime.Version(),
		runtime.GOOS, runtime.GOARCH, strings.Join(apis, ", "))
}
