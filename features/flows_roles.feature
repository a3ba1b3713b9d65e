@flows @roles
Feature: Flow roles decide who may see, run, update and delete a flow
  As a client developer
  I want every role boundary of the real service
  So that my portal shows and offers only what each user may do

  Background:
    Given alice has created a flow "Shared" with:
      """
      {
        "flow_administrators": ["{bob.urn}"],
        "flow_starters": ["{carol.urn}"],
        "flow_viewers": ["{dave.urn}"]
      }
      """

  Scenario Outline: Each role sees the flow with its own user_role
    When <persona> gets the flow "Shared"
    Then the response status is 200
    And the response field "user_role" is "<role>"

    Examples:
      | persona | role               |
      | alice   | flow_owner         |
      | bob     | flow_administrator |
      | carol   | flow_starter       |
      | dave    | flow_viewer        |

  Scenario: Roles include the ones below them
    When bob gets the flow "Shared"
    Then the response field "user_roles" is:
      """
      ["flow_viewer", "flow_starter", "flow_administrator"]
      """

  Scenario: A caller with no role gets 404, not 403
    When erin gets the flow "Shared"
    Then the response status is 404
    And the error code is "NOT_FOUND"

  Scenario Outline: Role lists are shown only to administrators and the owner
    When <persona> gets the flow "Shared"
    Then the response field "flow_administrators" has <n> items
    And the response field "flow_starters" has <n> items
    And the response field "flow_viewers" has <n> items

    Examples:
      | persona | n |
      | alice   | 1 |
      | bob     | 1 |
      | carol   | 0 |
      | dave    | 0 |

  Scenario Outline: Only administrators and the owner may update
    When <persona> updates the flow "Shared" with:
      """
      {"description": "changed by <persona>"}
      """
    Then the response status is <status>

    Examples:
      | persona | status |
      | alice   | 200    |
      | bob     | 200    |
      | carol   | 403    |
      | dave    | 403    |
      | erin    | 404    |

  Scenario: A refused update says which permission is missing and changes nothing
    When carol updates the flow "Shared" with:
      """
      {"title": "Hijacked"}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "Missing permissions: UPDATE"
    When alice gets the flow "Shared"
    Then the response field "title" is "Shared"

  Scenario Outline: Only administrators and the owner may delete
    When <persona> deletes the flow "Shared"
    Then the response status is <status>

    Examples:
      | persona | status |
      | carol   | 403    |
      | dave    | 403    |
      | erin    | 404    |
      | bob     | 200    |

  Scenario: A public flow is visible to every authenticated caller
    Given alice has created a flow "Open" with:
      """
      {"flow_viewers": ["public"]}
      """
    When erin gets the flow "Open"
    Then the response status is 200
    And the response field "user_role" is "flow_viewer"

  Scenario: all_authenticated_users makes every caller a starter
    Given alice has created a flow "Runnable" with:
      """
      {"flow_starters": ["all_authenticated_users"]}
      """
    When erin gets the flow "Runnable"
    Then the response status is 200
    And the response field "user_role" is "flow_starter"

  @control
  Scenario: Group membership grants the group's role
    Given a group "lab" with members carol and dave
    And alice has created a flow "Lab flow" with:
      """
      {"flow_administrators": ["{group:lab.urn}"]}
      """
    When dave updates the flow "Lab flow" with:
      """
      {"subtitle": "edited by a group member"}
      """
    Then the response status is 200
    When erin updates the flow "Lab flow" with:
      """
      {"subtitle": "not a member"}
      """
    Then the response status is 404

  Scenario: The flow's run managers see it as flow_run_manager
    Given alice has created a flow "Managed" with:
      """
      {"run_managers": ["{erin.urn}"]}
      """
    When erin gets the flow "Managed"
    Then the response status is 200
    And the response field "user_roles" is:
      """
      ["flow_run_manager"]
      """

  Scenario: An administrator may take ownership
    When bob updates the flow "Shared" with:
      """
      {"flow_owner": "{bob.urn}"}
      """
    Then the response status is 200
    And the response field "flow_owner" is "{bob.urn}"
    And the response field "user_role" is "flow_owner"
    When alice gets the flow "Shared"
    Then the response status is 404

  Scenario: Ownership cannot be given to someone else
    When alice updates the flow "Shared" with:
      """
      {"flow_owner": "{bob.urn}"}
      """
    Then the response status is 422
    And the error locates "flow_owner"
    When bob gets the flow "Shared"
    Then the response field "flow_owner" is "{alice.urn}"

  Scenario: A starter cannot take ownership
    When carol updates the flow "Shared" with:
      """
      {"flow_owner": "{carol.urn}"}
      """
    Then the response status is 403

  Scenario: Private parameters are hidden from callers below administrator
    Given alice has created a flow "Secretive" with:
      """
      {
        "flow_viewers": ["{dave.urn}"],
        "definition": {"StartAt": "Call", "States": {"Call": {
          "Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
          "Parameters": {"echo_string": "hi", "api_key": "s3cret", "__Private_Parameters": ["api_key"]},
          "End": true}}}
      }
      """
    When dave gets the flow "Secretive"
    Then the response field "definition.States.Call.Parameters" is:
      """
      {"echo_string": "hi"}
      """
    When alice gets the flow "Secretive"
    Then the response field "definition.States.Call.Parameters.api_key" is "s3cret"
