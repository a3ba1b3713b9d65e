@boundaries @control
Feature: Every time comparison at the exact instant, every comparison at equality
  As an implementer of Flows and Globus Auth
  I want each deadline tried one second before it and at it, on a frozen clock
  So that a strict comparison where the service has a loose one (or the reverse) shows

  A token is valid before its expiry instant and expired at it. A session satisfies a policy
  while its authentication is at most authentication_assurance_timeout seconds old, the limit
  included. A Wait ends at its deadline. Choice comparisons at equal values follow the States
  Language: only the Equals forms hold.

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |
    And the clock is frozen at "2030-01-01T00:00:00Z"

  @auth
  Scenario Outline: A token <after> seconds into a 60-second life answers <status>
    Given a token "short-lived" for alice that expires in 60 seconds
    When the clock advances by <after> seconds
    And a client with the token "short-lived" sends GET "/flows"
    Then the response status is <status>

    Examples:
      | after | status |
      | 59    | 200    |
      | 60    | 401    |

  @auth @policies
  Scenario Outline: A session <after> seconds old against a 600-second policy: <evaluation>
    Given alice has created a high-assurance policy "Recent" with a timeout of 600 seconds
    And alice authenticates
    When the clock advances by <after> seconds
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-alice" asking for policies "{policy:Recent}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Recent}": {"evaluation": <evaluation>}}
      """

    Examples:
      | after | evaluation |
      | 599   | true       |
      | 600   | true       |
      | 601   | false      |

  @runs @engine
  Scenario Outline: A Wait of 10 seconds (<how>) after <after> seconds: <status>
    Given the author has created a flow "Sleeper" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": <wait>}}}
      """
    And the author has started a run "R" of the flow "Sleeper" with:
      """
      {"body": {"secs": 10, "when": "2030-01-01T00:00:10Z"}}
      """
    And the runs settle
    When the clock advances by <after> seconds
    And the runs settle
    And the author gets the run "R"
    Then the response field "status" is "<status>"

    Examples:
      | how           | wait                                                             | after | status    |
      | Seconds       | {"Type": "Wait", "Seconds": 10, "End": true}                     | 9     | ACTIVE    |
      | Seconds       | {"Type": "Wait", "Seconds": 10, "End": true}                     | 10    | SUCCEEDED |
      | SecondsPath   | {"Type": "Wait", "SecondsPath": "$.secs", "End": true}           | 9     | ACTIVE    |
      | SecondsPath   | {"Type": "Wait", "SecondsPath": "$.secs", "End": true}           | 10    | SUCCEEDED |
      | Timestamp     | {"Type": "Wait", "Timestamp": "2030-01-01T00:00:10Z", "End": true} | 9   | ACTIVE    |
      | Timestamp     | {"Type": "Wait", "Timestamp": "2030-01-01T00:00:10Z", "End": true} | 10  | SUCCEEDED |
      | TimestampPath | {"Type": "Wait", "TimestampPath": "$.when", "End": true}         | 9     | ACTIVE    |
      | TimestampPath | {"Type": "Wait", "TimestampPath": "$.when", "End": true}         | 10    | SUCCEEDED |

  @runs @engine
  Scenario Outline: <operator> with <input> against <bound>: <branch>
    Given the author has created a flow "Chooser" with:
      """
      {"definition": {"StartAt": "Decide", "States": {
        "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.v", "<operator>": <bound>, "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "ResultPath": "$.branch", "End": true},
        "No": {"Type": "Pass", "Result": "no", "ResultPath": "$.branch", "End": true}}}}
      """
    And the author has started a run "Choice" of the flow "Chooser" with:
      """
      {"body": {"v": <input>}}
      """
    Then the run "Choice" reaches status "SUCCEEDED"
    And the response field "details.output.branch" is "<branch>"

    Examples: numbers
      | operator                    | input | bound | branch |
      | NumericEquals               | 2     | 2     | yes    |
      | NumericGreaterThan          | 2     | 2     | no     |
      | NumericGreaterThan          | 2.001 | 2     | yes    |
      | NumericGreaterThanEquals    | 2     | 2     | yes    |
      | NumericGreaterThanEquals    | 1.999 | 2     | no     |
      | NumericLessThan             | 2     | 2     | no     |
      | NumericLessThan             | 1.999 | 2     | yes    |
      | NumericLessThanEquals       | 2     | 2     | yes    |
      | NumericLessThanEquals       | 2.001 | 2     | no     |

    Examples: strings
      | operator                | input | bound | branch |
      | StringEquals            | "b"   | "b"   | yes    |
      | StringGreaterThan       | "b"   | "b"   | no     |
      | StringGreaterThan       | "ba"  | "b"   | yes    |
      | StringGreaterThanEquals | "b"   | "b"   | yes    |
      | StringLessThan          | "b"   | "b"   | no     |
      | StringLessThan          | "a"   | "b"   | yes    |
      | StringLessThanEquals    | "b"   | "b"   | yes    |
      | StringLessThanEquals    | "ba"  | "b"   | no     |

    Examples: timestamps
      | operator                   | input                  | bound                  | branch |
      | TimestampEquals            | "2030-01-01T00:00:00Z" | "2030-01-01T00:00:00Z" | yes    |
      | TimestampGreaterThan       | "2030-01-01T00:00:00Z" | "2030-01-01T00:00:00Z" | no     |
      | TimestampGreaterThan       | "2030-01-01T00:00:01Z" | "2030-01-01T00:00:00Z" | yes    |
      | TimestampGreaterThanEquals | "2030-01-01T00:00:00Z" | "2030-01-01T00:00:00Z" | yes    |
      | TimestampLessThan          | "2030-01-01T00:00:00Z" | "2030-01-01T00:00:00Z" | no     |
      | TimestampLessThanEquals    | "2030-01-01T00:00:00Z" | "2030-01-01T00:00:00Z" | yes    |
      | TimestampLessThanEquals    | "2030-01-01T00:00:01Z" | "2030-01-01T00:00:00Z" | no     |
