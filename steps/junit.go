package steps

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// JUnit XML as CI systems read it (the Ant/Surefire dialect): a skipped test case carries
// <skipped message="why"/> and counts in the suite's skipped attribute, so a CI page shows the
// same passed, failed and skipped numbers as the console and summary.md.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	junitCounts
	Cases []junitCase `xml:"testcase"`
}

// junitCounts are the attributes both levels carry.
type junitCounts struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", max(d, 0).Seconds()) }

// JUnit renders the scenario outcomes as JUnit XML: a test suite per feature, a test case per
// scenario (outline rows of the same name numbered as godog numbers them).
func (r *Recorder) JUnit(name string) ([]byte, error) {
	byFeature := map[string][]ScenarioResult{}
	for _, s := range r.Results() {
		byFeature[s.Feature] = append(byFeature[s.Feature], s)
	}
	doc := junitSuites{junitCounts: junitCounts{Name: name, Time: seconds(time.Since(r.begun))}}
	features := make([]string, 0, len(byFeature))
	for f := range byFeature {
		features = append(features, f)
	}
	sort.Strings(features)
	for _, f := range features {
		list := byFeature[f]
		sort.SliceStable(list, func(a, b int) bool { return list[a].ID < list[b].ID })
		suite := junitSuite{junitCounts: junitCounts{Name: f}}
		seen, named := map[string]int{}, map[string]int{}
		for _, s := range list {
			seen[s.Name]++
		}
		var took time.Duration
		for _, s := range list {
			c := junitCase{ClassName: f, Name: s.Name, Time: seconds(s.Duration)}
			if seen[s.Name] > 1 {
				named[s.Name]++
				c.Name = fmt.Sprintf("%s #%d", s.Name, named[s.Name])
			}
			switch s.Status {
			case "failed":
				c.Failure = &junitMessage{Message: firstLine(s.Reason), Text: s.Reason}
				suite.Failures++
			case "skipped":
				c.Skipped = &junitMessage{Message: firstLine(s.Reason)}
				suite.Skipped++
			}
			suite.Tests++
			took += s.Duration
			suite.Cases = append(suite.Cases, c)
		}
		suite.Time = seconds(took)
		doc.Tests, doc.Failures, doc.Skipped = doc.Tests+suite.Tests, doc.Failures+suite.Failures, doc.Skipped+suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	return append([]byte(xml.Header), append(out, '\n')...), err
}

// WriteJUnit writes the JUnit report to path.
func (r *Recorder) WriteJUnit(path, name string) error {
	b, err := r.JUnit(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
