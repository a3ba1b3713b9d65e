package mockserver

import (
	"slices"

	"github.com/globus-conformance/kit/mockserver/auth"
)

// operations is the one table from OpenAPI operation ids to handlers and access rules.
// Flows scopes (reference flows-api.md §10): "all" covers every service operation; view_flows
// reads flows, manage_flows writes them. The first scope listed is the one a 403 names.
func (s *Server) operations() map[string]operation {
	view := []string{auth.FlowsScope("view_flows"), auth.FlowsScope("manage_flows"), auth.FlowsScope("all")}
	manage := []string{auth.FlowsScope("manage_flows"), auth.FlowsScope("all")}
	// Runs: run_status reads runs and logs, run_manage changes them; starting and resuming need
	// the flow's own scope, which the handlers check (it depends on the flow).
	runStatus := []string{auth.FlowsScope("run_status"), auth.FlowsScope("run_manage"), auth.FlowsScope("all")}
	runManage := []string{auth.FlowsScope("run_manage"), auth.FlowsScope("all")}
	// Web inputs are answered by people who may hold no role on the flow or run: any Flows
	// scope will do.
	webInput := []string{auth.FlowsScope("all"), auth.FlowsScope("run_status"), auth.FlowsScope("run_manage"),
		auth.FlowsScope("run"), auth.FlowsScope("view_flows"), auth.FlowsScope("manage_flows")}
	transferScopes := []string{"urn:globus:auth:scope:transfer.api.globus.org:all"}
	projectScopes := []string{"urn:globus:auth:scope:auth.globus.org:manage_projects"}
	authScopes := []string{"urn:globus:auth:scope:auth.globus.org:view_identities", "openid", "profile", "email",
		"urn:globus:auth:scope:auth.globus.org:view_identity_set"}
	groupScopes := []string{"urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
		"urn:globus:auth:scope:groups.api.globus.org:all"}
	return map[string]operation{
		"listFlows":           {scopes: view, fn: s.listFlows},
		"createFlow":          {scopes: manage, fn: s.createFlow},
		"validateFlow":        {scopes: manage, fn: s.validateFlow},
		"getFlow":             {scopes: view, fn: s.getFlow},
		"updateFlow":          {scopes: manage, fn: s.updateFlow},
		"deleteFlow":          {scopes: manage, fn: s.deleteFlow},
		"runFlow":             {fn: s.runFlow},
		"validateRun":         {fn: s.validateRun},
		"listRuns":            {scopes: runStatus, fn: s.listRuns},
		"listFlowRuns":        {scopes: runStatus, fn: s.listFlowRuns},
		"getRun":              {scopes: runStatus, fn: s.getRun},
		"getFlowRunStatus":    {scopes: runStatus, fn: s.getRun},
		"updateRun":           {scopes: runManage, fn: s.updateRun},
		"getRunDefinition":    {scopes: runStatus, fn: s.getRunDefinition},
		"cancelRun":           {scopes: runManage, fn: s.cancelRun},
		"cancelFlowRun":       {scopes: runManage, fn: s.cancelRun},
		"releaseRun":          {scopes: runManage, fn: s.releaseRun},
		"releaseFlowRun":      {scopes: runManage, fn: s.releaseRun},
		"resumeRun":           {fn: s.resumeRun},
		"resumeFlowRun":       {fn: s.resumeRun},
		"batchUpdateRuns":     {scopes: runManage, fn: s.batchUpdateRuns},
		"listRegisteredApis":  {scopes: view, fn: s.listRegisteredAPIs},
		"listWebInputs":       {scopes: webInput, fn: s.listWebInputs},
		"getWebInput":         {scopes: webInput, fn: s.getWebInput},
		"respondToWebInput":   {scopes: webInput, fn: s.respondToWebInput},
		"createRegisteredApi": {scopes: manage, fn: s.createRegisteredAPI},
		"getRegisteredApi":    {scopes: view, fn: s.getRegisteredAPI},
		"updateRegisteredApi": {scopes: manage, fn: s.updateRegisteredAPI},
		"deleteRegisteredApi": {scopes: manage, fn: s.deleteRegisteredAPI},
		"getRunLogs":          {scopes: runStatus, fn: s.getRunLogs},
		"getFlowRunLogs":      {scopes: runStatus, fn: s.getRunLogs},
		"getFlowRunLogLegacy": {scopes: runStatus, fn: s.getRunLogs},
		"getEndpoint":         {scopes: transferScopes, fn: s.getEndpoint},
		"listAccessRules":     {scopes: transferScopes, fn: s.listAccessRules},
		"createAccessRule":    {scopes: transferScopes, fn: s.createAccessRule},
		"getAccessRule":       {scopes: transferScopes, fn: s.getAccessRule},
		"updateAccessRule":    {scopes: transferScopes, fn: s.updateAccessRule},
		"deleteAccessRule":    {scopes: transferScopes, fn: s.deleteAccessRule},
		"listRoles":           {scopes: transferScopes, fn: s.listRoles},
		"createRole":          {scopes: transferScopes, fn: s.createRole},
		"getRole":             {scopes: transferScopes, fn: s.getRole},
		"deleteRole":          {scopes: transferScopes, fn: s.deleteRole},
		"listProjects":        {scopes: projectScopes, fn: s.listProjects},
		"createProject":       {scopes: projectScopes, fn: s.createProject},
		"getProject":          {scopes: projectScopes, fn: s.getProject},
		"updateProject":       {scopes: projectScopes, fn: s.updateProject},
		"deleteProject":       {scopes: projectScopes, fn: s.deleteProject},
		"listPolicies":        {scopes: projectScopes, fn: s.listPolicies},
		"createPolicy":        {scopes: projectScopes, fn: s.createPolicy},
		"getPolicy":           {scopes: projectScopes, fn: s.getPolicy},
		"updatePolicy":        {scopes: projectScopes, fn: s.updatePolicy},
		"deletePolicy":        {scopes: projectScopes, fn: s.deletePolicy},
		"issueToken":          {auth: clientAuth, fn: s.issueToken},
		"introspectToken":     {auth: basicAuth, fn: s.introspectToken},
		"authorize":           {auth: browserAuth, fn: s.authorize},
		"revokeToken":         {auth: clientAuth, fn: s.revokeToken},
		"validateToken":       {auth: clientAuth, fn: s.validateToken},
		"submitLogin":         {auth: browserAuth, fn: s.submitLogin},
		"authCodePage":        {auth: browserAuth, fn: s.authCodePage},
		"getIdentities":       {scopes: authScopes, fn: s.getIdentities},
		"getMyGroups":         {scopes: groupScopes, fn: s.getMyGroups},
		"openIDConfiguration": {auth: publicAuth, fn: s.openIDConfiguration},
		"getJWKS":             {auth: publicAuth, fn: s.jwks},
		"userinfo":            {scopes: []string{auth.OpenIDScope}, fn: s.userinfo},
		// A template needs no credentials: the native client it names holds none.
		"createClient": {auth: clientAuth, fn: s.createClient},
		"getClient":    {auth: basicAuth, fn: s.getClient},
		"deleteClient": {auth: basicAuth, fn: s.deleteClient},
		"getConsents":  {scopes: append(slices.Clip(authScopes), auth.ViewConsentsScope), fn: s.getConsents},
	}
}
