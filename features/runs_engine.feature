@runs @engine
Feature: Runs execute their definitions
  As a client developer building on Globus Flows
  I want runs that really execute Pass, ExpressionEval, Choice, Wait and Fail states
  So that my client sees the statuses, outputs and logs the real service produces

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |
    And the author has created a flow "Tour" with:
      """
      {
        "definition": {
          "StartAt": "Prepare",
          "States": {
            "Prepare": {"Type": "Pass", "Parameters": {"greeting.=": "'hello ' + name", "count.$": "$.n", "first.$": "$.items[0].v"},
                        "ResultPath": "$.prepared", "Next": "Compute"},
            "Compute": {"Type": "ExpressionEval",
                        "Parameters": {"doubled.=": "[i.v * 2 for i in items]", "run.$": "$._context.run_id",
                                       "secret": "hidden", "__Private_Parameters": ["secret"]},
                        "ResultPath": "$.computed", "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [
                        {"And": [{"Variable": "$.prepared.count", "NumericGreaterThanEquals": 3},
                                 {"Variable": "$.prepared.greeting", "StringMatches": "hello *"}], "Next": "Pause"}],
                      "Default": "Bad"},
            "Pause": {"Type": "Wait", "Seconds": 60, "Next": "Rehome"},
            "Rehome": {"Type": "Pass", "InputPath": "$.computed.doubled", "ResultPath": "$.copy", "Next": "Literal"},
            "Literal": {"Type": "Pass", "Result": {"fixed": true}, "ResultPath": "$.literal", "Next": "PathWait"},
            "PathWait": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [
                        {"Not": {"Variable": "$.literal.fixed", "BooleanEquals": false}, "Next": "Summarize"}],
                       "Default": "Bad"},
            "Summarize": {"Type": "ExpressionEval",
                          "Parameters": {"total.=": "len(computed.doubled) + prepared.first", "is_set.=": "is_present('copy')"},
                          "ResultPath": "$.summary", "End": true},
            "Bad": {"Type": "Fail", "Error": "Unexpected", "Cause": "The choice went the wrong way"}
          }
        },
        "input_schema": {"type": "object", "required": ["n", "name"],
                         "properties": {"n": {"type": "integer"}, "name": {"type": "string"}}}
      }
      """

  @control
  Scenario: A run of every non-Action state succeeds with the output the States Language gives
    Given the author has started a run "Full" of the flow "Tour" with:
      """
      {"body": {"n": 3, "name": "world", "items": [{"v": 1}, {"v": 2}], "_private_key": "s3cret"}, "label": "tour"}
      """
    When the runs settle
    And the author gets the run "Full"
    Then the response field "status" is "ACTIVE"
    And the response field "details.code" is "WaitStarted"
    And the response field "completion_time" is absent
    When the clock advances by 60 seconds
    And the author gets the run "Full"
    Then the response field "status" is "ACTIVE"
    And the response field "details.details.state_name" is "PathWait"
    When the clock advances by 3 seconds
    Then the run "Full" reaches status "SUCCEEDED"
    And the response field "display_status" is "SUCCEEDED"
    And the response field "details.code" is "FlowSucceeded"
    And the response field "completion_time" matches the Flows timestamp format
    And the response field "details.output" is:
      """
      {
        "n": 3, "name": "world", "items": [{"v": 1}, {"v": 2}],
        "prepared": {"greeting": "hello world", "count": 3, "first": 1},
        "computed": {"doubled": [2, 4], "run": "{run:Full}"},
        "copy": [2, 4],
        "literal": {"fixed": true},
        "summary": {"total": 3, "is_set": true}
      }
      """
    When the author reads the log of the run "Full"
    Then the log codes are "FlowStarted, PassStarted, PassCompleted, ExpressionEvalStarted, ExpressionEvalCompleted, ChoiceStarted, ChoiceCompleted, WaitStarted, WaitCompleted, PassStarted, PassCompleted, PassStarted, PassCompleted, WaitStarted, WaitCompleted, ChoiceStarted, ChoiceCompleted, ExpressionEvalStarted, ExpressionEvalCompleted, FlowSucceeded"
    And the log entry 0 field "details" is:
      """
      {"input": {"n": 3, "name": "world", "items": [{"v": 1}, {"v": 2}]}}
      """
    And the log entry 4 field "details" is:
      """
      {"state_name": "Compute", "state_type": "ExpressionEval", "output": {"doubled": [2, 4], "run": "{run:Full}"}}
      """
    And the response field "entries.0.time" matches the Flows timestamp format

  @control
  Scenario: A run that reaches a Fail state ends FAILED with its Error and Cause
    Given the author has started a run "Wrong" of the flow "Tour" with:
      """
      {"body": {"n": 1, "name": "world", "items": [{"v": 1}]}}
      """
    Then the run "Wrong" reaches status "FAILED"
    And the response field "details.code" is "FlowFailed"
    And the response field "details.description" is "The choice went the wrong way"
    And the response field "details.details" is:
      """
      {"state_name": "Bad", "Error": "Unexpected", "Cause": "The choice went the wrong way"}
      """
    When the author reads the log of the run "Wrong"
    Then the log codes are "FlowStarted, PassStarted, PassCompleted, ExpressionEvalStarted, ExpressionEvalCompleted, ChoiceStarted, ChoiceCompleted, FailStarted, FlowFailed"

  Scenario: A new run is ACTIVE and starting, with the run document's fields
    When the author starts a run "Fresh" of the flow "Tour" with:
      """
      {"body": {"n": 3, "name": "x", "items": [{"v": 1}]}, "label": "first try", "tags": ["  Experiment:xDA202 ", "Friday   COB"]}
      """
    Then the response status is 201
    And the response field "status" is "ACTIVE"
    And the response field "display_status" is "ACTIVE"
    And the response field "details.code" is "FlowStarting"
    And the response field "run_id" is "{run:Fresh}"
    And the response field "action_id" is "{run:Fresh}"
    And the response field "flow_id" is "{flow:Tour}"
    And the response field "flow_title" is "Tour"
    And the response field "run_owner" is "{author.urn}"
    And the response field "created_by" is "{author.urn}"
    And the response field "user_role" is "run_owner"
    And the response field "label" is "first try"
    And the response field "tags" is:
      """
      ["Experiment:xDA202", "Friday COB"]
      """
    And the response field "activity_notification_policy" is:
      """
      {"status": ["INACTIVE"]}
      """
    And the response field "blocking_web_input_id" is null
    And the response field "start_time" matches the Flows timestamp format
    And the response field "completion_time" is absent
