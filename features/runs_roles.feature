@runs @roles
Feature: Who may see and manage a run
  As a client developer building on Globus Flows
  I want run permissions to follow the real service's run roles
  So that my portal shows and offers exactly what each user may do

  Run roles: run_owner (who started it) includes run_managers, which include run_monitors.
  The flow's own run_managers and run_monitors give flow_run_manager and flow_run_monitor on
  every run of the flow; other flow roles give nothing on runs.

  Background:
    Given the cast:
      | role               | persona |
      | owner              | alice   |
      | monitor            | bob     |
      | manager            | carol   |
      | flow-administrator | dave    |
      | flow-run-monitor   | erin    |
      | flow-run-manager   | erin    |
    And the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "flow_administrators": ["{flow-administrator.urn}"], "flow_starters": ["{monitor.urn}"],
       "run_monitors": ["{flow-run-monitor.urn}"]}
      """
    And the owner has started a run "Watched" of the flow "Shared" with:
      """
      {"body": {}, "run_monitors": ["{monitor.urn}"], "run_managers": ["{manager.urn}"]}
      """

  Scenario Outline: Each run role sees the run with its own user_role
    When <who> gets the run "Watched"
    Then the response status is 200
    And the response field "user_role" is "<role>"

    Examples:
      | who                  | role             |
      | the owner            | run_owner        |
      | the manager          | run_manager      |
      | the monitor          | run_monitor      |
      | the flow-run-monitor | flow_run_monitor |

  Scenario: Roles include the ones below them
    When the owner gets the run "Watched"
    Then the response field "user_roles" is:
      """
      ["run_owner", "run_manager", "run_monitor"]
      """
    When the manager gets the run "Watched"
    Then the response field "user_roles" is:
      """
      ["run_manager", "run_monitor"]
      """

  Scenario: Flow roles give no access to runs
    When the flow-administrator gets the run "Watched"
    Then the response status is 404
    And the error code is "NOT_FOUND"

  Scenario Outline: A caller with no role on the run gets 404 everywhere
    When the flow-administrator sends <method> "<path>"
    Then the response status is 404

    Examples:
      | method | path                           |
      | GET    | /runs/{run:Watched}            |
      | GET    | /runs/{run:Watched}/log        |
      | GET    | /runs/{run:Watched}/definition |
      | POST   | /runs/{run:Watched}/cancel     |
      | POST   | /runs/{run:Watched}/release    |
      | POST   | /runs/{run:Watched}/resume     |

  Scenario: Role lists are shown to managers only
    When the manager gets the run "Watched"
    Then the response field "run_monitors" contains "{monitor.urn}"
    And the response field "run_managers" contains "{manager.urn}"
    When the monitor gets the run "Watched"
    Then the response field "run_monitors" has 0 items
    And the response field "run_managers" has 0 items

  Scenario: A monitor may read the log and the definition
    When the monitor sends GET "/runs/{run:Watched}/log"
    Then the response status is 200
    When the monitor sends GET "/runs/{run:Watched}/definition"
    Then the response status is 200

  Scenario Outline: A monitor may not change the run
    When the monitor sends <method> "<path>" with:
      """
      <body>
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "Missing permissions: <permission>"

    Examples:
      | method | path                        | body              | permission |
      | PUT    | /runs/{run:Watched}         | {"label": "mine"} | UPDATE     |
      | POST   | /runs/{run:Watched}/cancel  |                   | CANCEL     |
      | POST   | /runs/{run:Watched}/release |                   | RELEASE    |

  Scenario: A manager may update the run, and may change who monitors it
    When the manager sends PUT "/runs/{run:Watched}" with:
      """
      {"label": "managed", "run_monitors": []}
      """
    Then the response status is 200
    And the response field "label" is "managed"
    When the monitor gets the run "Watched"
    Then the response status is 404

  Scenario: A manager may cancel the run
    When the manager sends POST "/runs/{run:Watched}/cancel"
    Then the response status is 202
    And the response field "details.code" is "FlowCanceled"

  Scenario: A flow run manager manages runs of the flow but may not resume them
    Given the owner has created a flow "Delegated" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "run_managers": ["{flow-run-manager.urn}"]}
      """
    And the owner has started a run "Theirs" of the flow "Delegated"
    When the flow-run-manager gets the run "Theirs"
    Then the response field "user_role" is "flow_run_manager"
    When the flow-run-manager sends POST "/runs/{run:Theirs}/resume"
    Then the response status is 404
    When the flow-run-manager sends POST "/runs/{run:Theirs}/cancel"
    Then the response status is 202

  @control
  Scenario: Group members hold the group's run role
    Given a group "Watchers" with members the flow-administrator
    And the owner has started a run "Grouped" of the flow "Shared" with:
      """
      {"body": {}, "run_monitors": ["{group:Watchers.urn}"]}
      """
    When the flow-administrator gets the run "Grouped"
    Then the response status is 200
    And the response field "user_role" is "run_monitor"

  Scenario: The flow's private parameters are hidden in the run definition from callers below flow administrator
    Given the owner has created a flow "Secretive" with:
      """
      {"definition": {"StartAt": "Keep", "States": {"Keep": {"Type": "ExpressionEval",
         "Parameters": {"password": "hunter2", "user.$": "$.user", "__Private_Parameters": ["password"]},
         "ResultPath": "$.creds", "Next": "Sleep"},
         "Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}}}
      """
    And the owner has started a run "Private" of the flow "Secretive" with:
      """
      {"body": {"user": "alice"}, "run_monitors": ["{monitor.urn}"]}
      """
    When the monitor sends GET "/runs/{run:Private}/definition"
    Then the response field "definition.States.Keep.Parameters" is:
      """
      {"user.$": "$.user"}
      """
    When the owner sends GET "/runs/{run:Private}/definition"
    Then the response field "definition.States.Keep.Parameters" is:
      """
      {"password": "hunter2", "user.$": "$.user", "__Private_Parameters": ["password"]}
      """
