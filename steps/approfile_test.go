package steps

import (
	"io"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/globus-conformance/kit/cmd/example-provider/actionprovider"
	"github.com/globus-conformance/kit/features"
	"github.com/globus-conformance/kit/mockserver"
	"github.com/google/go-cmp/cmp"
)

// TestActionProviderProfile runs the action-provider profile against the example provider,
// which passes it, and against copies of it with one defect each, which fail exactly the
// scenarios that state the rule they break.
func TestActionProviderProfile(t *testing.T) {
	const clientID, secret = "9a0f0000-0000-4000-8000-00000000e001", "example-secret"
	srv, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	mock := httptest.NewServer(srv)
	defer mock.Close()
	tests := []struct {
		name   string
		defect func(*actionprovider.Config)
		failed []string
	}{
		{name: "the example provider", defect: func(*actionprovider.Config) {}},
		{name: "ignores request_id", defect: func(c *actionprovider.Config) { c.IgnoreRequestID = true }, failed: []string{
			"The same request_id and the same request give the same action",
			"The same request_id with a different body is refused with 409",
		}},
		{name: "accepts a foreign-scope token", defect: func(c *actionprovider.Config) { c.AcceptForeignScope = true }, failed: []string{
			"Reading an action's status with a token for another scope is refused with 401",
			"Running an action with a token for another scope is refused with 401",
		}},
		{name: "lets a monitor cancel", defect: func(c *actionprovider.Config) { c.MonitorMayManage = true }, failed: []string{
			"A monitor_by principal may read the action and its log but not cancel it",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := actionprovider.Config{AuthURL: mock.URL, ClientID: clientID, Secret: secret}
			tc.defect(&cfg)
			ap := httptest.NewServer(actionprovider.New(cfg))
			defer ap.Close()
			rec := NewRecorder()
			status := Run(RunOptions{FS: features.ActionProvider(), Recorder: rec, Format: "progress", Output: io.Discard, Randomize: 0,
				Target: ActionProvider{Mock: URL{Base: mock.URL}, Provider: ap.URL, ClientID: clientID, Secret: secret,
					DependentScopes: []string{actionprovider.TransferScope}}})
			failed := rec.Failed()
			t.Logf("%d scenarios, failed: %q", len(rec.Results()), failed)
			slices.Sort(failed)
			if diff := cmp.Diff(tc.failed, failed); diff != "" {
				t.Errorf("failed scenarios (-want +got):\n%s", diff)
			}
			if (status == 0) != (len(tc.failed) == 0) {
				t.Errorf("status %d with %d failed scenarios", status, len(failed))
			}
			if len(rec.Results()) < 20 {
				t.Errorf("only %d scenarios ran", len(rec.Results()))
			}
		})
	}
}
