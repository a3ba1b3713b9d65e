package steps

import (
	"io"
	"io/fs"
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
}

// Run runs the suite and returns godog's status (0: every scenario passed or was skipped).
func Run(o RunOptions) int {
	if o.FS == nil {
		o.FS = features.FS
	}
	if o.Concurrency == 0 {
		o.Concurrency = 1
	}
	h := &Harness{Target: o.Target, Recorder: o.Recorder}
	suite := godog.TestSuite{
		Name:                "conformance",
		ScenarioInitializer: h.Initialize,
		Options: &godog.Options{
			FS: o.FS, Paths: []string{"."}, Tags: o.Tags, Format: o.Format, Output: o.Output,
			Concurrency: o.Concurrency, Randomize: o.Randomize, Strict: true, TestingT: o.TestingT,
		},
	}
	return suite.Run()
}
