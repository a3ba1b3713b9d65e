package steps

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/openapi"
)

// Recorder collects what a run of the suite did: each scenario's outcome (with the reason of a
// skip) and every (operation, status) exchanged, for the summary by capability and the
// spec-coverage table. Safe for concurrent scenarios.
type Recorder struct {
	mu        sync.Mutex
	scenarios map[string]*ScenarioResult
	order     []string
	exchanged map[string]map[int]int // operationId → status → count
	started   map[string]time.Time   // scenario id → when it began
	// byScenario is what each scenario exchanged: scenario id → operationId → statuses seen.
	byScenario map[string]map[string]map[int]bool
	begun      time.Time
}

// ScenarioResult is one scenario's outcome.
type ScenarioResult struct {
	ID         string `json:"-"`
	Feature    string
	Name       string
	Capability string
	Status     string // passed, failed, skipped
	Reason     string // why it was skipped or how it failed
	// Duration is how long the scenario took (monotonic, never negative).
	Duration time.Duration
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{scenarios: map[string]*ScenarioResult{}, exchanged: map[string]map[int]int{},
		started: map[string]time.Time{}, byScenario: map[string]map[string]map[int]bool{}, begun: time.Now()}
}

// begin notes when a scenario started, for its duration.
func (r *Recorder) begin(id string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.started[id]; !ok {
		r.started[id] = time.Now()
	}
}

// capabilities maps scenario tags to the capability they are reported under, most specific first.
var capabilities = []struct{ tag, name string }{
	{"@action-provider", "action provider"}, {"@high-assurance", "HA"}, {"@actions", "actions"}, {"@engine", "engine"}, {"@acl", "ACL"},
	{"@transfer", "ACL"}, {"@runs", "runs"}, {"@policies", "auth"}, {"@auth", "auth"}, {"@flows", "flows"},
}

func capabilityOf(tags []string) string {
	for _, c := range capabilities {
		if slices.Contains(tags, c.tag) {
			return c.name
		}
	}
	return "other"
}

func (r *Recorder) scenario(id, feature, name string, tags []string, status, reason string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.scenarios[id]; ok && old.Status == "skipped" {
		return // a skip recorded before the scenario ran stays a skip
	}
	if _, ok := r.scenarios[id]; !ok {
		r.order = append(r.order, id)
	}
	var took time.Duration
	if at, ok := r.started[id]; ok {
		took = max(time.Since(at), 0)
	}
	r.scenarios[id] = &ScenarioResult{ID: id, Feature: feature, Name: name, Capability: capabilityOf(tags), Status: status,
		Reason: reason, Duration: took}
}

// exchange records that a scenario got status from an operation.
func (r *Recorder) exchange(scenarioID, operationID string, status int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.exchanged[operationID] == nil {
		r.exchanged[operationID] = map[int]int{}
	}
	r.exchanged[operationID][status]++
	ops := r.byScenario[scenarioID]
	if ops == nil {
		ops = map[string]map[int]bool{}
		r.byScenario[scenarioID] = ops
	}
	if ops[operationID] == nil {
		ops[operationID] = map[int]bool{}
	}
	ops[operationID][status] = true
}

// Results returns the scenario outcomes in the order they finished.
func (r *Recorder) Results() []ScenarioResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ScenarioResult, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, *r.scenarios[id])
	}
	return out
}

// Failed lists the names of the failed scenarios.
func (r *Recorder) Failed() []string {
	var out []string
	for _, s := range r.Results() {
		if s.Status == "failed" {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Tally is the pass, fail and skip counts of one capability.
type Tally struct {
	Capability              string
	Passed, Failed, Skipped int
}

// Summary counts outcomes by capability, sorted by name.
func (r *Recorder) Summary() []Tally {
	byCap := map[string]*Tally{}
	for _, s := range r.Results() {
		t := byCap[s.Capability]
		if t == nil {
			t = &Tally{Capability: s.Capability}
			byCap[s.Capability] = t
		}
		switch s.Status {
		case "passed":
			t.Passed++
		case "failed":
			t.Failed++
		default:
			t.Skipped++
		}
	}
	out := make([]Tally, 0, len(byCap))
	for _, t := range byCap {
		out = append(out, *t)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Capability < out[b].Capability })
	return out
}

// CoverageRow is one operation of the contract and what the run proved of it: the scenarios
// that exchanged with it by outcome, the statuses seen and the documented statuses never seen. A
// scenario skipped before its first request exchanged with nothing and counts in no row.
type CoverageRow struct {
	openapi.Described
	Passed, Failed, Skipped int
	Exercised               []int // statuses seen
	Missing                 []int // documented statuses never seen
}

// Coverage compares the exchanges with the contract, operation by operation.
func (r *Recorder) Coverage(spec *openapi.Spec) []CoverageRow {
	results := r.Results()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []CoverageRow
	for _, op := range spec.Operations() {
		row := CoverageRow{Described: op}
		for status := range r.exchanged[op.OperationID] {
			row.Exercised = append(row.Exercised, status)
		}
		sort.Ints(row.Exercised)
		for _, st := range op.Statuses {
			if !slices.Contains(row.Exercised, st) {
				row.Missing = append(row.Missing, st)
			}
		}
		for _, sc := range results {
			if _, ok := r.byScenario[sc.ID][op.OperationID]; !ok {
				continue
			}
			switch sc.Status {
			case "passed":
				row.Passed++
			case "failed":
				row.Failed++
			default:
				row.Skipped++
			}
		}
		out = append(out, row)
	}
	return out
}

// Totals counts every scenario by outcome.
func (r *Recorder) Totals() Tally {
	t := Tally{Capability: "all"}
	for _, c := range r.Summary() {
		t.Passed, t.Failed, t.Skipped = t.Passed+c.Passed, t.Failed+c.Failed, t.Skipped+c.Skipped
	}
	return t
}

func ints(list []int) string {
	s := make([]string, len(list))
	for i, n := range list {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " ")
}

// Markdown renders the summary, the skips and failures, and the coverage table.
func (r *Recorder) Markdown(spec *openapi.Spec, target string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance run against %s\n\n", target)
	b.WriteString("| capability | passed | failed | skipped |\n|---|---|---|---|\n")
	for _, t := range r.Summary() {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", t.Capability, t.Passed, t.Failed, t.Skipped)
	}
	all := r.Totals()
	fmt.Fprintf(&b, "| **all** | **%d** | **%d** | **%d** |\n", all.Passed, all.Failed, all.Skipped)
	for _, status := range []string{"failed", "skipped"} {
		var lines []string
		for _, s := range r.Results() {
			if s.Status == status {
				lines = append(lines, fmt.Sprintf("- %s — %s: %s", s.Feature, s.Name, firstLine(s.Reason)))
			}
		}
		if len(lines) > 0 {
			sort.Strings(lines)
			fmt.Fprintf(&b, "\n## %s (%d)\n\n%s\n", strings.ToUpper(status[:1])+status[1:], len(lines), strings.Join(lines, "\n"))
		}
	}
	rows := r.Coverage(spec)
	covered := 0
	for _, row := range rows {
		if len(row.Exercised) > 0 {
			covered++
		}
	}
	fmt.Fprintf(&b, "\n## Conformance by operation: %d of %d operations exercised\n\n", covered, len(rows))
	b.WriteString("Scenarios are counted under each operation they sent a request to; statuses are those the target answered.\n\n")
	b.WriteString("| service | operation | method | path | scenarios passed | failed | skipped | statuses seen | documented, not seen |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %d | %d | %d | %s | %s |\n", row.Service, row.OperationID, row.Method, row.Path,
			row.Passed, row.Failed, row.Skipped, ints(row.Exercised), ints(row.Missing))
	}
	return b.String()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// HTML renders the same report as a small static page.
func (r *Recorder) HTML(spec *openapi.Spec, target string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>Conformance run</title><style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f3f3f3}
.pass{color:#176b2c}.fail{color:#b00020;font-weight:bold}.skip{color:#8a6d00}code{font-size:.9em}
.bar{display:inline-block;height:.8rem}</style></head><body>`)
	fmt.Fprintf(&b, "<h1>Conformance run against %s</h1>", html.EscapeString(target))
	b.WriteString("<table><tr><th>capability</th><th>passed</th><th>failed</th><th>skipped</th><th></th></tr>")
	for _, t := range r.Summary() {
		total := t.Passed + t.Failed + t.Skipped
		bar := func(n int, color string) string {
			if total == 0 {
				return ""
			}
			return fmt.Sprintf(`<span class="bar" style="width:%dpx;background:%s"></span>`, n*200/total, color)
		}
		fmt.Fprintf(&b, `<tr><td>%s</td><td class="pass">%d</td><td class="fail">%d</td><td class="skip">%d</td><td>%s%s%s</td></tr>`,
			html.EscapeString(t.Capability), t.Passed, t.Failed, t.Skipped, bar(t.Passed, "#3c9"), bar(t.Failed, "#e33"), bar(t.Skipped, "#eb3"))
	}
	b.WriteString("</table>")
	for _, status := range []string{"failed", "skipped"} {
		var items []string
		for _, s := range r.Results() {
			if s.Status == status {
				items = append(items, fmt.Sprintf("<li><b>%s</b> — %s<br><small>%s</small></li>",
					html.EscapeString(s.Feature), html.EscapeString(s.Name), html.EscapeString(firstLine(s.Reason))))
			}
		}
		if len(items) > 0 {
			sort.Strings(items)
			fmt.Fprintf(&b, "<h2>%s (%d)</h2><ul>%s</ul>", status, len(items), strings.Join(items, ""))
		}
	}
	b.WriteString("<h2>Conformance by operation</h2><table><tr><th>service</th><th>operation</th><th>method</th><th>path</th>" +
		"<th>scenarios passed</th><th>failed</th><th>skipped</th><th>statuses seen</th><th>documented, not seen</th></tr>")
	for _, row := range r.Coverage(spec) {
		class := "pass"
		if len(row.Exercised) == 0 || row.Failed > 0 {
			class = "fail"
		}
		fmt.Fprintf(&b, `<tr><td>%s</td><td class="%s">%s</td><td>%s</td><td><code>%s</code></td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>`,
			row.Service, class, html.EscapeString(row.OperationID), row.Method, html.EscapeString(row.Path),
			row.Passed, row.Failed, row.Skipped, ints(row.Exercised), ints(row.Missing))
	}
	b.WriteString("</table></body></html>\n")
	return b.String()
}

// JSON renders the same report for programs: totals, capabilities, scenarios and operations.
func (r *Recorder) JSON(spec *openapi.Spec, target string) ([]byte, error) {
	type op struct {
		Service, OperationID, Method, Path string
		Passed, Failed, Skipped            int
		StatusesSeen, DocumentedNotSeen    []int
	}
	type scenario struct {
		Feature, Name, Capability, Status, Reason string
		Seconds                                   float64
	}
	doc := struct {
		Target       string
		Totals       Tally
		Capabilities []Tally
		Scenarios    []scenario
		Operations   []op
	}{Target: target, Totals: r.Totals(), Capabilities: r.Summary()}
	for _, s := range r.Results() {
		doc.Scenarios = append(doc.Scenarios, scenario{s.Feature, s.Name, s.Capability, s.Status, firstLine(s.Reason), s.Duration.Seconds()})
	}
	for _, row := range r.Coverage(spec) {
		doc.Operations = append(doc.Operations, op{string(row.Service), row.OperationID, row.Method, row.Path,
			row.Passed, row.Failed, row.Skipped, orEmpty(row.Exercised), orEmpty(row.Missing)})
	}
	return json.MarshalIndent(doc, "", "  ")
}

func orEmpty(list []int) []int {
	if list == nil {
		return []int{}
	}
	return list
}

// WriteReports writes summary.md, summary.html and summary.json into dir.
func (r *Recorder) WriteReports(dir string, spec *openapi.Spec, target string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := r.JSON(spec, target)
	if err != nil {
		return err
	}
	for name, body := range map[string][]byte{"summary.md": []byte(r.Markdown(spec, target)),
		"summary.html": []byte(r.HTML(spec, target)), "summary.json": append(js, '\n')} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}
