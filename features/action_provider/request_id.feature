@action-provider
Feature: A run request's request_id makes it idempotent
  As Flows, which retries a run request it got no answer to
  I want the same request_id and request to give the same action, and a different request with it to be refused
  So that a retry never starts a second action

  Background:
    Given the cast:
      | role   | persona |
      | caller | alice   |

  Scenario: The same request_id and the same request give the same action
    Given the caller runs an "active" action "A"
    When the caller runs the action "A" again with the same request
    Then the response status is 200
    And the response is the action "A"
    And the response is an ActionStatus

  Scenario: The same request_id with a different body is refused with 409
    Given the caller runs an "active" action "A"
    When the caller runs the action "A" again with the same request but the body "succeeds"
    Then the response status is 409
    When the caller reads the status of the action "A"
    Then the response field "status" is "ACTIVE"
