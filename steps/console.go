package steps

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
)

// godog's console formatters count a scenario whose steps were all skipped as passed; these
// wrappers keep godog's output and replace its scenario count with the recorder's, so the
// console says what summary.md and junit.xml say.
func init() {
	godog.Format("kit-progress", "godog's progress, with skipped scenarios counted", func(suite string, out io.Writer) formatters.Formatter {
		w := &heldWriter{out: out}
		return &countedProgress{ProgressFmt: godog.NewProgressFmt(suite, w), w: w, suite: suite}
	})
	godog.Format("kit-pretty", "godog's pretty, with skipped scenarios counted", func(suite string, out io.Writer) formatters.Formatter {
		w := &heldWriter{out: out}
		return &countedPretty{PrettyFmt: godog.NewPrettyFmt(suite, w), w: w, suite: suite}
	})
}

// recorders finds a run's recorder by the suite name the formatters are given.
var (
	recorders sync.Map // suite name → *runConsole
	suiteSeq  atomic.Int64
)

type runConsole struct {
	rec    *Recorder
	colors bool
}

func registerRun(rec *Recorder, colors bool) (suite string, done func()) {
	suite = fmt.Sprintf("conformance-%d", suiteSeq.Add(1))
	recorders.Store(suite, &runConsole{rec: rec, colors: colors})
	return suite, func() { recorders.Delete(suite) }
}

type countedProgress struct {
	*godog.ProgressFmt
	w     *heldWriter
	suite string
}

// Summary prints godog's summary with the true scenario count.
func (f *countedProgress) Summary() { f.w.rewrite(f.suite, f.ProgressFmt.Summary) }

type countedPretty struct {
	*godog.PrettyFmt
	w     *heldWriter
	suite string
}

// Summary prints godog's summary with the true scenario count.
func (f *countedPretty) Summary() { f.w.rewrite(f.suite, f.PrettyFmt.Summary) }

// heldWriter passes output through, except while a summary is rewritten.
type heldWriter struct {
	out  io.Writer
	held *bytes.Buffer
}

func (w *heldWriter) Write(p []byte) (int, error) {
	if w.held != nil {
		return w.held.Write(p)
	}
	return w.out.Write(p)
}

var scenarioCount = regexp.MustCompile(`(?m)^\d+ scenarios? \(.*\)$`)

func (w *heldWriter) rewrite(suite string, summary func()) {
	w.held = &bytes.Buffer{}
	summary()
	text := w.held.String()
	w.held = nil
	if v, ok := recorders.Load(suite); ok {
		rc := v.(*runConsole)
		text = scenarioCount.ReplaceAllLiteralString(text, countLine(rc.rec.Totals(), rc.colors))
	}
	_, _ = io.WriteString(w.out, text)
}

// countLine is "N scenarios (p passed, f failed, s skipped)", leaving out zero counts.
func countLine(t Tally, colors bool) string {
	paint := func(code, s string) string {
		if !colors {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	var parts []string
	for _, p := range []struct {
		n          int
		word, code string
	}{{t.Passed, "passed", "32"}, {t.Failed, "failed", "31"}, {t.Skipped, "skipped", "36"}} {
		if p.n > 0 {
			parts = append(parts, paint(p.code, fmt.Sprintf("%d %s", p.n, p.word)))
		}
	}
	total := t.Passed + t.Failed + t.Skipped
	noun := "scenarios"
	if total == 1 {
		noun = "scenario"
	}
	return fmt.Sprintf("%d %s (%s)", total, noun, strings.Join(parts, ", "))
}

// ColorWanted reports whether output to f may carry ANSI colours: only to a terminal, and never
// when NO_COLOR is set (https://no-color.org).
func ColorWanted(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
