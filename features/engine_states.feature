@runs @engine @control
Feature: The flow engine follows the States Language as Globus speaks it
  As a client developer testing flows before deploying them
  I want every state type, operator and data-handling rule to behave as on the real service
  So that a flow that works against the mock works in production

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |

  Scenario Outline: Choice operators: <operator family>
    Given the author has created a flow "Chooser" with:
      """
      {"definition": {"StartAt": "Decide", "States": {
        "Decide": {"Type": "Choice", "Choices": [<rule>], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "ResultPath": "$.branch", "End": true},
        "No": {"Type": "Pass", "Result": "no", "ResultPath": "$.branch", "End": true}}}}
      """
    And the author has started a run "Choice" of the flow "Chooser" with:
      """
      {"body": <input>}
      """
    Then the run "Choice" reaches status "SUCCEEDED"
    And the response field "details.output.branch" is "<branch>"

    Examples:
      | operator family             | rule                                                                                                              | input                                                      | branch |
      | StringEquals                | {"Variable": "$.s", "StringEquals": "abc", "Next": "Yes"}                                                         | {"s": "abc"}                                               | yes    |
      | StringEquals, other value   | {"Variable": "$.s", "StringEquals": "abc", "Next": "Yes"}                                                         | {"s": "abd"}                                               | no     |
      | StringLessThan              | {"Variable": "$.s", "StringLessThan": "b", "Next": "Yes"}                                                         | {"s": "abc"}                                               | yes    |
      | StringGreaterThanEquals     | {"Variable": "$.s", "StringGreaterThanEquals": "abc", "Next": "Yes"}                                              | {"s": "abc"}                                               | yes    |
      | StringMatches wildcard      | {"Variable": "$.s", "StringMatches": "log-*.txt", "Next": "Yes"}                                                  | {"s": "log-2024.txt"}                                      | yes    |
      | StringMatches escaped star  | {"Variable": "$.s", "StringMatches": "a\\\\*b", "Next": "Yes"}                                                    | {"s": "a*b"}                                               | yes    |
      | StringMatches escaped, text | {"Variable": "$.s", "StringMatches": "a\\\\*b", "Next": "Yes"}                                                    | {"s": "axb"}                                               | no     |
      | StringEqualsPath            | {"Variable": "$.s", "StringEqualsPath": "$.t", "Next": "Yes"}                                                     | {"s": "x", "t": "x"}                                       | yes    |
      | NumericEquals int and float | {"Variable": "$.n", "NumericEquals": 2, "Next": "Yes"}                                                            | {"n": 2.0}                                                 | yes    |
      | NumericGreaterThan          | {"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Yes"}                                                       | {"n": 2.5}                                                 | yes    |
      | NumericLessThanEquals       | {"Variable": "$.n", "NumericLessThanEquals": 2, "Next": "Yes"}                                                    | {"n": 3}                                                   | no     |
      | NumericLessThanPath         | {"Variable": "$.n", "NumericLessThanPath": "$.limit", "Next": "Yes"}                                              | {"n": 3, "limit": 10}                                      | yes    |
      | wrong type compares false   | {"Variable": "$.n", "NumericEquals": 2, "Next": "Yes"}                                                            | {"n": "2"}                                                 | no     |
      | BooleanEquals               | {"Variable": "$.b", "BooleanEquals": false, "Next": "Yes"}                                                        | {"b": false}                                               | yes    |
      | BooleanEqualsPath           | {"Variable": "$.b", "BooleanEqualsPath": "$.c", "Next": "Yes"}                                                    | {"b": true, "c": false}                                    | no     |
      | TimestampEquals             | {"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "Yes"}                                     | {"t": "2024-01-01T01:00:00+01:00"}                         | yes    |
      | TimestampGreaterThan        | {"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T00:00:00Z", "Next": "Yes"}                                | {"t": "2023-12-31T23:59:59Z"}                              | no     |
      | TimestampLessThanEqualsPath | {"Variable": "$.t", "TimestampLessThanEqualsPath": "$.u", "Next": "Yes"}                                          | {"t": "2024-01-01T00:00:00Z", "u": "2024-02-01T00:00:00Z"} | yes    |
      | IsNull                      | {"Variable": "$.v", "IsNull": true, "Next": "Yes"}                                                                | {"v": null}                                                | yes    |
      | IsPresent false             | {"Variable": "$.missing", "IsPresent": false, "Next": "Yes"}                                                      | {}                                                         | yes    |
      | IsNumeric                   | {"Variable": "$.v", "IsNumeric": true, "Next": "Yes"}                                                             | {"v": "1"}                                                 | no     |
      | IsString                    | {"Variable": "$.v", "IsString": true, "Next": "Yes"}                                                              | {"v": "1"}                                                 | yes    |
      | IsBoolean                   | {"Variable": "$.v", "IsBoolean": true, "Next": "Yes"}                                                             | {"v": true}                                                | yes    |
      | IsTimestamp                 | {"Variable": "$.v", "IsTimestamp": true, "Next": "Yes"}                                                           | {"v": "2024-01-01T00:00:00Z"}                              | yes    |
      | And                         | {"And": [{"Variable": "$.n", "NumericGreaterThan": 1}, {"Variable": "$.n", "NumericLessThan": 3}], "Next": "Yes"} | {"n": 2}                                                   | yes    |
      | Or                          | {"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 3}], "Next": "Yes"}         | {"n": 2}                                                   | no     |
      | Not                         | {"Not": {"Variable": "$.s", "StringEquals": "x"}, "Next": "Yes"}                                                  | {"s": "y"}                                                 | yes    |
      | context variable            | {"Variable": "$._context.username", "StringEquals": "alice@example.org", "Next": "Yes"}                           | {}                                                         | yes    |

  Scenario: A Choice with no matching rule and no Default fails the run with States.NoChoiceMatched
    Given the author has created a flow "Stuck" with:
      """
      {"definition": {"StartAt": "Decide", "States": {
        "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Done"}]},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Stuck" with:
      """
      {"body": {"n": 2}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.NoChoiceMatched"
    And the response field "details.details.state_name" is "Decide"

  Scenario: A Choice on a missing variable fails the run with States.Runtime
    Given the author has created a flow "Missing" with:
      """
      {"definition": {"StartAt": "Decide", "States": {
        "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.nothing", "NumericEquals": 1, "Next": "Done"}], "Default": "Done"},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Missing"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the error message mentions "$.nothing"

  Scenario Outline: ResultPath merge rules: <rule>
    Given the author has created a flow "Merge" with:
      """
      {"definition": {"StartAt": "Step", "States": {"Step": <state>}}}
      """
    And the author has started a run "R" of the flow "Merge" with:
      """
      {"body": {"a": {"keep": 1, "old": 2}, "b": [10, 20]}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output" is:
      """
      <output>
      """

    Examples:
      | rule                                   | state                                                                                                                                       | output                                                                                          |
      | no ResultPath replaces the state       | {"Type": "Pass", "Result": {"x": 1}, "End": true}                                                                                           | {"x": 1}                                                                                        |
      | $ replaces the state                   | {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$", "End": true}                                                                        | {"x": 1}                                                                                        |
      | a path overwrites that key only        | {"Type": "Pass", "Result": 5, "ResultPath": "$.a.old", "End": true}                                                                         | {"a": {"keep": 1, "old": 5}, "b": [10, 20]}                                                     |
      | missing objects are created            | {"Type": "Pass", "Result": 5, "ResultPath": "$.c.d.e", "End": true}                                                                         | {"a": {"keep": 1, "old": 2}, "b": [10, 20], "c": {"d": {"e": 5}}}                               |
      | an index writes into a list            | {"Type": "Pass", "Result": 5, "ResultPath": "$.b[1]", "End": true}                                                                          | {"a": {"keep": 1, "old": 2}, "b": [10, 5]}                                                      |
      | null discards the result               | {"Type": "Pass", "Result": 5, "ResultPath": null, "End": true}                                                                              | {"a": {"keep": 1, "old": 2}, "b": [10, 20]}                                                     |
      | InputPath rehomes data                 | {"Type": "Pass", "InputPath": "$.a.keep", "ResultPath": "$.moved", "End": true}                                                             | {"a": {"keep": 1, "old": 2}, "b": [10, 20], "moved": 1}                                         |
      | Parameters read the effective input    | {"Type": "Pass", "InputPath": "$.a", "Parameters": {"k.$": "$.keep"}, "ResultPath": "$.p", "End": true}                                     | {"a": {"keep": 1, "old": 2}, "b": [10, 20], "p": {"k": 1}}                                      |
      | a non-singular path gives a list       | {"Type": "Pass", "Parameters": {"all.$": "$.b[*]"}, "ResultPath": "$.p", "End": true}                                                       | {"a": {"keep": 1, "old": 2}, "b": [10, 20], "p": {"all": [10, 20]}}                             |
      | nested templates in lists are rendered | {"Type": "ExpressionEval", "Parameters": {"items": [{"v.$": "$.b[0]", "w.=": "b[1] + 1", "c": "const"}]}, "ResultPath": "$.p", "End": true} | {"a": {"keep": 1, "old": 2}, "b": [10, 20], "p": {"items": [{"v": 10, "w": 21, "c": "const"}]}} |

  Scenario: A reference that matches nothing fails the run with States.ParameterPathFailure
    Given the author has created a flow "Ref" with:
      """
      {"definition": {"StartAt": "Step", "States": {"Step": {"Type": "ExpressionEval",
        "Parameters": {"x.$": "$.not.there"}, "ResultPath": "$.r", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Ref"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.ParameterPathFailure"
    And the error message mentions "x.$"

  Scenario: The run context is readable by paths and expressions and describes the run and its starter
    Given the author has created a flow "Context" with:
      """
      {"definition": {"StartAt": "Step", "States": {"Step": {"Type": "ExpressionEval",
        "Parameters": {"ctx.$": "$._context", "greeting.=": "'run ' + _context.run_id + ' by ' + `$._context.email`"},
        "ResultPath": "$.r", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Context"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.r.ctx.run_id" is "{run:R}"
    And the response field "details.output.r.ctx.flow_id" is "{flow:Context}"
    And the response field "details.output.r.ctx.username" is "alice@example.org"
    And the response field "details.output.r.ctx.email" is "alice@example.org"
    And the response field "details.output.r.ctx.user_id" is "{author.urn}"
    And the response field "details.output.r.ctx.identities" contains "{author.urn}"
    And the response field "details.output.r.greeting" is "run {run:R} by alice@example.org"

  Scenario: The run context cannot be written
    When the author sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "Step", "States": {"Step": {"Type": "Pass", "Result": 1, "ResultPath": "$._context.run_id", "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    And the error locates "definition.States.Step.ResultPath"

  Scenario: Private parameters and _private keys stay out of run details and logs but remain usable
    Given the author has created a flow "Secrets" with:
      """
      {"definition": {"StartAt": "Keep", "States": {
        "Keep": {"Type": "ExpressionEval", "Parameters": {"password": "hunter2", "user": "alice", "__Private_Parameters": ["password"]},
                 "ResultPath": "$.creds", "Next": "Use"},
        "Use": {"Type": "ExpressionEval", "Parameters": {"length.=": "len(creds.password) + len(_private.pin)"},
                "ResultPath": "$.used", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Secrets" with:
      """
      {"body": {"_private": {"pin": "1234"}, "visible": true}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output" is:
      """
      {"visible": true, "creds": {"user": "alice"}, "used": {"length": 11}}
      """
    When the author reads the log of the run "R"
    Then the response does not contain "hunter2"
    And the response does not contain "1234"
    And the log entry 2 field "details.output" is:
      """
      {"user": "alice"}
      """

  Scenario: A Wait with a Timestamp wakes when the clock reaches it
    Given the clock is frozen at "2030-01-01T00:00:00Z"
    And the author has created a flow "Alarm" with:
      """
      {"definition": {"StartAt": "Until", "States": {
        "Until": {"Type": "Wait", "Timestamp": "2030-01-01T01:00:00Z", "Next": "Again"},
        "Again": {"Type": "Wait", "TimestampPath": "$.when", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Alarm" with:
      """
      {"body": {"when": "2030-01-02T00:00:00+00:00"}}
      """
    When the clock advances by 3599 seconds
    And the author gets the run "R"
    Then the response field "details.details.state_name" is "Until"
    When the clock advances by 1 second
    And the author gets the run "R"
    Then the response field "details.details.state_name" is "Again"
    And the response field "status" is "ACTIVE"
    When the clock advances by 82800 seconds
    Then the run "R" reaches status "SUCCEEDED"

  Scenario: A Wait in the past does not wait
    Given the author has created a flow "Past" with:
      """
      {"definition": {"StartAt": "Until", "States": {"Until": {"Type": "Wait", "Timestamp": "2001-01-01T00:00:00Z", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Past"
    Then the run "R" reaches status "SUCCEEDED"

  Scenario: A SecondsPath that is not a number fails the run
    Given the author has created a flow "BadWait" with:
      """
      {"definition": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}}
      """
    And the author has started a run "R" of the flow "BadWait" with:
      """
      {"body": {"s": "soon"}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"

  Scenario Outline: A SecondsPath to <seconds> seconds, more than a year, fails the run
    Given the author has created a flow "LongWait" with:
      """
      {"definition": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}}
      """
    And the author has started a run "R" of the flow "LongWait" with:
      """
      {"body": {"s": <seconds>}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the response field "details.details.Cause" mentions "31536000"

    Examples:
      | seconds  |
      | 31536001 |
      | 1e300    |

  Scenario: A SecondsPath to a year waits a year
    Given the author has created a flow "YearWait" with:
      """
      {"definition": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}}
      """
    And the author has started a run "R" of the flow "YearWait" with:
      """
      {"body": {"s": 31536000}}
      """
    When the clock advances by 31535999 seconds
    And the author gets the run "R"
    Then the response field "status" is "ACTIVE"
    When the clock advances by 1 second
    Then the run "R" reaches status "SUCCEEDED"

  Scenario: A Fail state may take its Error and Cause from the run state
    Given the author has created a flow "Blame" with:
      """
      {"definition": {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.err.code", "CausePath": "$.err.why"}}}}
      """
    And the author has started a run "R" of the flow "Blame" with:
      """
      {"body": {"err": {"code": "QuotaExceeded", "why": "Too many files"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details" is:
      """
      {"state_name": "F", "Error": "QuotaExceeded", "Cause": "Too many files"}
      """

  Scenario Outline: A malicious expression fails the run cleanly and the server stays responsive: <attack>
    Given the author has created a flow "Evil" with:
      """
      {"definition": {"StartAt": "E", "States": {"E": {"Type": "ExpressionEval",
        "Parameters": {"x.=": "<expression>"}, "ResultPath": "$.r", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Evil"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the error message mentions "<message>"
    When the author lists flows
    Then the response status is 200

    Examples:
      | attack                | expression                                                                     | message               |
      | endless comprehension | [a * b for a in range(100000) for b in range(100000)]                          | expression exceeded the       |
      | huge list             | [0] * 1000000000                                                               | larger than the limit |
      | huge string           | 'x' * 1000000000                                                               | larger than the limit |
      | huge range            | list(range(1000000000))                                                        | larger than the limit |
      | doubling              | [d for a in [[0] * 600000] for b in [a + a] for c in [b + b] for d in [c + c]] | larger than the limit |
      | undefined name        | nobody + 1                                                                     | undefined: nobody     |
      | missing property      | _context.nothing                                                               | no property           |

  Scenario: A run state larger than 200 KB fails the run with States.DataLimitExceeded
    Given the author has created a flow "Big" with:
      """
      {"definition": {"StartAt": "E", "States": {"E": {"Type": "ExpressionEval",
        "Parameters": {"x.=": "'x' * 300000"}, "ResultPath": "$.r", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Big"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.DataLimitExceeded"

  Scenario: A definition that loops forever ends after the most states a run may execute
    Given the author has created a flow "Loop" with:
      """
      {"definition": {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Loop"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the error message mentions "10000 states"

  Scenario: An example flow of the Globus docs: compute a destination path with an expression
    Given the author has created a flow "Destination" with:
      """
      {"definition": {"StartAt": "SetDestination", "States": {
        "SetDestination": {"Type": "ExpressionEval", "Parameters": {
            "destination_path.=": "(destination.path + '/' + SourceInfo.source_file) if (DestinationInfo.is_folder or ((not DestinationInfo.exists) and SourceInfo.is_recursive)) else destination.path",
            "parts.=": "pathsplit(destination.path)",
            "names.=": "[item.name for item in ls.DATA if not item.name.startswith('.')]"},
          "ResultPath": "$.computed", "Next": "IsFolder"},
        "IsFolder": {"Type": "Choice", "Choices": [{"Variable": "$.DestinationInfo.is_folder", "BooleanEquals": true, "Next": "Folder"}], "Default": "File"},
        "Folder": {"Type": "Pass", "Result": "folder", "ResultPath": "$.kind", "End": true},
        "File": {"Type": "Pass", "Result": "file", "ResultPath": "$.kind", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Destination" with:
      """
      {"body": {"destination": {"path": "/~/results"}, "SourceInfo": {"source_file": "data.h5", "is_recursive": false},
                "DestinationInfo": {"is_folder": true, "exists": true}, "ls": {"DATA": [{"name": "a"}, {"name": ".hidden"}, {"name": "b"}]}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.computed" is:
      """
      {"destination_path": "/~/results/data.h5", "parts": ["/~/", "results"], "names": ["a", "b"]}
      """
    And the response field "details.output.kind" is "folder"

  Scenario: The ExpressionEval example of the Globus docs
    Given the author has created a flow "DocsExample" with:
      """
      {"definition": {"StartAt": "EvalExample", "States": {"EvalExample": {
        "Type": "ExpressionEval",
        "Parameters": {
          "constant_val": 10,
          "reference_value.$": "$.Path.To.Value",
          "expression_value.=": "'Constant string ' + `$.Path.To.SuffixString`",
          "nested_value": {"child_const_val": true, "child_ref_val.$": "$.Child.Val.Path"},
          "secret_value": "MyPassword",
          "__Private_Parameters": ["secret_value"]},
        "ResultPath": "$.final_result",
        "End": true}}}}
      """
    And the author has started a run "R" of the flow "DocsExample" with:
      """
      {"body": {"Path": {"To": {"Value": 42, "SuffixString": "with a suffix"}}, "Child": {"Val": {"Path": "child"}}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.final_result" is:
      """
      {"constant_val": 10, "reference_value": 42, "expression_value": "Constant string with a suffix",
       "nested_value": {"child_const_val": true, "child_ref_val": "child"}}
      """
    And the response does not contain "MyPassword"

  Scenario: A private value stored at an array index, or inside a list, stays private there
    Given the author has created a flow "Indexed" with:
      """
      {"definition": {"StartAt": "Keep", "States": {
        "Keep": {"Type": "ExpressionEval", "Parameters": {"pin": "P1N-AT-INDEX", "user": "alice", "__Private_Parameters": ["pin"]},
                 "ResultPath": "$.slots[0]", "Next": "List"},
        "List": {"Type": "Pass", "Parameters": {"accounts": [{"token": "T0K-IN-LIST", "__Private_Parameters": ["token"]}, {"token": "shown"}]},
                 "ResultPath": "$.list", "Next": "Use"},
        "Use": {"Type": "ExpressionEval", "Parameters": {"pin_length.=": "len(slots[0].pin)", "token_length.=": "len(list.accounts[0].token)"},
                "ResultPath": "$.used", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Indexed" with:
      """
      {"body": {"slots": [{}, {"other": 1}]}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output" is:
      """
      {"slots": [{"user": "alice"}, {"other": 1}], "list": {"accounts": [{}, {"token": "shown"}]},
       "used": {"pin_length": 12, "token_length": 11}}
      """
    When the author reads the log of the run "R"
    Then the response does not contain "P1N-AT-INDEX"
    And the response does not contain "T0K-IN-LIST"

  Scenario: Values copied from private places stay private where they are copied to
    Given the author has created a flow "Copies" with:
      """
      {"definition": {"StartAt": "Rehome", "States": {
        "Rehome": {"Type": "Pass", "InputPath": "$._private", "ResultPath": "$.copy", "Next": "Refer"},
        "Refer": {"Type": "ExpressionEval", "Parameters": {"again.$": "$._private.pw", "all.$": "$.copy.*", "open": "yes"},
                  "ResultPath": "$.ref", "Next": "Use"},
        "Use": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "InputPath": "$.copy", "ResultPath": "$.hello", "Next": "Count"},
        "Count": {"Type": "ExpressionEval", "Parameters": {"n.=": "len(copy.echo_string) + len(ref.again) + len(ref.all)"},
                  "ResultPath": "$.count", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Copies" with:
      """
      {"body": {"_private": {"pw": "C0PIED-SECRET", "echo_string": "ECH0-SECRET"}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response does not contain "C0PIED-SECRET"
    And the response does not contain "ECH0-SECRET"
    And the response field "details.output.ref.open" is "yes"
    And the response field "details.output.count.n" is 26
    When the author reads the log of the run "R"
    Then the response does not contain "C0PIED-SECRET"
    And the response does not contain "ECH0-SECRET"
    And the log codes are "FlowStarted, PassStarted, PassCompleted, ExpressionEvalStarted, ExpressionEvalCompleted, ActionStarted, ActionCompleted, ExpressionEvalStarted, ExpressionEvalCompleted, FlowSucceeded"

  Scenario Outline: A failing expression that reads <what> names the parameter, never the value or the source
    Given the author has created a flow "Failing" with:
      """
      {"definition": {"StartAt": "Keep", "States": {
        "Keep": {"Type": "ExpressionEval", "Parameters": {"pw": "S3CRET-VALUE", "__Private_Parameters": ["pw"]},
                 "ResultPath": "$.creds", "Next": "Parse"},
        "Parse": {"Type": "ExpressionEval", "Parameters": <parameters>, "ResultPath": "$.parsed", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Failing" with:
      """
      {"body": {"_private": {"pw": "S3CRET-VALUE"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the response does not contain "S3CRET"
    And the response field "details.details.Error" is "States.Runtime"
    And the response field "details.details.Cause" mentions "n.="
    And the response field "details.details.state_name" is "Parse"
    When the author reads the log of the run "R"
    Then the response does not contain "S3CRET"

    Examples:
      | what                          | parameters                                                              |
      | a value under _private        | {"n.=": "int(_private.pw)"}                                             |
      | a backtick path to _private   | {"n.=": "int(`$._private.pw`)"}                                         |
      | getattr of a _private name    | {"n.=": "int(getattr('_private.pw'))"}                                  |
      | a private parameter's value   | {"n.=": "int(creds.pw)"}                                                |
      | nothing private, as a private | {"n.=": "'S3CRET-VALUE' + 1", "__Private_Parameters": ["n"]}            |
      | nothing private, nested       | {"box": {"n.=": "int('S3CRET-VALUE')"}, "__Private_Parameters": ["box"]} |

  Scenario: A failing expression that reads no private value keeps its message
    Given the author has created a flow "Plain" with:
      """
      {"definition": {"StartAt": "Parse", "States": {
        "Parse": {"Type": "ExpressionEval", "Parameters": {"n.=": "int(word)"}, "ResultPath": "$.parsed", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Plain" with:
      """
      {"body": {"word": "seven", "_private": {"pw": "S3CRET-VALUE"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Cause" mentions "seven"
    And the response does not contain "S3CRET"

  Scenario: A caught error keeps private values out of the error document it stores
    Given the author has created a flow "Caught" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
        "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                  "Context": {"Title.=": "'Code ' + str(int(_private.code))"}, "Options": [{"Value": 1, "Label": "OK"}],
                  "RespondentUrns": ["{author.urn}"]},
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"}],
                "ResultPath": "$.question", "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Caught" with:
      """
      {"body": {"_private": {"code": "C0DE-WORD"}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.error.Error" is "States.Runtime"
    And the response field "details.output.error.Cause" mentions "Title.="
    And the response does not contain "C0DE-WORD"
    When the author reads the log of the run "R"
    Then the response does not contain "C0DE-WORD"

  Scenario: A Fail state whose ErrorPath or CausePath selects a private value does not show it
    Given the author has created a flow "Telling" with:
      """
      {"definition": {"StartAt": "Stop", "States": {"Stop": {"Type": "Fail", "ErrorPath": "$._private.code", "CausePath": "$.why"}}}}
      """
    And the author has started a run "R" of the flow "Telling" with:
      """
      {"body": {"_private": {"code": "PRIV-ERR"}, "why": {"_private_note": "PRIV-NOTE", "public": "fine"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the response does not contain "PRIV-"
    And the response field "details.details.Error" mentions "Stop"
    When the author reads the log of the run "R"
    Then the response does not contain "PRIV-"

  Scenario: An expression's result that repeats a private value it read stays private; other results show
    Given the author has created a flow "Computed" with:
      """
      {"definition": {"StartAt": "Compute", "States": {
        "Compute": {"Type": "ExpressionEval",
                    "Parameters": {"same.=": "_private.pw", "greeting.=": "'key: ' + `$._private.pw`", "parts.=": "[_private.pw, 'open']",
                                   "length.=": "len(_private.pw)", "upper.=": "_private.pw.upper()"},
                    "ResultPath": "$.computed", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Computed" with:
      """
      {"body": {"_private": {"pw": "c0mputed-secret"}}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.computed" is:
      """
      {"parts": [null, "open"], "length": 15, "upper": "C0MPUTED-SECRET"}
      """
    When the author reads the log of the run "R"
    Then the response does not contain "c0mputed-secret"
