package steps

import (
	"flag"
	"os"
	"testing"

	"github.com/cucumber/godog"
)

// opts are the godog options; override them with -godog.* flags, for example
//
//	go test ./steps -run TestFeatures -godog.tags=@flows
//	go test ./steps -run 'TestFeatures/Listing' -godog.format=pretty
var opts = godog.Options{
	Paths:       []string{"../features"},
	Strict:      true,
	Randomize:   -1, // random order, seed printed on failure
	Concurrency: 4,
	Format:      "progress,junit:../reports/junit.xml,cucumber:../reports/cucumber.json",
}

func init() { godog.BindCommandLineFlags("godog.", &opts) }

// TestFeatures runs every scenario of features/ against a fresh in-process mock per scenario.
func TestFeatures(t *testing.T) {
	if !flag.Parsed() {
		flag.Parse()
	}
	if err := os.MkdirAll("../reports", 0o755); err != nil {
		t.Fatal(err)
	}
	o := opts
	o.TestingT = t
	suite := godog.TestSuite{
		Name:                "conformance",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { Initialize(sc, InProcess{}) },
		Options:             &o,
	}
	if suite.Run() != 0 {
		t.Fatal("the conformance features failed")
	}
}
