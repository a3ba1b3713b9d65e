@flows @validation
Feature: Definitions are validated on create, update and POST /flows/validate
  As a client developer authoring flows
  I want every problem of a definition reported with its location, as the real service does
  So that my tools point authors at the exact state and field to fix

  Schema problems are 422 UNPROCESSABLE_ENTITY; problems found by analysing a well-formed
  definition (data access, expressions, unreachable states) are 422 FLOW_VALIDATION_FAILED.

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |

  Scenario Outline: <problem>
    When the author sends POST "/flows/validate" with:
      """
      {"definition": <definition>}
      """
    Then the response status is 422
    And the error code is "<code>"
    And the error locates "<location>"

    Examples:
      | problem                            | definition                                                                                                                        | code                   | location                                    |
      | StartAt names no state             | {"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": true}}}                                                               | UNPROCESSABLE_ENTITY   | definition.StartAt                          |
      | Next names no state                | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Z"}}}                                                                  | UNPROCESSABLE_ENTITY   | definition.States.A.Next                    |
      | Next and End together              | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": true}}}                                                     | UNPROCESSABLE_ENTITY   | definition.States.A                         |
      | neither Next nor End               | {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "Parameters": {}, "ResultPath": "$.x"}}}                              | UNPROCESSABLE_ENTITY   | definition.States.A                         |
      | Task is not supported              | {"StartAt": "A", "States": {"A": {"Type": "Task", "End": true}}}                                                                  | UNPROCESSABLE_ENTITY   | definition.States.A.Type                    |
      | Parallel is not supported          | {"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true}}}                                                              | UNPROCESSABLE_ENTITY   | definition.States.A.Type                    |
      | Map is not supported               | {"StartAt": "A", "States": {"A": {"Type": "Map", "End": true}}}                                                                   | UNPROCESSABLE_ENTITY   | definition.States.A.Type                    |
      | Succeed is not supported           | {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}                                                                            | UNPROCESSABLE_ENTITY   | definition.States.A.Type                    |
      | OutputPath is not supported        | {"StartAt": "A", "States": {"A": {"Type": "Pass", "OutputPath": "$.x", "End": true}}}                                             | UNPROCESSABLE_ENTITY   | definition.States.A.OutputPath              |
      | Choice rule without operator       | {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "C"}]}}}                              | UNPROCESSABLE_ENTITY   | definition.States.C.Choices.0               |
      | Choice rule with a bad operand     | {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": "yes", "Next": "C"}]}}}      | UNPROCESSABLE_ENTITY   | definition.States.C.Choices.0.BooleanEquals |
      | Choice rule without Next           | {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true}], "Default": "C"}}}           | UNPROCESSABLE_ENTITY   | definition.States.C.Choices.0.Next          |
      | Choice with End                    | {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "C"}], "End": true}}} | UNPROCESSABLE_ENTITY   | definition.States.C                         |
      | Wait with two durations            | {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Timestamp": "2030-01-01T00:00:00Z", "End": true}}}               | UNPROCESSABLE_ENTITY   | definition.States.W                         |
      | Fail with Cause and CausePath      | {"StartAt": "F", "States": {"F": {"Type": "Fail", "Cause": "c", "CausePath": "$.c"}}}                                             | UNPROCESSABLE_ENTITY   | definition.States.F.CausePath               |
      | ExpressionEval without Parameters  | {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "ResultPath": "$.x", "End": true}}}                                   | UNPROCESSABLE_ENTITY   | definition.States.A.Parameters              |
      | unreachable state                  | {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {"Type": "Pass", "End": true}}}                              | FLOW_VALIDATION_FAILED | definition.States.B                         |
      | invalid JSONPath                   | {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.a[", "End": true}}}                                             | FLOW_VALIDATION_FAILED | definition.States.A.InputPath               |
      | invalid reference in Parameters    | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "not a path"}, "End": true}}}                             | FLOW_VALIDATION_FAILED | definition.States.A.Parameters.x.$          |
      | invalid expression                 | {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "Parameters": {"x.=": "1 +* 2"}, "ResultPath": "$.x", "End": true}}}  | FLOW_VALIDATION_FAILED | definition.States.A.Parameters.x.=          |
      | ResultPath that is not a reference | {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$..x", "End": true}}}                                            | FLOW_VALIDATION_FAILED | definition.States.A.ResultPath              |
      | writing to the run context         | {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$._context", "End": true}}}                                      | FLOW_VALIDATION_FAILED | definition.States.A.ResultPath              |
      | invalid Choice variable            | {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "x", "IsNull": true, "Next": "C"}]}}}                | FLOW_VALIDATION_FAILED | definition.States.C.Choices.0.Variable      |
      | Wait longer than a year            | {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536001, "End": true}}}                                             | FLOW_VALIDATION_FAILED | definition.States.W.Seconds                 |
      | Wait of 1e300 seconds              | {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1e300, "End": true}}}                                                | FLOW_VALIDATION_FAILED | definition.States.W.Seconds                 |
      | WaitTime longer than a year        | {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "WaitTime": 31536001, "End": true}}} | FLOW_VALIDATION_FAILED | definition.States.A.WaitTime                |
      | WaitTime of 1e300 seconds          | {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "WaitTime": 1e300, "End": true}}} | FLOW_VALIDATION_FAILED | definition.States.A.WaitTime                |
      | negative WaitTime                  | {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "WaitTime": -1, "End": true}}} | UNPROCESSABLE_ENTITY   | definition.States.A.WaitTime                |
      | WaitTime that is not a number      | {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "WaitTime": "300", "End": true}}} | UNPROCESSABLE_ENTITY   | definition.States.A.WaitTime                |
      | private parameters not in a list   | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"k": "v", "__Private_Parameters": "k"}, "End": true}}}          | FLOW_VALIDATION_FAILED | definition.States.A.Parameters.__Private_Parameters |
      | a private parameter not a string   | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"k": "v", "__Private_Parameters": ["k", 1]}, "End": true}}}     | FLOW_VALIDATION_FAILED | definition.States.A.Parameters.__Private_Parameters.1 |
      | nested private parameters no list  | {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"l": [{"k": "v", "__Private_Parameters": {"k": true}}]}, "End": true}}} | FLOW_VALIDATION_FAILED | definition.States.A.Parameters.l.0.__Private_Parameters |

  Scenario: A Wait and an action's WaitTime of a year, the longest a run lives, are accepted
    When the author sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 31536000, "Next": "A"},
        "A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "WaitTime": 31536000, "End": true}}}}
      """
    Then the response status is 200

  Scenario: A duration out of range is refused at create, and nothing is created
    When the author creates a flow "Forever" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
        "Parameters": {"echo_string": "hi"}, "WaitTime": 1e300, "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    And the error locates "definition.States.A.WaitTime"
    When the author lists flows
    Then the listed flows exclude "Forever"

  Scenario: Every problem is reported, one entry each
    When the author sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "Nowhere"},
        "B": {"Type": "Wait", "End": true},
        "C": {"Type": "Map", "End": true}}}}
      """
    Then the response status is 422
    And the response field "error.detail" has 3 items
    And the error message mentions "3 validation errors in body"

  Scenario: A definition that fails analysis is refused at create, and nothing is created
    When the author creates a flow "Broken" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "Parameters": {"x.=": "("}, "ResultPath": "$.x", "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    When the author lists flows
    Then the listed flows exclude "Broken"

  Scenario: A definition that fails analysis is refused at update, and the flow keeps its definition
    Given the author has created a flow "Kept"
    When the author updates the flow "Kept" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$._context.x", "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    When the author gets the flow "Kept"
    Then the response field "definition.StartAt" is "Done"

  Scenario: A valid definition without Action states needs no scopes
    When the author sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "Parameters": {"x.=": "[i * 2 for i in range(3)]"}, "ResultPath": "$.x", "End": true}}}}
      """
    Then the response status is 200
    And the response field "scopes" is:
      """
      {}
      """

  Scenario: Private parameters that are not a list of names are refused at create and update
    When the author creates a flow "Careless" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "ExpressionEval", "Parameters": {"k": "secret", "__Private_Parameters": "k"},
                                                    "ResultPath": "$.x", "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    And the error locates "definition.States.A.Parameters.__Private_Parameters"
    When the author lists flows
    Then the listed flows exclude "Careless"
    Given the author has created a flow "Careful"
    When the author updates the flow "Careful" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
                                                    "Parameters": {"echo_string": "secret", "__Private_Parameters": [["echo_string"]]}, "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    And the error locates "definition.States.A.Parameters.__Private_Parameters.0"
    When the author gets the flow "Careful"
    Then the response field "definition.StartAt" is "Done"
