package runs

import (
	"time"

	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/jsonw"
)

// AppendJSON writes the run document as encoding/json would write its fields, without reflection
// (run documents answer every run start and fill run listings; document_test compares the two).
func (d Document) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonw.String(append(b, `{"run_id":`...), d.RunID)
	b = jsonw.String(append(b, `,"action_id":`...), d.ActionID)
	b = jsonw.String(append(b, `,"flow_id":`...), d.FlowID)
	b = jsonw.String(append(b, `,"flow_title":`...), d.FlowTitle)
	b = appendTimestamp(append(b, `,"flow_last_updated":`...), d.FlowLastUpdated)
	b = appendTimestamp(append(b, `,"start_time":`...), d.StartTime)
	if d.CompletionTime != nil {
		b = appendTimestamp(append(b, `,"completion_time":`...), *d.CompletionTime)
	}
	b = jsonw.String(append(b, `,"label":`...), d.Label)
	b = jsonw.String(append(b, `,"status":`...), d.Status)
	b = jsonw.String(append(b, `,"display_status":`...), d.DisplayStatus)
	if b, err = jsonw.Value(append(b, `,"details":`...), d.Details); err != nil {
		return b, err
	}
	b = jsonw.String(append(b, `,"run_owner":`...), d.RunOwner)
	b = jsonw.String(append(b, `,"created_by":`...), d.CreatedBy)
	b = jsonw.Strings(append(b, `,"run_managers":`...), d.RunManagers)
	b = jsonw.Strings(append(b, `,"run_monitors":`...), d.RunMonitors)
	b = jsonw.Strings(append(b, `,"manage_by":`...), d.ManageBy)
	b = jsonw.Strings(append(b, `,"monitor_by":`...), d.MonitorBy)
	b = jsonw.String(append(b, `,"user_role":`...), d.UserRole)
	b = jsonw.Strings(append(b, `,"user_roles":`...), d.UserRoles)
	b = jsonw.Strings(append(b, `,"tags":`...), d.Tags)
	b = jsonw.OptionalString(append(b, `,"blocking_web_input_id":`...), d.BlockingWebInputID)
	if b, err = jsonw.Value(append(b, `,"activity_notification_policy":`...), d.NotificationPolicy); err != nil {
		return b, err
	}
	if d.FlowDescription != nil {
		if b, err = jsonw.Value(append(b, `,"flow_description":`...), *d.FlowDescription); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// MarshalJSON lets encoding/json write run documents inside other answers the same way.
func (d Document) MarshalJSON() ([]byte, error) { return d.AppendJSON(nil) }

// AppendJSON writes the entry with the Flows timestamp form.
func (e Entry) AppendJSON(b []byte) ([]byte, error) {
	b = appendTimestamp(append(b, `{"time":`...), Timestamp(e.Time))
	b = jsonw.String(append(b, `,"code":`...), e.Code)
	b = jsonw.String(append(b, `,"description":`...), e.Description)
	b, err := jsonw.Value(append(b, `,"details":`...), e.Details)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

// MarshalJSON writes the entry with the Flows timestamp form.
func (e Entry) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil) }

func appendTimestamp(b []byte, t Timestamp) []byte {
	return flows.AppendQuotedTimestamp(b, time.Time(t))
}
