@auth @policies @roles @matrix
Feature: Project administrators against every authentication policy operation
  As an implementer of Globus Auth's policies API
  I want each caller checked against each policy operation, one row each
  So that only the administrators of a policy's project see and change it

  A policy belongs to a project; the project's administrators read, update, delete and list its
  policies: the identities the project names, the members of its administrator groups, and any
  identity linked to one of them. Anyone else, the policy's creator included once the project no
  longer names them, is told the policy does not exist. A policy of a project the service does
  not know (a world without projects) is administered by its creator.

  Scenario Outline: <who> on <method> a policy
    Given alice has created a standard policy "Mine"
    And alice has created a high-assurance policy "Other"
    When <who> sends <method> "/v2/api/policies/{policy:Mine}" with:
      """
      <body>
      """
    Then the response status is <status>
    When alice sends GET "/v2/api/policies/{policy:Other}"
    Then the response status is 200

    Examples:
      | who   | method | body                                   | status |
      | alice | GET    |                                        | 200    |
      | alice | PUT    | {"policy": {"display_name": "Mine 2"}} | 200    |
      | alice | DELETE |                                        | 200    |
      | bob   | GET    |                                        | 404    |
      | bob   | PUT    | {"policy": {"display_name": "Mine 2"}} | 404    |
      | bob   | DELETE |                                        | 404    |

  Scenario Outline: <who> lists <count> policies
    Given alice has created a standard policy "Mine"
    And alice has created a high-assurance policy "Other"
    When <who> sends GET "/v2/api/policies"
    Then the response status is 200
    And the response field "policies" has <count> items

    Examples:
      | who   | count |
      | alice | 2     |
      | bob   | 0     |

  Scenario: A refused change changes nothing
    Given alice has created a standard policy "Mine"
    When bob sends PUT "/v2/api/policies/{policy:Mine}" with:
      """
      {"policy": {"display_name": "Taken"}}
      """
    And bob sends DELETE "/v2/api/policies/{policy:Mine}"
    And alice sends GET "/v2/api/policies/{policy:Mine}"
    Then the response status is 200
    And the response field "policy.display_name" is "Mine"

  @control
  Scenario Outline: <who>, an administrator through <path>, on <method> a policy of the project
    Given a group "Lab" with members dave
    And alice has created a project "Portal" with:
      """
      {"admin_ids": ["{alice.id}", "{carol.id}", "0e210000-0000-4000-8000-000000000015"], "admin_group_ids": ["{group:Lab}"]}
      """
    And alice has created a standard policy "Theirs" in the project "Portal"
    When <who> sends <method> "/v2/api/policies/{policy:Theirs}" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | who   | path              | method | body                                   | status |
      | carol | admin_ids         | GET    |                                        | 200    |
      | carol | admin_ids         | PUT    | {"policy": {"display_name": "Mine 2"}} | 200    |
      | carol | admin_ids         | DELETE |                                        | 200    |
      | dave  | a group           | GET    |                                        | 200    |
      | dave  | a group           | PUT    | {"policy": {"display_name": "Mine 2"}} | 200    |
      | dave  | a group           | DELETE |                                        | 200    |
      | erin  | a linked identity | GET    |                                        | 200    |
      | erin  | a linked identity | PUT    | {"policy": {"display_name": "Mine 2"}} | 200    |
      | erin  | a linked identity | DELETE |                                        | 200    |
      | bob   | nothing           | GET    |                                        | 404    |
      | bob   | nothing           | PUT    | {"policy": {"display_name": "Mine 2"}} | 404    |
      | bob   | nothing           | DELETE |                                        | 404    |

  @control
  Scenario Outline: <who>, an administrator through <path>, lists <count> policies of the project
    Given a group "Lab" with members dave
    And alice has created a project "Portal" with:
      """
      {"admin_ids": ["{alice.id}", "{carol.id}", "0e210000-0000-4000-8000-000000000015"], "admin_group_ids": ["{group:Lab}"]}
      """
    And alice has created a standard policy "Theirs" in the project "Portal"
    And alice has created a high-assurance policy "Also theirs" in the project "Portal"
    When <who> sends GET "/v2/api/policies"
    Then the response status is 200
    And the response field "policies" has <count> items

    Examples:
      | who   | path              | count |
      | carol | admin_ids         | 2     |
      | dave  | a group           | 2     |
      | erin  | a linked identity | 2     |
      | bob   | nothing           | 0     |

  Scenario Outline: The policy's creator, no longer named by the project, on <method> the policy
    Given alice has created a project "Portal" administered by alice and carol
    And alice has created a standard policy "Theirs" in the project "Portal"
    And carol sends PUT "/v2/api/projects/{project:Portal}" with:
      """
      {"project": {"admin_ids": ["{carol.id}"]}}
      """
    When alice sends <method> "/v2/api/policies/{policy:Theirs}" with:
      """
      <body>
      """
    Then the response status is 404
    When carol sends GET "/v2/api/policies/{policy:Theirs}"
    Then the response status is 200
    And the response field "policy.display_name" is "Theirs"

    Examples:
      | method | body                                   |
      | GET    |                                        |
      | PUT    | {"policy": {"display_name": "Mine 2"}} |
      | DELETE |                                        |
