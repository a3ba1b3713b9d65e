@flows @roles
Feature: Flow roles decide who may see, run, update and delete a flow
  As a client developer
  I want every role boundary of the real service
  So that my portal shows and offers only what each user may do

  The scenarios speak of roles; the cast binds them to personas (on a real target, the config
  file's personas).

  Background:
    Given the cast:
      | role          | persona |
      | owner         | alice   |
      | administrator | bob     |
      | starter       | carol   |
      | viewer        | dave    |
      | outsider      | erin    |
      | run-manager   | erin    |
    And the owner has created a flow "Shared" with:
      """
      {
        "flow_administrators": ["{administrator.urn}"],
        "flow_starters": ["{starter.urn}"],
        "flow_viewers": ["{viewer.urn}"]
      }
      """

  Scenario Outline: Each role sees the flow with its own user_role
    When <who> gets the flow "Shared"
    Then the response status is 200
    And the response field "user_role" is "<role>"

    Examples:
      | who               | role               |
      | the owner         | flow_owner         |
      | the administrator | flow_administrator |
      | the starter       | flow_starter       |
      | the viewer        | flow_viewer        |

  Scenario: Roles include the ones below them
    When the administrator gets the flow "Shared"
    Then the response field "user_roles" is:
      """
      ["flow_viewer", "flow_starter", "flow_administrator"]
      """

  Scenario: A caller with no role gets 404, not 403
    When the outsider gets the flow "Shared"
    Then the response status is 404
    And the error code is "NOT_FOUND"

  Scenario Outline: Role lists are shown only to administrators and the owner
    When <who> gets the flow "Shared"
    Then the response field "flow_administrators" has <n> items
    And the response field "flow_starters" has <n> items
    And the response field "flow_viewers" has <n> items

    Examples:
      | who               | n |
      | the owner         | 1 |
      | the administrator | 1 |
      | the starter       | 0 |
      | the viewer        | 0 |

  Scenario Outline: Only administrators and the owner may update
    When <who> updates the flow "Shared" with:
      """
      {"description": "changed by <who>"}
      """
    Then the response status is <status>

    Examples:
      | who               | status |
      | the owner         | 200    |
      | the administrator | 200    |
      | the starter       | 403    |
      | the viewer        | 403    |
      | the outsider      | 404    |

  Scenario: A refused update says which permission is missing and changes nothing
    When the starter updates the flow "Shared" with:
      """
      {"title": "Hijacked"}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "Missing permissions: UPDATE"
    When the owner gets the flow "Shared"
    Then the response field "title" is "Shared"

  Scenario Outline: Only administrators and the owner may delete
    When <who> deletes the flow "Shared"
    Then the response status is <status>

    Examples:
      | who               | status |
      | the starter       | 403    |
      | the viewer        | 403    |
      | the outsider      | 404    |
      | the administrator | 200    |

  Scenario: A public flow is visible to every authenticated caller
    Given the owner has created a flow "Open" with:
      """
      {"flow_viewers": ["public"]}
      """
    When the outsider gets the flow "Open"
    Then the response status is 200
    And the response field "user_role" is "flow_viewer"

  Scenario: all_authenticated_users makes every caller a starter
    Given the owner has created a flow "Runnable" with:
      """
      {"flow_starters": ["all_authenticated_users"]}
      """
    When the outsider gets the flow "Runnable"
    Then the response status is 200
    And the response field "user_role" is "flow_starter"

  @control
  Scenario: Group membership grants the group's role
    Given a group "lab" with members the starter and the viewer
    And the owner has created a flow "Lab flow" with:
      """
      {"flow_administrators": ["{group:lab.urn}"]}
      """
    When the viewer updates the flow "Lab flow" with:
      """
      {"subtitle": "edited by a group member"}
      """
    Then the response status is 200
    When the outsider updates the flow "Lab flow" with:
      """
      {"subtitle": "not a member"}
      """
    Then the response status is 404

  Scenario: The flow's run managers see it as flow_run_manager
    Given the owner has created a flow "Managed" with:
      """
      {"run_managers": ["{run-manager.urn}"]}
      """
    When the run-manager gets the flow "Managed"
    Then the response status is 200
    And the response field "user_roles" is:
      """
      ["flow_run_manager"]
      """

  Scenario: An administrator may take ownership
    When the administrator updates the flow "Shared" with:
      """
      {"flow_owner": "{administrator.urn}"}
      """
    Then the response status is 200
    And the response field "flow_owner" is "{administrator.urn}"
    And the response field "user_role" is "flow_owner"
    When the owner gets the flow "Shared"
    Then the response status is 404

  Scenario: Ownership cannot be given to someone else
    When the owner updates the flow "Shared" with:
      """
      {"flow_owner": "{administrator.urn}"}
      """
    Then the response status is 422
    And the error locates "flow_owner"
    When the administrator gets the flow "Shared"
    Then the response field "flow_owner" is "{owner.urn}"

  Scenario: A starter cannot take ownership
    When the starter updates the flow "Shared" with:
      """
      {"flow_owner": "{starter.urn}"}
      """
    Then the response status is 403

  Scenario: Private parameters are hidden from callers below administrator
    Given the owner has created a flow "Secretive" with:
      """
      {
        "flow_viewers": ["{viewer.urn}"],
        "definition": {"StartAt": "Call", "States": {"Call": {
          "Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
          "Parameters": {"echo_string": "hi", "api_key": "s3cret", "__Private_Parameters": ["api_key"]},
          "End": true}}}
      }
      """
    When the viewer gets the flow "Secretive"
    Then the response field "definition.States.Call.Parameters" is:
      """
      {"echo_string": "hi"}
      """
    When the owner gets the flow "Secretive"
    Then the response field "definition.States.Call.Parameters.api_key" is "s3cret"
