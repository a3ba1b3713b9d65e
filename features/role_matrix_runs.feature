@runs @roles @matrix
Feature: Every run role against every run operation
  As an implementer of the Flows API
  I want each run role checked against each run operation, one row each
  So that no role gains or loses a right the real service gives it

  run_owner (who started the run) includes run_manager, which includes run_monitor. The flow's
  run_managers and run_monitors hold flow_run_manager and flow_run_monitor on every run of the
  flow; a flow run manager manages but may not resume. Other flow roles, the flow's owner
  included, give nothing on runs: the run does not exist for them (404). A caller who sees the run
  but lacks the right is refused with 403, except resume, which is 404 to all but its owner and
  managers; release of a run that has not ended is a conflict (409)
  for a caller allowed to release.

  Background:
    Given the cast:
      | role    | persona |
      | owner   | alice   |
      | grantee | bob     |
      | other   | carol   |

  Scenario Outline: <role> on <method> run<operation>
    Given the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "flow_starters": ["all_authenticated_users"], "<flow_list>": ["{grantee.urn}"]}
      """
    And the <starter> has started a run "Watched" of the flow "Shared" with:
      """
      {"body": {}, "<run_list>": ["{grantee.urn}"]}
      """
    When the grantee sends <method> "/runs/{run:Watched}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: the run's own roles
      | role        | flow_list | starter | run_list     | method | operation   | body              | status |
      | run_owner   | keywords  | grantee | tags         | GET    |             |                   | 200    |
      | run_owner   | keywords  | grantee | tags         | GET    | /log        |                   | 200    |
      | run_owner   | keywords  | grantee | tags         | GET    | /definition |                   | 200    |
      | run_owner   | keywords  | grantee | tags         | PUT    |             | {"label": "mine"} | 200    |
      | run_owner   | keywords  | grantee | tags         | POST   | /cancel     |                   | 202    |
      | run_owner   | keywords  | grantee | tags         | POST   | /release    |                   | 409    |
      | run_owner   | keywords  | grantee | tags         | POST   | /resume     |                   | 200    |
      | run_manager | keywords  | owner   | run_managers | GET    |             |                   | 200    |
      | run_manager | keywords  | owner   | run_managers | GET    | /log        |                   | 200    |
      | run_manager | keywords  | owner   | run_managers | GET    | /definition |                   | 200    |
      | run_manager | keywords  | owner   | run_managers | PUT    |             | {"label": "mine"} | 200    |
      | run_manager | keywords  | owner   | run_managers | POST   | /cancel     |                   | 202    |
      | run_manager | keywords  | owner   | run_managers | POST   | /release    |                   | 409    |
      | run_manager | keywords  | owner   | run_managers | POST   | /resume     |                   | 200    |
      | run_monitor | keywords  | owner   | run_monitors | GET    |             |                   | 200    |
      | run_monitor | keywords  | owner   | run_monitors | GET    | /log        |                   | 200    |
      | run_monitor | keywords  | owner   | run_monitors | GET    | /definition |                   | 200    |
      | run_monitor | keywords  | owner   | run_monitors | PUT    |             | {"label": "mine"} | 403    |
      | run_monitor | keywords  | owner   | run_monitors | POST   | /cancel     |                   | 403    |
      | run_monitor | keywords  | owner   | run_monitors | POST   | /release    |                   | 403    |
      | run_monitor | keywords  | owner   | run_monitors | POST   | /resume     |                   | 404    |

    Examples: roles given by the flow
      | role               | flow_list           | starter | run_list | method | operation   | body              | status |
      | flow_run_manager   | run_managers        | owner   | tags     | GET    |             |                   | 200    |
      | flow_run_manager   | run_managers        | owner   | tags     | GET    | /log        |                   | 200    |
      | flow_run_manager   | run_managers        | owner   | tags     | GET    | /definition |                   | 200    |
      | flow_run_manager   | run_managers        | owner   | tags     | PUT    |             | {"label": "mine"} | 200    |
      | flow_run_manager   | run_managers        | owner   | tags     | POST   | /cancel     |                   | 202    |
      | flow_run_manager   | run_managers        | owner   | tags     | POST   | /release    |                   | 409    |
      | flow_run_manager   | run_managers        | owner   | tags     | POST   | /resume     |                   | 404    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | GET    |             |                   | 200    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | GET    | /log        |                   | 200    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | GET    | /definition |                   | 200    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | PUT    |             | {"label": "mine"} | 403    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | POST   | /cancel     |                   | 403    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | POST   | /release    |                   | 403    |
      | flow_run_monitor   | run_monitors        | owner   | tags     | POST   | /resume     |                   | 404    |
      | flow_administrator | flow_administrators | owner   | tags     | GET    |             |                   | 404    |
      | flow_administrator | flow_administrators | owner   | tags     | GET    | /log        |                   | 404    |
      | flow_administrator | flow_administrators | owner   | tags     | PUT    |             | {"label": "mine"} | 404    |
      | flow_administrator | flow_administrators | owner   | tags     | POST   | /cancel     |                   | 404    |
      | flow_viewer        | flow_viewers        | owner   | tags     | GET    |             |                   | 404    |
      | flow_viewer        | flow_viewers        | owner   | tags     | POST   | /release    |                   | 404    |
      | an outsider        | keywords            | owner   | tags     | GET    | /definition |                   | 404    |
      | an outsider        | keywords            | owner   | tags     | POST   | /resume     |                   | 404    |

  Scenario Outline: the flow's owner, who did not start the run, on <method> run<operation>
    Given the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "flow_starters": ["{grantee.urn}"]}
      """
    And the grantee has started a run "Theirs" of the flow "Shared"
    When the owner sends <method> "/runs/{run:Theirs}<operation>" with:
      """
      <body>
      """
    Then the response status is 404
    And the error code is "NOT_FOUND"

    Examples:
      | method | operation | body              |
      | GET    |           |                   |
      | GET    | /log      |                   |
      | PUT    |           | {"label": "mine"} |
      | POST   | /cancel   |                   |

  Scenario Outline: <role> on a run that has ended: release answers <status>
    Given the owner has created a flow "Quick" with:
      """
      {"flow_starters": ["all_authenticated_users"], "<flow_list>": ["{grantee.urn}"]}
      """
    And the <starter> has started a run "Done" of the flow "Quick" with:
      """
      {"body": {}, "<run_list>": ["{grantee.urn}"]}
      """
    And the run "Done" reaches status "SUCCEEDED"
    When the grantee sends POST "/runs/{run:Done}/release"
    Then the response status is <status>

    Examples:
      | role             | flow_list    | starter | run_list     | status |
      | run_owner        | keywords     | grantee | tags         | 200    |
      | run_manager      | keywords     | owner   | run_managers | 200    |
      | flow_run_manager | run_managers | owner   | tags         | 200    |
      | run_monitor      | keywords     | owner   | run_monitors | 403    |
      | flow_run_monitor | run_monitors | owner   | tags         | 403    |

  Scenario Outline: <role> sees the run's role lists: <n>
    Given the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "<flow_list>": ["{grantee.urn}"]}
      """
    And the owner has started a run "Watched" of the flow "Shared" with:
      """
      {"body": {}, "<run_list>": ["{grantee.urn}"], "run_monitors": ["{other.urn}"]}
      """
    When the grantee gets the run "Watched"
    Then the response status is 200
    And the response field "run_monitors" has <n> items

    Examples:
      | role             | flow_list    | run_list     | n |
      | run_manager      | keywords     | run_managers | 1 |
      | flow_run_manager | run_managers | tags         | 1 |
      | flow_run_monitor | run_monitors | tags         | 0 |

  @control
  Scenario Outline: <role> held through a group on <method> run<operation>
    Given a group "Lab" with members the grantee
    And the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "<flow_list>": ["{group:Lab.urn}"]}
      """
    And the owner has started a run "Watched" of the flow "Shared" with:
      """
      {"body": {}, "<run_list>": ["{group:Lab.urn}"]}
      """
    When the grantee sends <method> "/runs/{run:Watched}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | role             | flow_list    | run_list     | method | operation | body              | status |
      | run_manager      | keywords     | run_managers | PUT    |           | {"label": "mine"} | 200    |
      | run_manager      | keywords     | run_managers | POST   | /cancel   |                   | 202    |
      | run_monitor      | keywords     | run_monitors | GET    | /log      |                   | 200    |
      | run_monitor      | keywords     | run_monitors | POST   | /cancel   |                   | 403    |
      | flow_run_manager | run_managers | tags         | POST   | /cancel   |                   | 202    |
      | flow_run_monitor | run_monitors | tags         | GET    |           |                   | 200    |

  @control
  Scenario Outline: <role> held through a linked identity on <method> run<operation>
    Given the owner has created a flow "Shared" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}}}
      """
    And the owner has started a run "Watched" of the flow "Shared" with:
      """
      {"body": {}, "<run_list>": ["urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015"]}
      """
    When erin sends <method> "/runs/{run:Watched}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | role        | run_list     | method | operation | body              | status |
      | run_manager | run_managers | PUT    |           | {"label": "mine"} | 200    |
      | run_monitor | run_monitors | GET    |           |                   | 200    |
      | run_monitor | run_monitors | POST   | /cancel   |                   | 403    |
