@flows @validation
Feature: Bad input is refused with the service's error document and changes nothing
  As a client developer
  I want clear 4xx errors that locate the problem
  So that my client can show users what to fix

  Background:
    Given the cast:
      | role      | persona |
      | owner     | alice   |
      | colleague | bob     |

  Scenario: Malformed JSON is a 400
    When the owner sends POST "/flows" with:
      """
      {"title": "Broken", "definition":
      """
    Then the response status is 400
    And the error code is "BAD_REQUEST"

  Scenario: A missing definition is located
    When the owner sends POST "/flows" with:
      """
      {"title": "No definition"}
      """
    Then the response status is 422
    And the error code is "UNPROCESSABLE_ENTITY"
    And the error locates "definition"

  Scenario: A wrong type is located
    When the owner sends POST "/flows" with:
      """
      {"title": 42, "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 422
    And the error locates "title"
    And the error message mentions "str type expected"

  Scenario: Field names match exactly: a key that differs from "title" only by case does not set it
    When the owner sends POST "/flows" with:
      """
      {"title": "Exact", "Title": "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 201
    And the response field "title" is "Exact"

  Scenario: A title longer than 128 characters is refused
    When the owner sends POST "/flows" with:
      """
      {"title": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 422
    And the error locates "title"
    And the error message mentions "at most 128 characters"
    When the owner lists flows
    Then the listed flows are ""

  Scenario: An empty title is refused
    When the owner sends POST "/flows" with:
      """
      {"title": "", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 422
    And the error locates "title"

  Scenario Outline: A bad principal URN is located in its role list
    When the owner sends POST "/flows" with:
      """
      {"title": "Principals", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "<field>": ["{colleague.urn}", "<principal>"]}
      """
    Then the response status is 422
    And the error locates "<field>.1"
    And the error message mentions "Unrecognized principal string"

    Examples:
      | field               | principal                           |
      | flow_administrators | bob@example.org                     |
      | flow_administrators | public                              |
      | flow_starters       | public                              |
      | flow_viewers        | all_authenticated_users             |
      | run_managers        | urn:globus:auth:identity:not-a-uuid |
      | run_monitors        | urn:globus:groups:id:               |

  Scenario: At most 16 principals per role list
    When the owner sends POST "/flows" with:
      """
      {"title": "Crowded", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
       "flow_viewers": [
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000001", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000002",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000003", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000004",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000005", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000006",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000007", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000008",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000009", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000010",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000011", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000012",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000013", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000014",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000015", "urn:globus:auth:identity:00000000-0000-4000-8000-000000000016",
        "urn:globus:auth:identity:00000000-0000-4000-8000-000000000017"]}
      """
    Then the response status is 422
    And the error locates "flow_viewers"
    And the error message mentions "at most 16 items"

  Scenario: A definition state without Next or End is located
    When the owner sends POST "/flows" with:
      """
      {"title": "Dangling", "definition": {"StartAt": "Step1", "States": {"Step1": {"Type": "Pass"}}}}
      """
    Then the response status is 422
    And the error code is "UNPROCESSABLE_ENTITY"
    And the error locates "definition.States.Step1"
    And the error message mentions "must be defined as either terminal"

  Scenario Outline: Unsupported state types are refused
    When the owner sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "S", "States": {"S": {"Type": "<type>", "End": true}}}}
      """
    Then the response status is 422
    And the error locates "definition.States.S.Type"

    Examples:
      | type     |
      | Task     |
      | Parallel |
      | Map      |
      | Succeed  |

  Scenario: Next must name a state
    When the owner sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}}
      """
    Then the response status is 422
    And the error locates "definition.States.A.Next"

  Scenario: Unreachable states fail the flow's analysis
    When the owner sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "Orphan": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 422
    And the error code is "FLOW_VALIDATION_FAILED"
    And the error locates "definition.States.Orphan"

  Scenario: An invalid input schema is refused
    When the owner sends POST "/flows" with:
      """
      {"title": "Bad schema", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "input_schema": {"type": "not-a-type"}}
      """
    Then the response status is 422
    And the error locates "input_schema"

  Scenario: A refused update changes nothing
    Given the owner has created a flow "Stable"
    When the owner updates the flow "Stable" with:
      """
      {"description": "would change", "flow_viewers": ["nobody"]}
      """
    Then the response status is 422
    When the owner gets the flow "Stable"
    Then the response field "description" is ""

  Scenario: A path no service has is a 404 in the service's format
    When the owner sends GET "/flowz"
    Then the response status is 404
    And the error code is "NOT_FOUND"
