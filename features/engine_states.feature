@runs @engine @control
Feature: The flow engine follows the States Language as Globus speaks it
  As a client developer testing flows before deploying them
  I want every state type, operator and data-handling rule to behave as on the real service
  So that a flow that works against the mock works in production

  Scenario Outline: Choice operators: <operator family>
    Given alice has created a flow "Chooser" with:
      """
      {"definition": {"StartAt": "Decide", "States": {
        "Decide": {"Type": "Choice", "Choices": [<rule>], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "ResultPath": "$.branch", "End": true},
        "No": {"Type": "Pass", "Result": "no", "ResultPath": "$.branch", "End": true}}}}
      """
    And alice has started a run "Choice" of the flow "Chooser" with:
      """
      {"body": <input>}
      """
    Then the run "Choice" reaches status "SUCCEEDED"
    And the response field "details.output.branch" is "<branch>"

    Examples:
      | operator family             | rule                                                                                              | input                                         | branch |
      | StringEquals                | {"Variable": "$.s", "StringEquals": "abc", "Next": "Yes"} | {"s": "abc"}                                  | yes    |
      | StringEquals, other value   | {"Variable": "$.s", "StringEquals": "abc", "Next": "Yes"} | {"s": "abd"}                                  | no     |
      | StringLessThan              | {"Variable": "$.s", "StringLessThan": "b", "Next": "Yes"} | {"s": "abc"}                                  | yes    |
      | StringGreaterThanEquals     | {"Variable": "$.s", "StringGreaterThanEquals": "abc", "Next": "Yes"} | {"s": "abc"}                                  | yes    |
      | StringMatches wildcard      | {"Variable": "$.s", "StringMatches": "log-*.txt", "Next": "Yes"} | {"s": "log-2024.txt"}                         | yes    |
      | StringMatches escaped star  | {"Variable": "$.s", "StringMatches": "a\\\\*b", "Next": "Yes"} | {"s": "a*b"}                                  | yes    |
      | StringMatches escaped, text | {"Variable": "$.s", "StringMatches": "a\\\\*b", "Next": "Yes"} | {"s": "axb"}                                 | no     |
      | StringEqualsPath            | {"Variable": "$.s", "StringEqualsPath": "$.t", "Next": "Yes"} | {"s": "x", "t": "x"}                          | yes    |
      | NumericEquals int and float | {"Variable": "$.n", "NumericEquals": 2, "Next": "Yes"} | {"n": 2.0}                                    | yes    |
      | NumericGreaterThan          | {"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Yes"} | {"n": 2.5}                                    | yes    |
      | NumericLessThanEquals       | {"Variable": "$.n", "NumericLessThanEquals": 2, "Next": "Yes"} | {"n": 3}                                      | no     |
      | NumericLessThanPath         | {"Variable": "$.n", "NumericLessThanPath": "$.limit", "Next": "Yes"} | {"n": 3, "limit": 10}                         | yes    |
      | wrong type compares false   | {"Variable": "$.n", "NumericEquals": 2, "Next": "Yes"} | {"n": "2"}                                    | no     |
      | BooleanEquals               | {"Variable": "$.b", "BooleanEquals": false, "Next": "Yes"} | {"b": false}                                  | yes    |
      | BooleanEqualsPath           | {"Variable": "$.b", "BooleanEqualsPath": "$.c", "Next": "Yes"} | {"b": true, "c": false}                       | no     |
      | TimestampEquals             | {"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "Yes"} | {"t": "2024-01-01T01:00:00+01:00"}            | yes    |
      | TimestampGreaterThan        | {"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T00:00:00Z", "Next": "Yes"} | {"t": "2023-12-31T23:59:59Z"}                 | no     |
      | TimestampLessThanEqualsPath | {"Variable": "$.t", "TimestampLessThanEqualsPath": "$.u", "Next": "Yes"} | {"t": "2024-01-01T00:00:00Z", "u": "2024-02-01T00:00:00Z"} | yes |
      | IsNull                      | {"Variable": "$.v", "IsNull": true, "Next": "Yes"} | {"v": null}                                   | yes    |
      | IsPresent false             | {"Variable": "$.missing", "IsPresent": false, "Next": "Yes"} | {}                                            | yes    |
      | IsNumeric                   | {"Variable": "$.v", "IsNumeric": true, "Next": "Yes"} | {"v": "1"}                                    | no     |
      | IsString                    | {"Variable": "$.v", "IsString": true, "Next": "Yes"} | {"v": "1"}                                    | yes    |
      | IsBoolean                   | {"Variable": "$.v", "IsBoolean": true, "Next": "Yes"} | {"v": true}                                   | yes    |
      | IsTimestamp                 | {"Variable": "$.v", "IsTimestamp": true, "Next": "Yes"} | {"v": "2024-01-01T00:00:00Z"}                 | yes    |
      | And                         | {"And": [{"Variable": "$.n", "NumericGreaterThan": 1}, {"Variable": "$.n", "NumericLessThan": 3}], "Next": "Yes"} | {"n": 2}                                      | yes    |
      | Or                          | {"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 3}], "Next": "Yes"} | {"n": 2}                                      | no     |
      | Not                         | {"Not": {"Variable": "$.s", "StringEquals": "x"}, "Next": "Yes"} | {"s": "y"}                                    | yes    |
      | context variable            | {"Variable": "$._context.username", "StringEquals": "alice@example.org", "Next": "Yes"} | {}                                            | yes    |
