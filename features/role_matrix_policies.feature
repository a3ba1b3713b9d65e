@auth @policies @roles @matrix
Feature: Project administrators against every authentication policy operation
  As an implementer of Globus Auth's policies API
  I want each caller checked against each policy operation, one row each
  So that only the administrators of a policy's project see and change it

  A policy belongs to a project; the project's administrators (the creator, on the mock) read,
  update, delete and list its policies. Anyone else is told the policy does not exist.

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
