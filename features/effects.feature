@effects
Feature: Effects that propagate to what an action, a rule or a run depends on
  As an implementer of Flows and Transfer
  I want what happens to a run to reach its action's provider, and what happens to a parent to
  reach what it holds
  So that canceled work stops, resumed work goes on, and removed grants grant nothing

  Background:
    Given the cast:
      | role           | persona |
      | author         | alice   |
      | access-manager | bob     |
      | host-owner     | erin    |

  @runs @actions @providers @control
  Scenario Outline: A run whose action is <status> that is <act> tells the provider at <call>
    Given the clock is frozen at "2027-01-01T00:00:00Z"
    And a service that answers 200 with:
      """
      {"action_id": "ap-1", "status": "<status>", "details": {}, "creator_id": "x"}
      """
    And a provider "mine" at the service with:
      """
      {"name": "My provider", "secret": "my-secret"}
      """
    And the author has created a flow "Call mine" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "Call mine"
    And the runs settle
    When the author sends POST "/runs/{run:R}<operation>"
    Then the response status is <answer>
    And the service has been sent POST "<call>" from the author

    Examples:
      | status   | act      | operation | answer | call          |
      | ACTIVE   | canceled | /cancel   | 202    | /ap-1/cancel  |
      | INACTIVE | canceled | /cancel   | 202    | /ap-1/cancel  |
      | INACTIVE | resumed  | /resume   | 200    | /ap-1/resume  |

  @runs @actions @providers @control
  Scenario: A provider's action that ends is released at the provider
    Given the clock is frozen at "2027-01-01T00:00:00Z"
    And a service that answers 200 with:
      """
      {"action_id": "ap-1", "status": "SUCCEEDED", "details": {}, "creator_id": "x"}
      """
    And a provider "mine" at the service with:
      """
      {"name": "My provider", "secret": "my-secret"}
      """
    And the author has created a flow "Call mine" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """
    When the author has started a run "R" of the flow "Call mine"
    Then the run "R" reaches status "SUCCEEDED"
    And the service has been sent POST "/ap-1/release" from the author

  @flows @runs
  Scenario: A deleted flow takes no new runs, leaves the listings, and its runs still describe it
    Given the author has created a flow "Gone"
    And the author has started a run "Before" of the flow "Gone"
    And the run "Before" reaches status "SUCCEEDED"
    When the author deletes the flow "Gone"
    Then the response status is 200
    When the author sends POST "/flows/{flow:Gone}/run" with:
      """
      {"body": {}}
      """
    Then the response status is 404
    When the author lists flows with "filter_roles=flow_viewer"
    Then the listed flows exclude "Gone"
    When the author sends GET "/runs/{run:Before}?include_flow_description=true"
    Then the response status is 200
    And the response field "flow_description.id" is "{flow:Gone}"
    And the response field "flow_description.deleted_at" matches the Flows timestamp format

  @transfer @acl @roles
  Scenario: A removed access_manager role takes its implicit rule and its rights with it
    Given a mapped collection "Host" owned by the host-owner
    And a guest collection "Share" owned by the author on "Host"
    And the author has given the access-manager the role "access_manager" on "Share"
    When the author sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob access_manager}"
    Then the response status is 200
    When the author sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    Then the listed rules are "implicit:administrator"
    When the access-manager creates a rule "After" on "Share" with:
      """
      {"principal_type": "all_authenticated_users", "principal": "", "path": "/after/", "permissions": "r"}
      """
    Then the response status is 403
