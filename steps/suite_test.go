package steps

import (
	"flag"
	"os"
	"testing"

	"github.com/cucumber/godog"
	"github.com/globus-conformance/kit/openapi"
)

// opts are the godog options. GODOG_TAGS selects scenarios, for example
//
//	GODOG_TAGS=@web-inputs go test ./steps -run TestFeatures
//
// (cmd/conformance has the full set of flags).
var opts = godog.Options{
	Randomize:   -1, // random order, seed printed on failure
	Concurrency: 4,
	Format:      "progress,junit:../reports/junit.xml,cucumber:../reports/cucumber.json",
}

func init() {
	if tags := os.Getenv("GODOG_TAGS"); tags != "" {
		opts.Tags = tags
	}
}

// TestFeatures runs every scenario of features/ against a fresh in-process mock per scenario and
// writes the reports, the summary by capability and the spec coverage into reports/.
func TestFeatures(t *testing.T) {
	if !flag.Parsed() {
		flag.Parse()
	}
	if err := os.MkdirAll("../reports", 0o755); err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder()
	status := Run(RunOptions{Target: InProcess{}, Tags: opts.Tags, Format: opts.Format, Concurrency: opts.Concurrency,
		Randomize: opts.Randomize, Recorder: rec, TestingT: t})
	if err := rec.WriteReports("../reports", openapi.MustLoad(), InProcess{}.Name()); err != nil {
		t.Fatal(err)
	}
	if status != 0 {
		t.Fatal("the conformance features failed")
	}
	if opts.Tags == "" {
		// Every operation of the contract is exercised by at least one scenario.
		for _, row := range rec.Coverage(openapi.MustLoad()) {
			if len(row.Exercised) == 0 {
				t.Errorf("no scenario exercises %s (%s %s)", row.OperationID, row.Method, row.Path)
			}
		}
	}
}
