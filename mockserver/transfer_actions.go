package mockserver

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/transfer"
)

// The Transfer action providers (reference flow-engine.md §4 "Transfer APs"), acting as the run's
// user on the collections' file trees and ACL rules: transfer, delete, ls, stat, mkdir,
// collection_info and manage_permission. Errors of the Transfer API become action failures.

// TransferActionsURL is the base of the Transfer action providers.
const TransferActionsURL = "https://transfer.actions.globus.org/"

// TransferRate is the virtual speed of transfers: a transfer stays ACTIVE for its bytes at this
// rate (at least one second) on the mock clock.
const TransferRate = 100 << 20 // bytes per second

func (s *Server) transferProviders(b map[string]actions.Provider) {
	actions.Provide(b, TransferActionsURL+"transfer", s.transferAction)
	actions.Provide(b, TransferActionsURL+"delete", s.deleteAction)
	actions.Provide(b, TransferActionsURL+"ls", s.lsAction)
	actions.Provide(b, TransferActionsURL+"stat", s.statAction)
	actions.Provide(b, TransferActionsURL+"mkdir", s.mkdirAction)
	actions.Provide(b, TransferActionsURL+"collection_info", s.collectionInfoAction)
	actions.Provide(b, TransferActionsURL+"manage_permission", s.managePermissionAction)
}

func callerWho(c actions.Call) transfer.Who {
	w := transfer.Who{GroupIDs: c.Caller.GroupIDs}
	for _, i := range c.Caller.IdentitySet {
		w.IdentityIDs = append(w.IdentityIDs, i.ID)
	}
	return w
}

// input reads an action body; missing required strings make the provider refuse the action.
type input struct {
	m       map[string]any
	missing []string
}

func newInput(c actions.Call) input {
	m, _ := c.Body.(map[string]any)
	return input{m: m}
}

// str reads the first present of several names (the providers accept old and new spellings).
func (in *input) str(names ...string) string {
	for _, n := range names {
		if v, ok := in.m[n].(string); ok && v != "" {
			return v
		}
	}
	in.missing = append(in.missing, names[0])
	return ""
}

func (in *input) refused() *actions.Unable {
	if len(in.missing) == 0 {
		return nil
	}
	return &actions.Unable{HTTPStatus: 400, Body: map[string]any{"code": "InvalidInput",
		"description": "Missing required input: " + strings.Join(in.missing, ", ")}}
}

// failedWith turns a Transfer API error into a FAILED action.
func failedWith(err error) actions.Outcome {
	details := map[string]any{"code": "UnknownError", "description": err.Error()}
	if e, ok := apierr.As(err); ok {
		details = map[string]any{"code": e.Code, "description": e.Detail, "http_status": statusByKind[e.Kind]}
	}
	return actions.Outcome{Status: actions.Failed, Details: details}
}

func fileDoc(f transfer.File) map[string]any {
	return map[string]any{"DATA_TYPE": "file", "name": path.Base(f.Path), "type": f.Type, "size": f.Size,
		"last_modified": f.Modified.UTC().Format("2006-01-02 15:04:05+00:00"), "permissions": "0755",
		"user": nil, "group": nil, "link_target": nil}
}

func (s *Server) lsAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	ep, p := in.str("endpoint_id", "endpoint"), in.str("path")
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	files, err := s.collections.List(ep, callerWho(c), p)
	if err != nil {
		return failedWith(err), nil
	}
	total := len(files)
	offset, limit := intArg(in.m["offset"], 0), intArg(in.m["limit"], 100000)
	files = files[min(offset, total):min(offset+limit, total)]
	data := make([]any, len(files))
	for i, f := range files {
		data[i] = fileDoc(f)
	}
	return actions.Outcome{Status: actions.Succeeded, Details: map[string]any{"DATA_TYPE": "file_list", "endpoint": ep,
		"path": p, "DATA": data, "length": len(data), "total": total, "offset": offset, "limit": limit}}, nil
}

func (s *Server) statAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	ep, p := in.str("endpoint_id", "endpoint"), in.str("path")
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	f, err := s.collections.Stat(ep, callerWho(c), p)
	if e, ok := apierr.As(err); ok && e.Kind == apierr.NotFound && e.Code == "ClientError.NotFound" {
		// The example flows test for a missing path with 'code' in details: the action succeeds.
		return actions.Outcome{Status: actions.Succeeded, Details: map[string]any{"code": "NotFound", "message": e.Detail, "path": p}}, nil
	}
	if err != nil {
		return failedWith(err), nil
	}
	return actions.Outcome{Status: actions.Succeeded, Details: fileDoc(f)}, nil
}

func (s *Server) mkdirAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	ep, p := in.str("endpoint_id", "endpoint"), in.str("path")
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	if err := s.collections.Mkdir(ep, callerWho(c), p); err != nil {
		return failedWith(err), nil
	}
	return actions.Outcome{Status: actions.Succeeded, Details: map[string]any{"DATA_TYPE": "mkdir_result", "code": "DirectoryCreated",
		"message": "The directory was created successfully", "path": p}}, nil
}

func (s *Server) collectionInfoAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	ep := in.str("endpoint_id", "endpoint")
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	doc, err := s.endpointDoc(ep, callerWho(c))
	if err != nil {
		return failedWith(err), nil
	}
	return actions.Outcome{Status: actions.Succeeded, Details: doc}, nil
}

// taskDoc is a Transfer task document as the transfer and delete providers report it.
func taskDoc(id, kind, status string, extra map[string]any) map[string]any {
	doc := map[string]any{"DATA_TYPE": "task", "task_id": id, "type": kind, "status": status, "nice_status": nil}
	for k, v := range extra {
		doc[k] = v
	}
	return doc
}

func (s *Server) transferAction(c actions.Call, now time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	src, dst := in.str("source_endpoint", "source_endpoint_id"), in.str("destination_endpoint", "destination_endpoint_id")
	raw, ok := in.m["DATA"].([]any)
	if !ok {
		raw, ok = in.m["transfer_items"].([]any)
	}
	if !ok || len(raw) == 0 {
		in.missing = append(in.missing, "DATA")
	}
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	var items []transfer.Item
	for _, r := range raw {
		m, _ := r.(map[string]any)
		sp, _ := m["source_path"].(string)
		dp, _ := m["destination_path"].(string)
		recursive := true // a directory is copied recursively unless the item says otherwise
		if v, ok := m["recursive"].(bool); ok {
			recursive = v
		}
		items = append(items, transfer.Item{Source: sp, Destination: dp, Recursive: recursive})
	}
	label, _ := in.m["label"].(string)
	plan, err := s.collections.PlanCopy(src, dst, callerWho(c), items)
	if err != nil {
		return failedWith(err), nil
	}
	taskID := ids.UUID()
	// At least a second, and no longer than a run lives (the action times out before anyway).
	seconds := min(max(1, float64(plan.Bytes)/TransferRate), clock.MaxRun.Seconds())
	return actions.Outcome{
		Status:  actions.Succeeded,
		Details: taskDoc(taskID, "TRANSFER", "ACTIVE", nil),
		Delay:   time.Duration(seconds * float64(time.Second)),
		Commit: func() actions.Outcome {
			if err := s.collections.Copy(plan); err != nil {
				return failedWith(err)
			}
			return actions.Outcome{Status: actions.Succeeded, Details: taskDoc(taskID, "TRANSFER", "SUCCEEDED", map[string]any{
				"source_endpoint_id": src, "destination_endpoint_id": dst, "label": nilIfEmpty(label),
				"files": plan.Files, "files_transferred": plan.Files, "bytes_transferred": plan.Bytes,
				"request_time": now.UTC().Format(time.RFC3339)})}
		},
	}, nil
}

func (s *Server) deleteAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	ep := in.str("endpoint", "endpoint_id")
	raw, ok := in.m["DATA"].([]any)
	if !ok || len(raw) == 0 {
		in.missing = append(in.missing, "DATA")
	}
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	var paths []string
	for _, r := range raw {
		m, _ := r.(map[string]any)
		if p, ok := m["path"].(string); ok {
			paths = append(paths, p)
		}
	}
	recursive, _ := in.m["recursive"].(bool)
	taskID := ids.UUID()
	return actions.Outcome{
		Status: actions.Succeeded, Details: taskDoc(taskID, "DELETE", "ACTIVE", nil), Delay: time.Second,
		Commit: func() actions.Outcome {
			if err := s.collections.Delete(ep, callerWho(c), paths, recursive); err != nil {
				return failedWith(err)
			}
			return actions.Outcome{Status: actions.Succeeded, Details: taskDoc(taskID, "DELETE", "SUCCEEDED",
				map[string]any{"source_endpoint_id": ep, "files": len(paths)})}
		},
	}, nil
}

// managePermissionAction creates, updates or deletes an ACL rule as the run's user; the ACL API's
// own errors (Exists, PermissionDenied, ...) make the action FAILED with that code.
func (s *Server) managePermissionAction(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	in := newInput(c)
	op, ep := strings.ToUpper(in.str("operation")), in.str("endpoint_id")
	if u := in.refused(); u != nil {
		return actions.Outcome{}, u
	}
	str := func(k string) *string {
		if v, ok := in.m[k].(string); ok {
			return &v
		}
		return nil
	}
	w := callerWho(c)
	resource := "/endpoint/" + ep + "/access"
	switch op {
	case "CREATE":
		// The provider takes a folder as the example flows give it ("/~/dir" or "/dir") and hands
		// the ACL API the directory form it requires ("/dir/").
		var rulePath *string
		if p := str("path"); p != nil {
			clean, err := transfer.CleanPath(*p)
			if err != nil {
				return failedWith(err), nil
			}
			if !strings.HasSuffix(clean, "/") {
				clean += "/"
			}
			rulePath = &clean
		}
		r, err := s.collections.AddRule(ep, w, transfer.RuleInput{PrincipalType: str("principal_type"), Principal: str("principal"),
			Path: rulePath, Permissions: str("permissions"), ExpirationDate: str("expiration_date"),
			NotifyEmail: str("notify_email"), NotifyMessage: str("notify_message")})
		if err != nil {
			return failedWith(err), nil
		}
		return actions.Outcome{Status: actions.Succeeded, Details: map[string]any{"DATA_TYPE": "access_create_result", "code": "Created",
			"message": "Access rule created successfully.", "access_id": r.ID, "resource": resource, "request_id": ids.UUID()}}, nil
	case "UPDATE", "DELETE":
		ruleID := in.str("rule_id")
		if u := in.refused(); u != nil {
			return actions.Outcome{}, u
		}
		var err error
		code := "Updated"
		if op == "UPDATE" {
			_, err = s.collections.UpdateRule(ep, ruleID, w, transfer.RuleInput{Permissions: str("permissions"), ExpirationDate: str("expiration_date")})
		} else {
			code, err = "Deleted", s.collections.DeleteRule(ep, ruleID, w)
		}
		if err != nil {
			return failedWith(err), nil
		}
		return actions.Outcome{Status: actions.Succeeded, Details: map[string]any{"DATA_TYPE": "result", "code": code,
			"message": fmt.Sprintf("Access rule '%s' %s successfully", ruleID, strings.ToLower(code)), "resource": resource + "/" + ruleID}}, nil
	}
	return actions.Outcome{}, &actions.Unable{HTTPStatus: 400, Body: map[string]any{"code": "InvalidInput",
		"description": "operation must be CREATE, UPDATE or DELETE"}}
}

// intArg reads a non-negative integer argument, or def.
func intArg(v any, def int) int {
	var n int
	if _, err := fmt.Sscan(fmt.Sprint(v), &n); err != nil || v == nil || n < 0 {
		return def
	}
	return n
}
