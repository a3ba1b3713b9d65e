@runs @actions @control
Feature: Action states
  As a client developer whose flows call action providers
  I want Action states to run, wait, fail, time out and be caught as on the real service
  So that I can test every branch of my flows against the mock

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |

  Scenario: An Action state stores the action's status document at its ResultPath
    Given the author has created a flow "Hello" with:
      """
      {"definition": {"StartAt": "SayHello", "States": {"SayHello": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string.$": "$.greeting"},
        "ResultPath": "$.hello", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Hello" with:
      """
      {"body": {"greeting": "hi there"}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.hello.status" is "SUCCEEDED"
    And the response field "details.output.hello.state_name" is "SayHello"
    And the response field "details.output.hello.details" is:
      """
      {"Hello": "World", "hello": "hi there"}
      """
    And the response field "details.output.hello.creator_id" is "{author.urn}"
    And the response field "details.output.hello.completion_time" matches the Flows timestamp format
    When the author reads the log of the run "R"
    Then the log codes are "FlowStarted, ActionStarted, ActionCompleted, FlowSucceeded"
    And the log entry 1 field "details.input" is:
      """
      {"echo_string": "hi there"}
      """

  Scenario: An asynchronous action keeps the run ACTIVE until it completes on the mock clock
    Given the author has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {"Sleepy": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "zzz", "sleep_time": 120},
        "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Slow"
    When the author gets the run "R"
    Then the response field "status" is "ACTIVE"
    And the response field "details.code" is "ActionStarted"
    When the clock advances by 119 seconds
    And the author gets the run "R"
    Then the response field "status" is "ACTIVE"
    When the clock advances by 1 second
    Then the run "R" reaches status "SUCCEEDED"

  Scenario Outline: Hello World refuses a sleep_time of <seconds> seconds, outside 0 to a year
    Given the author has created a flow "Sleepless" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {"Sleepy": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "zzz", "sleep_time.$": "$.secs"},
        "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Sleepless" with:
      """
      {"body": {"secs": <seconds>}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "ActionUnableToRun"
    And the response field "details.details.Cause" mentions "31536000"

    Examples:
      | seconds  |
      | 31536001 |
      | 1e300    |
      | -1       |

  Scenario: Hello World sleeps a year, and an action may wait that long
    Given the author has created a flow "Hibernate" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {"Sleepy": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "zzz", "sleep_time": 31536000},
        "WaitTime": 31536000, "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Hibernate"
    When the clock advances by 31535999 seconds
    And the author gets the run "R"
    Then the response field "status" is "ACTIVE"
    When the clock advances by 1 second
    Then the run "R" reaches status "SUCCEEDED"

  Scenario: An action that outlives its WaitTime times out, and a Catch takes over
    Given the author has created a flow "Patient" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {
        "Sleepy": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
                   "Parameters": {"echo_string": "zzz", "sleep_time": 3600}, "WaitTime": 60, "ResultPath": "$.out",
                   "Catch": [{"ErrorEquals": ["ActionTimeout"], "ResultPath": "$.timeout", "Next": "GaveUp"}], "End": true},
        "GaveUp": {"Type": "Pass", "Result": "gave up", "ResultPath": "$.outcome", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Patient"
    When the clock advances by 60 seconds
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.outcome" is "gave up"
    And the response field "details.output.timeout.Error" is "ActionTimeout"
    When the author reads the log of the run "R"
    Then the log codes are "FlowStarted, ActionStarted, ActionFailed, PassStarted, PassCompleted, FlowSucceeded"

  Scenario: An uncaught timeout fails the run naming the state and the error
    Given the author has created a flow "Impatient" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {"Sleepy": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "zzz", "sleep_time": 3600},
        "WaitTime": 10, "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Impatient"
    When the clock advances by 10 seconds
    Then the run "R" reaches status "FAILED"
    And the response field "details.code" is "FlowFailed"
    And the response field "details.details.state_name" is "Sleepy"
    And the response field "details.details.Error" is "ActionTimeout"

  Scenario Outline: Action mocks drive every outcome: <outcome>
    Given the author has created a flow "Branchy" with:
      """
      {"definition": {"StartAt": "Work", "States": {
        "Work": {"Type": "Action", "ActionUrl": "https://provider.example.org/work", "ActionScope": "https://auth.globus.org/scopes/provider/work",
                 "Parameters": {"job": 1}, "ResultPath": "$.work", "ExceptionOnActionFailure": <raise>,
                 "Catch": [{"ErrorEquals": ["ActionUnableToRun"], "ResultPath": "$.error", "Next": "Refused"},
                           {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken"}],
                 "Next": "Done"},
        "Done": {"Type": "Pass", "Result": "done", "ResultPath": "$.branch", "End": true},
        "Refused": {"Type": "Pass", "Result": "refused", "ResultPath": "$.branch", "End": true},
        "Broken": {"Type": "Pass", "Result": "broken", "ResultPath": "$.branch", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/work", "responses": [<response>]}
      """
    And the author has started a run "R" of the flow "Branchy"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.branch" is "<branch>"
    And the response field "<field>" is "<value>"

    Examples:
      | outcome                         | raise | response                                                               | branch  | field                            | value                 |
      | success                         | true  | {"status": "SUCCEEDED", "details": {"n": 1}}                           | done    | details.output.work.status       | SUCCEEDED             |
      | failure raises                  | true  | {"status": "FAILED", "details": {"code": "Oops"}}                      | broken  | details.output.error.Error       | ActionFailedException |
      | failure stored when not raising | false | {"status": "FAILED", "details": {"code": "Oops"}}                      | done    | details.output.work.details.code | Oops                  |
      | the provider refuses the action | true  | {"unable_to_run": {"http_status": 403, "body": {"code": "Forbidden"}}} | refused | details.output.error.Error       | ActionUnableToRun     |

  Scenario: An action mock may answer per state, and in sequence
    Given the author has created a flow "Twice" with:
      """
      {"definition": {"StartAt": "First", "States": {
        "First": {"Type": "Action", "ActionUrl": "https://provider.example.org/echo", "ActionScope": "s", "Parameters": {}, "ResultPath": "$.first", "Next": "Second"},
        "Second": {"Type": "Action", "ActionUrl": "https://provider.example.org/echo", "ActionScope": "s", "Parameters": {}, "ResultPath": "$.second", "Next": "Third"},
        "Third": {"Type": "Action", "ActionUrl": "https://provider.example.org/echo", "ActionScope": "s", "Parameters": {}, "ResultPath": "$.third", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/echo", "responses": [{"details": {"call": 1}}, {"details": {"call": 2}}]}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/echo", "flow_id": "{flow:Twice}", "state_name": "Third", "responses": [{"details": {"call": "third"}}]}
      """
    And the author has started a run "R" of the flow "Twice"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.first.details.call" is 1
    And the response field "details.output.second.details.call" is 2
    And the response field "details.output.third.details.call" is "third"

  Scenario: An INACTIVE action makes the run INACTIVE until it is resumed
    Given the author has created a flow "Consent" with:
      """
      {"definition": {"StartAt": "Needy", "States": {"Needy": {"Type": "Action", "ActionUrl": "https://provider.example.org/needy",
        "ActionScope": "s", "Parameters": {}, "ResultPath": "$.needy", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/needy", "responses": [{"status": "INACTIVE",
        "details": {"code": "ConsentRequired", "description": "Missing required data_access consent", "required_scope": "urn:example:scope[data_access]"},
        "after_resume": {"status": "SUCCEEDED", "details": {"ok": true}}}]}
      """
    And the author has started a run "R" of the flow "Consent"
    When the author gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "display_status" is "INACTIVE"
    And the response field "details.code" is "ConsentRequired"
    And the response field "details.required_scope" is "urn:example:scope[data_access]"
    And the response field "details.action_statuses.0.status" is "INACTIVE"
    When the author sends POST "/runs/{run:R}/resume"
    Then the response status is 200
    And the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.needy.details.ok" is true

  Scenario: Canceling a run cancels the action it waits on
    Given the author has created a flow "Long" with:
      """
      {"definition": {"StartAt": "Sleepy", "States": {"Sleepy": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "zzz", "sleep_time": 3600},
        "WaitTime": 7200, "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Long"
    When the author sends POST "/runs/{run:R}/cancel"
    Then the response field "details.code" is "FlowCanceled"
    When the clock advances by 7200 seconds
    Then the run "R" reaches status "FAILED"
    And the response field "details.code" is "FlowCanceled"

  Scenario: The Expression Evaluation and notification providers
    Given the author has created a flow "Tools" with:
      """
      {"definition": {"StartAt": "Sum", "States": {
        "Sum": {"Type": "Action", "ActionUrl": "https://actions.globus.org/expression_eval",
                "Parameters": {"expression": "x + 5", "arguments": {"x": 6}, "result_path": "sum_value.should_be_11"},
                "ResultPath": "$.sum", "Next": "Tell"},
        "Tell": {"Type": "Action", "ActionUrl": "https://actions.globus.org/notification/notify",
                 "Parameters": {"destination": "bob@example.org", "subject": "Done", "body_template": "The sum is $total",
                                "body_variables": {"total.$": "$.sum.details.sum_value.should_be_11"},
                                "send_credentials": [{"credential_method": "email", "credential_type": "smtp", "credential_value": {"password": "hunter2"}}],
                                "__Private_Parameters": ["send_credentials"]},
                 "ResultPath": "$.mail", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Tools"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.sum.details.sum_value.should_be_11" is 11
    And the outbox has a message to "bob@example.org" that says "The sum is 11"
    When the author reads the log of the run "R"
    Then the response does not contain "hunter2"

  Scenario: The run's activity notification policy sends mail on the statuses it names
    Given the author has created a flow "Notifying" with:
      """
      {"definition": {"StartAt": "Needy", "States": {"Needy": {"Type": "Action", "ActionUrl": "https://provider.example.org/needy",
        "ActionScope": "s", "Parameters": {}, "ResultPath": "$.needy", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/needy", "responses": [{"status": "INACTIVE", "details": {"code": "ActivationRequired"},
        "after_resume": {"status": "SUCCEEDED"}}]}
      """
    And the author has started a run "R" of the flow "Notifying" with:
      """
      {"body": {}, "label": "nightly", "activity_notification_policy": {"status": ["INACTIVE", "SUCCEEDED"]}}
      """
    Then the outbox has a message to "alice@example.org" that says "is now INACTIVE"
    When the author sends POST "/runs/{run:R}/resume"
    Then the run "R" reaches status "SUCCEEDED"
    And the outbox has a message to "alice@example.org" that says "is now SUCCEEDED"

  Scenario: Without a policy only INACTIVE is notified
    Given the author has created a flow "Quiet"
    And the author has started a run "R" of the flow "Quiet"
    Then the run "R" reaches status "SUCCEEDED"
    And the outbox is empty

  Scenario: A token without the action's scope parks the run for consent; resuming with consent goes on
    Given the author has created a flow "Greeter" with:
      """
      {"definition": {"StartAt": "SayHello", "States": {"SayHello": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hello", "End": true}}}}
      """
    And a token "narrow" for the author with scopes "{flow:Greeter.scope} https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status"
    And narrow has started a run "R" of the flow "Greeter"
    When the author gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "details.code" is "ConsentRequired"
    And the response field "details.required_scope" is "{flow:Greeter.scope}[https://auth.globus.org/scopes/actions.globus.org/hello_world]"
    When the author sends POST "/runs/{run:R}/resume"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.hello.details.hello" is "hi"

  Scenario: Wait For User Selection keeps the run INACTIVE until someone picks an option
    Given the author has created a flow "Approve" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Action", "ActionUrl": "https://actions.globus.org/weboption/wait_for_option",
                "Parameters": {"options": [{"name": "Approve", "url_suffix": "approve"}, {"name": "Deny", "url_suffix": "deny"}]},
                "ResultPath": "$.choice", "Next": "Decide"},
        "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.choice.details.name", "StringEquals": "Approve", "Next": "Approved"}], "Default": "Denied"},
        "Approved": {"Type": "Pass", "Result": "approved", "ResultPath": "$.outcome", "End": true},
        "Denied": {"Type": "Fail", "Error": "Denied", "Cause": "The request was denied"}}}}
      """
    And the author has started a run "R" of the flow "Approve"
    When the author gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "details.code" is "WaitingForUserSelection"
    When the option "approve" is selected for the action "{last.details.action_statuses.0.action_id}"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.outcome" is "approved"

  Scenario: A provider's answer that repeats a private value of the action's body does not show it
    Given the author has created a flow "Echo" with:
      """
      {"definition": {"StartAt": "SayHello", "States": {
        "SayHello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
                     "Parameters": {"echo_string": "PRIV-ECHO-1", "__Private_Parameters": ["echo_string"]},
                     "ResultPath": "$.hello", "Next": "Evaluate"},
        "Evaluate": {"Type": "Action", "ActionUrl": "https://actions.globus.org/expression_eval",
                     "Parameters": {"expression": "int(x)", "arguments": {"x.$": "$._private.word"}},
                     "Catch": [{"ErrorEquals": ["ActionFailedException"], "ResultPath": "$.failure", "Next": "Check"}],
                     "ResultPath": "$.evaluated", "Next": "Check"},
        "Check": {"Type": "ExpressionEval", "Parameters": {"echoed.=": "hello.details.hello == 'PRIV-ECHO-1'"},
                  "ResultPath": "$.check", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Echo" with:
      """
      {"body": {"_private": {"word": "PRIV-WORD-2"}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.hello.details" is:
      """
      {"Hello": "World"}
      """
    And the response field "details.output.check.echoed" is true
    And the response field "details.output.failure.Error" is "ActionFailedException"
    And the response does not contain "PRIV-"
    When the author reads the log of the run "R"
    Then the log codes are "FlowStarted, ActionStarted, ActionCompleted, ActionStarted, ActionFailed, ExpressionEvalStarted, ExpressionEvalCompleted, FlowSucceeded"
    And the response does not contain "PRIV-"

  Scenario: A provider's refusal that repeats a private value does not show it
    Given the author has created a flow "Refused" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "ActionUrl": "https://provider.example.org/picky",
        "Parameters": {"token": "PRIV-TOK-9", "__Private_Parameters": ["token"]}, "ResultPath": "$.call", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/picky", "responses": [{"unable_to_run": {"http_status": 400,
        "body": {"code": "BadToken", "description": "the token PRIV-TOK-9 is not valid"}}}]}
      """
    And the author has started a run "R" of the flow "Refused"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "ActionUnableToRun"
    And the response field "details.details.Cause" mentions "400"
    And the response does not contain "PRIV-TOK-9"
    When the author reads the log of the run "R"
    Then the response does not contain "PRIV-TOK-9"

  Scenario: An INACTIVE run's details keep _private keys of the action's status out
    Given the author has created a flow "Parked" with:
      """
      {"definition": {"StartAt": "Needy", "States": {"Needy": {"Type": "Action", "ActionUrl": "https://provider.example.org/parked",
        "Parameters": {}, "ResultPath": "$.needy", "End": true}}}}
      """
    And an action mock:
      """
      {"action_url": "https://provider.example.org/parked", "responses": [{"status": "INACTIVE",
        "details": {"code": "ActivationRequired", "description": "Activate first", "_private_hint": "PRIV-HINT-3"},
        "after_resume": {"status": "SUCCEEDED", "details": {"ok": true}}}]}
      """
    And the author has started a run "R" of the flow "Parked"
    When the author gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "details.code" is "ActivationRequired"
    And the response field "details.action_statuses.0.details.description" is "Activate first"
    And the response does not contain "PRIV-HINT-3"
    When the author sends GET "/runs"
    Then the response does not contain "PRIV-HINT-3"

  Scenario: Wait For User Selection does not show people a private value
    Given the author has created a flow "AskSecretly" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Action", "ActionUrl": "https://actions.globus.org/weboption/wait_for_option",
                "Parameters": {"landing_page": {"header_text.$": "$._private.title"}, "options": [{"name": "Approve", "url_suffix": "approve"}]},
                "ResultPath": "$.choice", "End": true}}}}
      """
    And the author has started a run "R" of the flow "AskSecretly" with:
      """
      {"body": {"_private": {"title": "PRIV-TITLE-4"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "ActionUnableToRun"
    And the response does not contain "PRIV-TITLE-4"
    When the author sends GET "/web_inputs?filter_states=open,closed"
    Then the response field "web_input_summaries" has 0 items
