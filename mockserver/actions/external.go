package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/globus-conformance/kit/mockserver/ids"
)

// External speaks the Action Provider API over HTTP to providers outside the mock: POST
// {url}/run, GET {url}/{id}/status, POST {url}/{id}/cancel|release|resume, each with the token
// minted for the provider's scope on the run user's behalf (reference flow-engine.md §4).
type External struct {
	Client *http.Client
}

// NewExternal returns an HTTP provider client with a short timeout.
func NewExternal() *External { return &External{Client: &http.Client{Timeout: 10 * time.Second}} }

func (e *External) do(method, url, token string, body any) (int, map[string]any, error) {
	status, v, err := e.Send(method, url, token, nil, body, body != nil)
	doc, _ := v.(map[string]any)
	if err == nil && doc == nil {
		doc = map[string]any{"description": fmt.Sprint(v)}
	}
	return status, doc, err
}

// Send makes one HTTP request with a bearer token (none when empty) and answers the status and the body:
// decoded JSON, else its text (at most 1 MiB is read).
func (e *External) Send(method, url, token string, header map[string]string, body any, hasBody bool) (int, any, error) {
	var rd io.Reader
	if hasBody {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		doc = string(data)
	}
	return resp.StatusCode, doc, nil
}

// Run starts an action at an external provider; a non-2xx answer or no answer is an Unable.
func (e *External) Run(c Call, token string) (map[string]any, error) {
	req := map[string]any{"request_id": ids.UUID(), "body": c.Body, "manage_by": principals(c.ManageBy), "monitor_by": principals(c.MonitorBy)}
	if c.Label != "" {
		req["label"] = c.Label
	}
	status, doc, err := e.do(http.MethodPost, normalizeURL(c.URL)+"/run", token, req)
	if err != nil {
		return nil, &Unable{HTTPStatus: http.StatusBadGateway, Body: map[string]any{"code": "ProviderUnreachable", "description": err.Error()}}
	}
	if status < 200 || status > 299 {
		return nil, &Unable{HTTPStatus: status, Body: doc}
	}
	if _, ok := doc["action_id"].(string); !ok {
		return nil, &Unable{HTTPStatus: http.StatusBadGateway, Body: map[string]any{"code": "InvalidProviderResponse", "description": "the provider's answer has no action_id"}}
	}
	return doc, nil
}

// Status polls an external action.
func (e *External) Status(url, id, token string) (map[string]any, error) {
	status, doc, err := e.do(http.MethodGet, normalizeURL(url)+"/"+id+"/status", token, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("status of action %s at %s: HTTP %d", id, url, status)
	}
	return doc, nil
}

// Cancel stops an external action (best effort).
func (e *External) Cancel(url, id, token string) {
	_, _, _ = e.do(http.MethodPost, normalizeURL(url)+"/"+id+"/cancel", token, nil)
}

// Release forgets an external action (best effort).
func (e *External) Release(url, id, token string) {
	_, _, _ = e.do(http.MethodPost, normalizeURL(url)+"/"+id+"/release", token, nil)
}

// Resume hints an external action to go on (best effort).
func (e *External) Resume(url, id, token string) {
	_, _, _ = e.do(http.MethodPost, normalizeURL(url)+"/"+id+"/resume", token, nil)
}
