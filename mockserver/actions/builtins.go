package actions

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/engine"
)

// The hosted providers Globus's example flows call (reference flow-engine.md §4), in process.

// Built-in provider URLs.
const (
	HelloWorldURL     = "https://actions.globus.org/hello_world"
	ExpressionEvalURL = "https://actions.globus.org/expression_eval"
	NotifyURL         = "https://actions.globus.org/notification/notify"
	WaitForOptionURL  = "https://actions.globus.org/weboption/wait_for_option"
)

// Outbox collects the e-mails the notification provider "sends".
type Outbox struct {
	mu   sync.Mutex
	mail []Mail
}

// Mail is one sent notification.
type Mail struct {
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	RunID   string    `json:"run_id"`
	Time    time.Time `json:"time"`
}

// Messages returns the mail sent so far.
func (o *Outbox) Messages() []Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Mail(nil), o.mail...)
}

// Send adds a message (run status notifications).
func (o *Outbox) Send(to, subject, body, runID string, now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail = append(o.mail, Mail{To: to, Subject: subject, Body: body, RunID: runID, Time: now})
}

// Clear empties the outbox.
func (o *Outbox) Clear() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail = nil
}

func bodyObject(c Call) (map[string]any, *Unable) {
	m, ok := c.Body.(map[string]any)
	if !ok {
		return nil, unable(400, "InvalidInput", "the action body must be an object")
	}
	return m, nil
}

func unable(status int, code, format string, args ...any) *Unable {
	return &Unable{HTTPStatus: status, Body: map[string]any{"code": code, "description": fmt.Sprintf(format, args...)}}
}

func succeeded(details any) Outcome { return Outcome{Status: Succeeded, Details: details} }

// helloWorld echoes echo_string; sleep_time keeps it ACTIVE for that many (mock) seconds.
func helloWorld(c Call, _ time.Time) (Outcome, *Unable) {
	b, u := bodyObject(c)
	if u != nil {
		return Outcome{}, u
	}
	echo, ok := b["echo_string"].(string)
	if !ok {
		return Outcome{}, unable(400, "InvalidInput", "echo_string is required and must be a string")
	}
	out := succeeded(map[string]any{"Hello": "World", "hello": echo})
	if v, ok := b["sleep_time"]; ok {
		var secs float64
		fmt.Sscan(fmt.Sprint(v), &secs)
		d, ok := clock.Seconds(secs, clock.MaxRun)
		if !ok {
			return Outcome{}, unable(400, "InvalidInput", "sleep_time must be between 0 and %d seconds", int64(clock.MaxRun/time.Second))
		}
		out.Delay = d
	}
	return out, nil
}

// expressionEval evaluates expression(s) with arguments into details at result_path (default
// "result"), with the same evaluator as `.=` keys.
func expressionEval(c Call, _ time.Time) (Outcome, *Unable) {
	b, u := bodyObject(c)
	if u != nil {
		return Outcome{}, u
	}
	var items []map[string]any
	if list, ok := b["expressions"].([]any); ok {
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				items = append(items, m)
			}
		}
	} else {
		items = []map[string]any{b}
	}
	details := map[string]any{}
	for _, it := range items {
		src, ok := it["expression"].(string)
		if !ok {
			return Outcome{}, unable(400, "InvalidInput", "expression is required")
		}
		args, _ := it["arguments"].(map[string]any)
		v, err := engine.Eval(src, args, nil)
		if err != nil {
			return Outcome{Status: Failed, Details: map[string]any{"code": "ExpressionEvaluationFailed", "description": err.Error()}}, nil
		}
		rp, _ := it["result_path"].(string)
		if rp == "" {
			rp = "result"
		}
		if !strings.HasPrefix(rp, "$") {
			rp = "$." + rp
		}
		got, err := engine.Put(details, rp, v)
		if err != nil {
			return Outcome{}, unable(400, "InvalidInput", "result_path: %v", err)
		}
		details = got.(map[string]any)
	}
	return succeeded(details), nil
}

var placeholder = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// notify "sends" an e-mail into the outbox; body_template placeholders ($name) take body_variables.
func (o *Outbox) notify(c Call, now time.Time) (Outcome, *Unable) {
	b, u := bodyObject(c)
	if u != nil {
		return Outcome{}, u
	}
	to, _ := b["destination"].(string)
	if to == "" || !strings.Contains(to, "@") {
		return Outcome{}, unable(400, "InvalidInput", "destination must be an e-mail address")
	}
	vars, _ := b["body_variables"].(map[string]any)
	tmpl, _ := b["body_template"].(string)
	body := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok {
			return fmt.Sprint(v)
		}
		return m
	})
	subject, _ := b["subject"].(string)
	o.mu.Lock()
	o.mail = append(o.mail, Mail{To: to, Subject: subject, Body: body, RunID: c.RunID, Time: now})
	o.mu.Unlock()
	return succeeded(map[string]any{"destination": to, "subject": subject}), nil
}

// Builtins lists the in-process providers by URL; more are added by the caller (Transfer).
func Builtins(outbox *Outbox) map[string]Provider {
	return map[string]Provider{
		HelloWorldURL:     helloWorld,
		ExpressionEvalURL: expressionEval,
		NotifyURL:         outbox.notify,
		WaitForOptionURL:  waitForOption,
	}
}

// Provide adds an in-process provider.
func Provide(b map[string]Provider, url string, fn func(c Call, now time.Time) (Outcome, *Unable)) {
	b[normalizeURL(url)] = fn
}

// waitForOption waits for a person to pick one of the options: the action (and its run) is
// INACTIVE until a selection arrives (control plane POST /_mock/actions/{id}/select).
func waitForOption(c Call, _ time.Time) (Outcome, *Unable) {
	b, u := bodyObject(c)
	if u != nil {
		return Outcome{}, u
	}
	options, ok := b["options"].([]any)
	if !ok || len(options) == 0 {
		return Outcome{}, unable(400, "InvalidInput", "options must be a non-empty list")
	}
	for i, o := range options {
		m, ok := o.(map[string]any)
		if _, named := m["name"].(string); !ok || !named {
			return Outcome{}, unable(400, "InvalidInput", "options[%d] needs a name", i)
		}
	}
	return Outcome{Status: Inactive, Details: map[string]any{"code": "WaitingForUserSelection",
		"description": "Waiting for a selection among the options", "options": options}}, nil
}
