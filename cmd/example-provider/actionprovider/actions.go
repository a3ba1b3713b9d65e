package actionprovider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// runRequest is the body of POST /run (the AP API's ActionRequest).
type runRequest struct {
	RequestID    string          `json:"request_id"`
	Body         json.RawMessage `json:"body"`
	Label        *string         `json:"label,omitempty"`
	ManageBy     []string        `json:"manage_by,omitempty"`
	MonitorBy    []string        `json:"monitor_by,omitempty"`
	ReleaseAfter *string         `json:"release_after,omitempty"`
	Deadline     *string         `json:"deadline,omitempty"`
	Allowed      []string        `json:"allowed_clients,omitempty"`
}

// input is what the action does, decoded from the request's body.
type input struct {
	CollectionID string `json:"collection_id"`
	Path         string `json:"path"`
	Principal    string `json:"principal"`
	Permissions  string `json:"permissions"`
	Wait         int    `json:"wait"`
	NeedsConsent bool   `json:"needs_consent"`
}

type logEntry struct {
	Time        string `json:"time"`
	Code        string `json:"code"`
	Description string `json:"description"`
}

// action is one action and what it needs to go on.
type action struct {
	id, creator, identity string
	fingerprint           string // the request, canonical, for request_id replays
	in                    input
	token                 string // the caller's token, for the dependent-token grant when the work is done
	label                 *string
	manageBy, monitorBy   []string
	status, display       string
	details               map[string]any
	start, completion     time.Time
	waitLeft              int
	log                   []logEntry
}

func (p *Provider) run(w http.ResponseWriter, r *http.Request) {
	c, aerr := p.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, badRequest("the body could not be read"))
		return
	}
	var req runRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, badRequest("the run request is not an ActionRequest: "+err.Error()))
		return
	}
	if req.RequestID == "" || len(req.Body) == 0 {
		writeError(w, badRequest("request_id and body are required"))
		return
	}
	if req.Body[0] != '{' {
		writeError(w, badRequest("body must be an object"))
		return
	}
	if req.Label != nil && (len(*req.Label) < 1 || len(*req.Label) > 64) {
		writeError(w, badRequest("label must be 1 to 64 characters"))
		return
	}
	in, aerr := decodeInput(req.Body)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	fingerprint, _ := json.Marshal(req)
	key := c.identity + " " + req.RequestID

	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok := p.requests[key]; ok && !p.cfg.IgnoreRequestID {
		a := p.actions[id]
		if a == nil {
			writeError(w, conflict("request_id "+req.RequestID+" started an action that has been released"))
			return
		}
		if a.fingerprint != string(fingerprint) {
			writeError(w, conflict("request_id "+req.RequestID+" was used with a different request"))
			return
		}
		writeJSON(w, http.StatusOK, a.document())
		return
	}
	now := p.cfg.Now().UTC()
	a := &action{id: newID(), creator: "urn:globus:auth:identity:" + c.identity, identity: c.identity,
		fingerprint: string(fingerprint), in: in, token: c.token, label: req.Label,
		manageBy: orEmpty(req.ManageBy), monitorBy: orEmpty(req.MonitorBy), start: now, waitLeft: in.Wait}
	a.logf(now, "ActionStarted", "the action started")
	switch {
	case in.NeedsConsent:
		a.status, a.display = "INACTIVE", "INACTIVE"
		a.details = map[string]any{"code": "ConsentRequired", "description": "the user must consent to the provider's Transfer access",
			"required_scope": p.cfg.Scope + "[" + TransferScope + "]"}
		a.logf(now, "ActionInactive", "waiting for consent")
	default:
		p.advance(a)
	}
	p.actions[a.id] = a
	p.requests[key] = a.id
	writeJSON(w, http.StatusAccepted, a.document())
}

func decodeInput(body json.RawMessage) (input, *apError) {
	var in input
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, badRequest("the body does not match the input schema: " + err.Error())
	}
	switch {
	case (in.CollectionID == "") != (in.Path == ""):
		return in, badRequest("collection_id and path go together")
	case in.Wait < 0 || in.Wait > 1000:
		return in, badRequest("wait must be 0..1000")
	case in.Permissions != "" && in.Permissions != "r" && in.Permissions != "rw":
		return in, badRequest(`permissions must be "r" or "rw"`)
	}
	return in, nil
}

// operate answers an operation on an action: status and log for its viewers (the creator,
// monitor_by and manage_by), cancel, release and resume for its managers (the creator and
// manage_by). An action the caller may not see is not found; one the caller sees but may not
// manage is forbidden.
func (p *Provider) operate(w http.ResponseWriter, r *http.Request, id, op string) {
	c, aerr := p.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.actions[id]
	if a == nil || !a.sees(c) {
		writeError(w, notFound("no action "+id))
		return
	}
	if op != "" && op != "log" && !a.manages(c) && !(p.cfg.MonitorMayManage && a.sees(c)) {
		writeError(w, &apError{status: http.StatusForbidden, Code: "ForbiddenRequest", Description: "only the creator and manage_by may " + op + " the action"})
		return
	}
	now := p.cfg.Now().UTC()
	switch op {
	case "":
		if a.status == "ACTIVE" {
			if a.waitLeft > 0 {
				a.waitLeft--
			}
			p.advance(a)
		}
	case "log":
		writeJSON(w, http.StatusOK, map[string]any{"entries": a.log, "count": len(a.log), "has_next_page": false})
		return
	case "cancel":
		if !a.ended() {
			a.finish(now, "FAILED", "CANCELED", map[string]any{"code": "ActionCanceled", "description": "canceled by its manager"})
		}
	case "release":
		if !a.ended() {
			writeError(w, conflict("action "+id+" is "+a.status+": only an ended action (SUCCEEDED or FAILED) may be released"))
			return
		}
		delete(p.actions, id)
		a.logf(now, "ActionReleased", "released")
	case "resume":
		switch a.status {
		case "INACTIVE":
			a.status, a.display, a.details = "ACTIVE", "ACTIVE", map[string]any{}
			a.logf(now, "ActionResumed", "resumed")
			p.advance(a)
		case "SUCCEEDED", "FAILED":
			writeError(w, conflict("action "+id+" has ended; only an INACTIVE action may be resumed"))
			return
		}
	}
	writeJSON(w, http.StatusOK, a.document())
}

// advance moves an ACTIVE (or new) action on: it waits while it has status reads to wait for,
// then does its work and ends.
func (p *Provider) advance(a *action) {
	now := p.cfg.Now().UTC()
	if a.waitLeft > 0 {
		a.status, a.display = "ACTIVE", "ACTIVE"
		a.details = map[string]any{"waiting": a.waitLeft}
		return
	}
	if a.in.CollectionID == "" {
		a.finish(now, "SUCCEEDED", "SUCCEEDED", map[string]any{})
		return
	}
	ruleID, code, msg := p.grant(a)
	if code != "" {
		a.finish(now, "FAILED", "FAILED", map[string]any{"code": code, "description": msg})
		return
	}
	a.finish(now, "SUCCEEDED", "SUCCEEDED", map[string]any{"access_id": ruleID, "collection_id": a.in.CollectionID, "path": a.in.Path})
}

// grant makes the ACL rule as the action's user, with a dependent Transfer token. It answers
// the rule's id, or Transfer's error code and message.
func (p *Provider) grant(a *action) (id, code, msg string) {
	tok, err := p.dependentToken(a.token)
	if err != nil {
		return "", "DependentTokenFailed", err.Error()
	}
	principal, perms := a.in.Principal, a.in.Permissions
	if principal == "" {
		principal = a.identity
	}
	if perms == "" {
		perms = "r"
	}
	rule, _ := json.Marshal(map[string]any{"DATA_TYPE": "access", "principal_type": "identity", "principal": principal,
		"path": a.in.Path, "permissions": perms})
	req, err := http.NewRequest(http.MethodPost, p.cfg.TransferURL+"/v0.10/endpoint/"+a.in.CollectionID+"/access", bytes.NewReader(rule))
	if err != nil {
		return "", "BadRequest", err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := p.client.Do(req)
	if err != nil {
		return "", "TransferUnavailable", err.Error()
	}
	defer resp.Body.Close()
	var doc struct {
		AccessID any    `json:"access_id"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", doc.Code, doc.Message
	}
	return fmt.Sprint(doc.AccessID), "", ""
}

func (a *action) ended() bool { return a.status == "SUCCEEDED" || a.status == "FAILED" }

func (a *action) finish(now time.Time, status, display string, details map[string]any) {
	a.status, a.display, a.details, a.completion = status, display, details, now
	a.logf(now, "Action"+display[:1]+lower(display[1:]), "the action ended "+status)
}

func (a *action) logf(now time.Time, code, desc string) {
	a.log = append(a.log, logEntry{Time: now.Format(time.RFC3339), Code: code, Description: desc})
}

func (a *action) sees(c caller) bool {
	return a.manages(c) || overlaps(a.monitorBy, c.principals)
}

func (a *action) manages(c caller) bool {
	return slices.Contains(c.principals, a.creator) || overlaps(a.manageBy, c.principals)
}

// document is the action's ActionStatus.
func (a *action) document() map[string]any {
	doc := map[string]any{"action_id": a.id, "status": a.status, "display_status": a.display, "details": a.details,
		"creator_id": a.creator, "label": a.label, "manage_by": a.manageBy, "monitor_by": a.monitorBy,
		"release_after": "P30D", "start_time": a.start.Format(time.RFC3339), "completion_time": nil}
	if a.ended() {
		doc["completion_time"] = a.completion.Format(time.RFC3339)
	}
	return doc
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }
