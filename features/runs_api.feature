@runs
Feature: Start, observe and manage runs
  As a client developer building on Globus Flows
  I want the run operations with the documents, errors and permissions of the real service
  So that my client starts, watches and manages runs exactly as it will in production

  Background:
    Given the cast:
      | role       | persona |
      | owner      | alice   |
      | other-user | bob     |
    And the owner has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "input_schema": {"type": "object", "properties": {"n": {"type": "integer"}, "ok": {"type": "boolean"}},
                        "required": ["n"], "additionalProperties": false}}
      """
    And the owner has created a flow "Quick"

  Scenario: Input that fails the flow's input schema is a 400 FLOW_INPUT_ERROR naming the location
    When the owner starts a run "Bad" of the flow "Slow" with:
      """
      {"body": {"n": 1, "ok": "not-a-boolean"}}
      """
    Then the response status is 400
    And the error code is "FLOW_INPUT_ERROR"
    And the error locates "$.ok"
    And the error message mentions "'not-a-boolean' is not of type 'boolean'"
    And the response field "error.message" is "Input failed schema validation with 1 error."

  Scenario: Every schema problem of the input is reported
    When the owner starts a run "Bad" of the flow "Slow" with:
      """
      {"body": {"ok": 3, "extra": true}}
      """
    Then the response status is 400
    And the error locates "$"
    And the error locates "$.ok"
    And the error message mentions "'n' is a required property"
    And the response field "error.message" is "Input failed schema validation with 3 errors."

  Scenario: A run without a body is refused
    When the owner starts a run "Bad" of the flow "Slow" with:
      """
      {"label": "no body"}
      """
    Then the response status is 422
    And the error code is "UNPROCESSABLE_ENTITY"
    And the error locates "body"

  Scenario: A label longer than 64 characters is refused
    When the owner starts a run "Long" of the flow "Quick" with:
      """
      {"body": {}, "label": "12345678901234567890123456789012345678901234567890123456789012345"}
      """
    Then the response status is 422
    And the error locates "label"
    And the error message mentions "at most 64 characters"

  Scenario: An empty tag is refused
    When the owner starts a run "Tagged" of the flow "Quick" with:
      """
      {"body": {}, "tags": ["fine", "   "]}
      """
    Then the response status is 422
    And the error locates "tags.1"

  Scenario: The activity notification policy is kept, and only known statuses are accepted
    When the owner starts a run "Notify" of the flow "Quick" with:
      """
      {"body": {}, "activity_notification_policy": {"status": ["FAILED", "SUCCEEDED"]}}
      """
    Then the response status is 201
    And the response field "activity_notification_policy" is:
      """
      {"status": ["FAILED", "SUCCEEDED"]}
      """
    When the owner starts a run "Wrong" of the flow "Quick" with:
      """
      {"body": {}, "activity_notification_policy": {"status": ["ACTIVE"]}}
      """
    Then the response status is 422
    And the error locates "activity_notification_policy.status.0"

  Scenario: A bad run manager is located
    When the owner starts a run "Managed" of the flow "Quick" with:
      """
      {"body": {}, "run_managers": ["bob@example.org"]}
      """
    Then the response status is 422
    And the error locates "run_managers.0"

  Scenario: A failed start creates no run
    When the owner starts a run "Bad" of the flow "Slow" with:
      """
      {"body": {"n": "three"}}
      """
    And the owner sends GET "/runs?filter_flow_id={flow:Slow}"
    Then the response field "runs" has 0 items

  Scenario: validate_run checks a run without starting it
    When the owner sends POST "/flows/{flow:Slow}/validate_run" with:
      """
      {"body": {"n": 1}}
      """
    Then the response status is 200
    And the response field "message" is "validation successful"
    When the owner sends POST "/flows/{flow:Slow}/validate_run" with:
      """
      {"body": {"n": true}}
      """
    Then the response status is 400
    And the error code is "FLOW_INPUT_ERROR"
    When the owner sends GET "/runs?filter_flow_id={flow:Slow}"
    Then the response field "runs" has 0 items

  Scenario: A caller who cannot see the flow gets 404
    When the other-user starts a run "Hidden" of the flow "Quick"
    Then the response status is 404
    And the error code is "NOT_FOUND"

  Scenario: A viewer who is not a starter gets 403 naming the RUN permission
    Given the owner has created a flow "Viewable" with:
      """
      {"flow_viewers": ["{other-user.urn}"]}
      """
    When the other-user starts a run "Nope" of the flow "Viewable"
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "Missing permissions: RUN"

  Scenario: all_authenticated_users lets anyone start the flow, and the run is theirs
    Given the owner has created a flow "Open" with:
      """
      {"flow_starters": ["all_authenticated_users"]}
      """
    When the other-user starts a run "Bobs" of the flow "Open"
    Then the response status is 201
    And the response field "run_owner" is "{other-user.urn}"
    When the owner gets the run "Bobs"
    Then the response status is 404

  @control
  Scenario: Starting needs the flow's own scope
    Given a token "narrow" for the owner with scope "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all"
    When narrow starts a run "Scoped" of the flow "Quick"
    Then the response status is 403
    And the error code is "MISSING_SCOPE"
    And the error message mentions "{flow:Quick.scope}"

  @control
  Scenario: include_flow_description embeds the flow, and keeps it after the flow is deleted
    Given the owner has started a run "Described" of the flow "Quick"
    When the owner sends GET "/runs/{run:Described}?include_flow_description=True"
    Then the response status is 200
    And the response field "flow_description.id" is "{flow:Quick}"
    And the response field "flow_description.title" is "Quick"
    And the response field "flow_description.flow_owner" is "{owner.urn}"
    And the response field "flow_description.deleted_at" is absent
    When the owner deletes the flow "Quick"
    And the owner sends GET "/runs/{run:Described}?include_flow_description=true"
    Then the response status is 200
    And the response field "flow_description.deleted_at" matches the Flows timestamp format
    When the owner sends GET "/runs/{run:Described}"
    Then the response field "flow_description" is absent

  Scenario: The run definition is the snapshot taken at start
    Given the owner has started a run "Snap" of the flow "Quick"
    When the owner updates the flow "Quick" with:
      """
      {"definition": {"StartAt": "Other", "States": {"Other": {"Type": "Pass", "End": true}}}}
      """
    And the owner sends GET "/runs/{run:Snap}/definition"
    Then the response status is 200
    And the response field "flow_id" is "{flow:Quick}"
    And the response field "definition" is:
      """
      {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}
      """
    And the response field "input_schema" is:
      """
      {}
      """

  Scenario: A canceled run ends FAILED with FlowCanceled and its log says so
    Given the owner has started a run "Stop" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Stop}/cancel"
    Then the response status is 202
    And the response field "status" is "FAILED"
    And the response field "display_status" is "FAILED"
    And the response field "details.code" is "FlowCanceled"
    And the response field "details.description" is "The Flow Instance was canceled by the user"
    And the response field "completion_time" matches the Flows timestamp format
    When the owner reads the log of the run "Stop"
    Then the response field "entries.-1.code" is "FlowCanceled"

  @control
  Scenario: Canceling a run that already ended leaves it as it is
    Given the owner has started a run "Done" of the flow "Quick"
    And the run "Done" reaches status "SUCCEEDED"
    When the owner sends POST "/runs/{run:Done}/cancel"
    Then the response status is 202
    And the response field "status" is "SUCCEEDED"
    And the response field "details.code" is "FlowSucceeded"

  Scenario: Releasing a run that is still active is a 409 STATE_CONFLICT
    Given the owner has started a run "Busy" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Busy}/release"
    Then the response status is 409
    And the error code is "STATE_CONFLICT"
    And the response field "error.detail" is "Run {run:Busy} has status 'ACTIVE' but must have status in {'ENDED', 'SUCCEEDED', 'FAILED'} for requested operation"

  Scenario: A released run is gone
    Given the owner has started a run "Gone" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Gone}/cancel"
    And the owner sends POST "/runs/{run:Gone}/release"
    Then the response status is 200
    And the response field "run_id" is "{run:Gone}"
    When the owner gets the run "Gone"
    Then the response status is 404
    And the response field "error.detail" is "No Run exists with id value {run:Gone}"

  Scenario: Resuming a run that is not INACTIVE is only a hint
    Given the owner has started a run "Hint" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Hint}/resume"
    Then the response status is 200
    And the response field "status" is "ACTIVE"

  Scenario: Updating a run replaces its label and tags, and an empty list clears the tags
    Given the owner has started a run "Meta" of the flow "Slow" with:
      """
      {"body": {"n": 1}, "label": "before", "tags": ["a", "b"]}
      """
    When the owner sends PUT "/runs/{run:Meta}" with:
      """
      {"label": "after", "tags": ["  c   d "]}
      """
    Then the response status is 200
    And the response field "label" is "after"
    And the response field "tags" is:
      """
      ["c d"]
      """
    When the owner sends PUT "/runs/{run:Meta}" with:
      """
      {"tags": []}
      """
    Then the response field "tags" has 0 items
    And the response field "label" is "after"

  Scenario: An update with a label too long is refused and changes nothing
    Given the owner has started a run "Meta" of the flow "Slow" with:
      """
      {"body": {"n": 1}, "label": "kept"}
      """
    When the owner sends PUT "/runs/{run:Meta}" with:
      """
      {"label": "12345678901234567890123456789012345678901234567890123456789012345"}
      """
    Then the response status is 422
    And the error locates "label"
    When the owner gets the run "Meta"
    Then the response field "label" is "kept"

  Scenario: Field names match exactly: a key that differs from "label" only by case does not set it
    Given the owner has started a run "Meta" of the flow "Slow" with:
      """
      {"body": {"n": 1}, "label": "kept"}
      """
    When the owner sends PUT "/runs/{run:Meta}" with:
      """
      {"Label": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
      """
    Then the response status is 200
    And the response field "label" is "kept"
    When the owner gets the run "Meta"
    Then the response field "label" is "kept"

  Scenario: Log pages follow the marker, oldest first, or newest first when reversed
    Given the owner has started a run "Logged" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Logged}/cancel"
    And the owner sends GET "/runs/{run:Logged}/log?limit=1"
    Then the response status is 200
    And the response field "limit" is 1
    And the response field "has_next_page" is true
    And the response field "entries.0.code" is "FlowStarted"
    When the owner sends GET "/runs/{run:Logged}/log?marker={last.marker}"
    Then the response field "entries.0.code" is not "FlowStarted"
    When the owner sends GET "/runs/{run:Logged}/log?reverse_order=true&limit=100"
    Then the response field "entries.0.code" is "FlowCanceled"
    And the response field "has_next_page" is false
    And the response field "marker" is absent

  Scenario Outline: A log limit out of range is refused
    Given the owner has started a run "Logged" of the flow "Quick"
    When the owner sends GET "/runs/{run:Logged}/log?limit=<limit>"
    Then the response status is 400

    Examples:
      | limit |
      | 0     |
      | 101   |
      | ten   |

  Scenario: Body-less POSTs without a Content-Type are accepted, as the SDKs send them
    Given the owner has started a run "Plain" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends POST "/runs/{run:Plain}/cancel"
    Then the response status is 202

  Scenario: The legacy per-flow paths reach the same runs
    Given the owner has started a run "Old" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends GET "/flows/{flow:Slow}/runs"
    Then the response status is 200
    And the listed runs are "Old"
    When the owner sends GET "/flows/{flow:Slow}/{run:Old}/status"
    Then the response status is 200
    And the response field "run_id" is "{run:Old}"
    When the owner sends GET "/flows/{flow:Slow}/runs/{run:Old}/log"
    Then the response field "entries.0.code" is "FlowStarted"
    When the owner sends GET "/flows/{flow:Slow}/{run:Old}/log"
    Then the response field "entries.0.code" is "FlowStarted"
    When the owner sends POST "/flows/{flow:Slow}/{run:Old}/resume"
    Then the response status is 200
    When the owner sends POST "/flows/{flow:Slow}/{run:Old}/cancel"
    Then the response status is 202
    And the response field "details.code" is "FlowCanceled"
    When the owner sends POST "/flows/{flow:Slow}/{run:Old}/release"
    Then the response status is 200

  Scenario: A legacy path with another flow's id does not find the run
    Given the owner has started a run "Old" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    When the owner sends GET "/flows/{flow:Quick}/{run:Old}/status"
    Then the response status is 404

  @control
  Scenario: Reading runs needs run_status, changing them run_manage, resuming the flow's scope
    Given the owner has started a run "Scoped" of the flow "Slow" with:
      """
      {"body": {"n": 1}}
      """
    And a token "viewer" for the owner with scope "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows"
    And a token "status" for the owner with scope "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status"
    When viewer sends GET "/runs"
    Then the response status is 403
    And the error code is "MISSING_SCOPE"
    When status sends GET "/runs/{run:Scoped}"
    Then the response status is 200
    When status sends POST "/runs/{run:Scoped}/cancel"
    Then the response status is 403
    And the error message mentions "run_manage"
    When status sends POST "/runs/{run:Scoped}/resume"
    Then the response status is 403
    And the error message mentions "{flow:Slow.scope}"

  Scenario: Input schema errors about a _private value do not repeat it
    Given the owner has created a flow "Guarded" with:
      """
      {"definition": {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}},
       "input_schema": {"type": "object", "properties": {"_private": {"type": "object", "properties": {"pin": {"type": "integer"}}}}}}
      """
    When the owner starts a run "Bad" of the flow "Guarded" with:
      """
      {"body": {"_private": {"pin": "PRIV-PIN-TEXT"}}}
      """
    Then the response status is 400
    And the error code is "FLOW_INPUT_ERROR"
    And the error locates "$._private.pin"
    And the error message mentions "is not of type 'integer'"
    And the response does not contain "PRIV-PIN-TEXT"
