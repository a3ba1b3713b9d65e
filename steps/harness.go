package steps

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/globus-conformance/kit/features"
)

// RunOptions configure a run of the conformance suite.
type RunOptions struct {
	Target Target
	// Tags is a godog tag expression (for example "@runs && ~@control").
	Tags string
	// Format is godog's format list, such as "pretty" or "progress,junit:out/junit.xml".
	Format string
	Output io.Writer
	// Concurrency is how many scenarios run at once (targets with a shared state need 1).
	Concurrency int
	// Randomize orders scenarios randomly with this seed (-1 picks one, 0 keeps file order).
	Randomize int64
	// FS holds the features (default: the embedded features/).
	FS fs.FS
	// Recorder receives the outcomes and exchanges, for the summary and coverage reports.
	Recorder *Recorder
	// TestingT makes each scenario a subtest when the suite runs inside go test.
	TestingT *testing.T
	// Colors allows ANSI colours on the console (see ColorWanted).
	Colors bool
}

// Run runs the suite and returns godog's status (0: every scenario passed or was skipped).
func Run(o RunOptions) int {
	if o.FS == nil {
		o.FS = features.FS
	}
	if o.Concurrency == 0 {
		o.Concurrency = 1
	}
	if o.Recorder == nil {
		o.Recorder = NewRecorder()
	}
	name, done := registerRun(o.Recorder, o.Colors)
	defer done()
	format, junitPaths := consoleFormats(o.Format)
	h := &Harness{Target: o.Target, Recorder: o.Recorder}
	suite := godog.TestSuite{
		Name:                name,
		ScenarioInitializer: h.Initialize,
		Options: &godog.Options{
			FS: o.FS, Paths: []string{"."}, Tags: o.Tags, Format: format, Output: o.Output, NoColors: !o.Colors,
			Concurrency: o.Concurrency, Randomize: o.Randomize, Strict: true, TestingT: o.TestingT,
		},
	}
	status := suite.Run()
	for _, p := range junitPaths {
		if err := o.Recorder.WriteJUnit(p, "conformance"); err != nil {
			fmt.Fprintln(os.Stderr, "conformance: junit report:", err)
			status = max(status, 1)
		}
	}
	return status
}

// consoleFormats swaps godog's console formatters for the ones that count skipped scenarios,
// and takes the junit outputs out of godog's list: the recorder writes them.
func consoleFormats(list string) (format string, junit []string) {
	var kept []string
	for _, f := range strings.Split(list, ",") {
		name, path, _ := strings.Cut(strings.TrimSpace(f), ":")
		switch name {
		case "progress", "pretty":
			kept = append(kept, "kit-"+name+strings.TrimPrefix(f, name))
		case "junit":
			if path == "" {
				path = "junit.xml"
			}
			junit = append(junit, path)
		case "":
		default:
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		kept = []string{"kit-progress"}
	}
	return strings.Join(kept, ","), junit
}
