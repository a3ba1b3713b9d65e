@flows @roles @matrix
Feature: Every flow role against every flow operation
  As an implementer of the Flows API
  I want each role checked against each operation, one row each
  So that no role gains or loses a right the real service gives it

  Roles are cumulative: administrators hold every starter right, starters every viewer right.
  The flow's run managers and run monitors see the flow but hold no right over it. A caller who
  cannot see the flow is told it does not exist (404); one who can see it but lacks the right is
  refused with 403.

  Background:
    Given the cast:
      | role    | persona |
      | owner   | alice   |
      | grantee | bob     |
      | other   | carol   |

  Scenario Outline: <list> (<who>) on <method> flow<operation>
    Given the owner has created a flow "Shared" with:
      """
      {"<list>": ["{<who>.urn}"]}
      """
    When the <who> sends <method> "/flows/{flow:Shared}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: the owner
      | list                | who   | method | operation | body                    | status |
      | flow_administrators | owner | GET    |           |                         | 200    |
      | flow_administrators | owner | PUT    |           | {"description": "mine"} | 200    |
      | flow_administrators | owner | POST   | /run      | {"body": {}}            | 201    |
      | flow_administrators | owner | GET    | /runs     |                         | 200    |
      | flow_administrators | owner | DELETE |           |                         | 200    |

    Examples: each role of the grantee
      | list                | who     | method | operation | body                    | status |
      | flow_administrators | grantee | GET    |           |                         | 200    |
      | flow_administrators | grantee | PUT    |           | {"description": "mine"} | 200    |
      | flow_administrators | grantee | POST   | /run      | {"body": {}}            | 201    |
      | flow_administrators | grantee | GET    | /runs     |                         | 200    |
      | flow_administrators | grantee | DELETE |           |                         | 200    |
      | flow_starters       | grantee | GET    |           |                         | 200    |
      | flow_starters       | grantee | PUT    |           | {"description": "mine"} | 403    |
      | flow_starters       | grantee | POST   | /run      | {"body": {}}            | 201    |
      | flow_starters       | grantee | GET    | /runs     |                         | 200    |
      | flow_starters       | grantee | DELETE |           |                         | 403    |
      | flow_viewers        | grantee | GET    |           |                         | 200    |
      | flow_viewers        | grantee | PUT    |           | {"description": "mine"} | 403    |
      | flow_viewers        | grantee | POST   | /run      | {"body": {}}            | 403    |
      | flow_viewers        | grantee | GET    | /runs     |                         | 200    |
      | flow_viewers        | grantee | DELETE |           |                         | 403    |
      | run_managers        | grantee | GET    |           |                         | 200    |
      | run_managers        | grantee | PUT    |           | {"description": "mine"} | 403    |
      | run_managers        | grantee | POST   | /run      | {"body": {}}            | 403    |
      | run_managers        | grantee | DELETE |           |                         | 403    |
      | run_monitors        | grantee | GET    |           |                         | 200    |
      | run_monitors        | grantee | PUT    |           | {"description": "mine"} | 403    |
      | run_monitors        | grantee | POST   | /run      | {"body": {}}            | 403    |
      | run_monitors        | grantee | DELETE |           |                         | 403    |

  Scenario Outline: an outsider on <method> flow<operation> is told the flow does not exist
    Given the owner has created a flow "Hidden" with:
      """
      {"flow_viewers": ["{other.urn}"]}
      """
    When the grantee sends <method> "/flows/{flow:Hidden}<operation>" with:
      """
      <body>
      """
    Then the response status is 404
    And the error code is "NOT_FOUND"
    When the owner gets the flow "Hidden"
    Then the response field "description" is ""

    Examples:
      | method | operation | body                    |
      | GET    |           |                         |
      | PUT    |           | {"description": "mine"} |
      | POST   | /run      | {"body": {}}            |
      | GET    | /runs     |                         |
      | DELETE |           |                         |

  Scenario Outline: <list> (the grantee) finds the flow with filter_roles=<filter>: <verb>
    Given the owner has created a flow "Shared" with:
      """
      {"<list>": ["{grantee.urn}"]}
      """
    When the grantee lists flows with "filter_roles=<filter>"
    Then the response status is 200
    And the listed flows <verb> "Shared"

    Examples:
      | list                | filter             | verb    |
      | flow_administrators | flow_administrator | include |
      | flow_administrators | flow_starter       | include |
      | flow_administrators | flow_viewer        | include |
      | flow_administrators | flow_owner         | exclude |
      | flow_starters       | flow_administrator | exclude |
      | flow_starters       | flow_starter       | include |
      | flow_starters       | flow_viewer        | include |
      | flow_viewers        | flow_starter       | exclude |
      | flow_viewers        | flow_viewer        | include |
      | run_managers        | run_manager        | include |
      | run_managers        | run_monitor        | exclude |
      | run_managers        | flow_viewer        | exclude |
      | run_monitors        | run_monitor        | include |
      | run_monitors        | run_manager        | exclude |
      | flow_viewers        | run_monitor        | exclude |

  Scenario Outline: <list> (the grantee) sees the role lists: <n>
    Given the owner has created a flow "Shared" with:
      """
      {"<list>": ["{grantee.urn}"], "flow_viewers": ["{other.urn}"], "flow_starters": ["{other.urn}"]}
      """
    When the grantee gets the flow "Shared"
    Then the response status is 200
    And the response field "flow_viewers" has <n> items
    And the response field "flow_starters" has <n> items

    Examples:
      | list                | n |
      | flow_administrators | 1 |
      | run_managers        | 0 |
      | run_monitors        | 0 |

  @control
  Scenario Outline: <list> held through <path> on <method> flow<operation>
    Given a group "Lab" with members the grantee
    And a group "Elsewhere" with members the other
    And the owner has created a flow "Shared" with:
      """
      {"<list>": ["<principal>"]}
      """
    When the <caller> sends <method> "/flows/{flow:Shared}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | path                   | list                | principal             | caller  | method | operation | body                    | status |
      | a group                | flow_administrators | {group:Lab.urn}       | grantee | PUT    |           | {"description": "mine"} | 200    |
      | a group                | flow_administrators | {group:Lab.urn}       | grantee | DELETE |           |                         | 200    |
      | a group                | flow_starters       | {group:Lab.urn}       | grantee | POST   | /run      | {"body": {}}            | 201    |
      | a group                | flow_starters       | {group:Lab.urn}       | grantee | PUT    |           | {"description": "mine"} | 403    |
      | a group                | flow_viewers        | {group:Lab.urn}       | grantee | GET    |           |                         | 200    |
      | a group                | flow_viewers        | {group:Lab.urn}       | grantee | POST   | /run      | {"body": {}}            | 403    |
      | a group                | run_managers        | {group:Lab.urn}       | grantee | GET    |           |                         | 200    |
      | a group of others      | flow_administrators | {group:Elsewhere.urn} | grantee | GET    |           |                         | 404    |

  # The default world links a second identity to erin's account: a token of the account carries
  # both, so a role given to either is the caller's.
  @control
  Scenario Outline: <list> held through a linked identity, <caller> on <method> flow<operation>
    Given the owner has created a flow "Shared" with:
      """
      {"<list>": ["urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015"]}
      """
    When <caller> sends <method> "/flows/{flow:Shared}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | caller | list                | method | operation | body                    | status |
      | erin   | flow_administrators | PUT    |           | {"description": "mine"} | 200    |
      | erin   | flow_starters       | POST   | /run      | {"body": {}}            | 201    |
      | erin   | flow_viewers        | GET    |           |                         | 200    |
      | erin   | flow_viewers        | PUT    |           | {"description": "mine"} | 403    |
      | bob    | flow_administrators | GET    |           |                         | 404    |
