@action-provider
Feature: An action's life on the Action Provider API
  As Flows, calling an Action Provider
  I want run, status, cancel, release, log and resume to answer ActionStatus documents on both route families
  So that a flow can start an action, follow it to its end and forget it

  Background:
    Given the cast:
      | role   | persona |
      | caller | alice   |

  Scenario Outline: The <family> routes run, read, log, cancel and release an action
    Given the provider is called on the "<family>" routes
    When the caller runs an "active" action "A"
    Then the response status is 202
    And the response is an ActionStatus
    And the response field "status" is "ACTIVE"
    And the response field "creator_id" is "{caller.urn}"
    When the caller reads the status of the action "A"
    Then the response status is 200
    And the response is the action "A"
    And the response is an ActionStatus
    When the caller reads the log of the action "A"
    Then the response status is 200
    And the response field "entries" is a list
    When the caller cancels the action "A"
    Then the response status is 200
    And the response is the action "A"
    And the response is an ActionStatus
    When the caller polls the action "A" until it ends
    And the caller releases the action "A"
    Then the response status is 200
    And the response is the action "A"
    When the caller reads the status of the action "A"
    Then the response status is 404

    Examples:
      | family  |
      | classic |
      | actions |

  Scenario Outline: The <family> routes resume an INACTIVE action, which says what it needs
    Given the provider is called on the "<family>" routes
    When the caller runs an "inactive" action "A"
    Then the response status is 202
    And the response is an ActionStatus
    And the response field "status" is "INACTIVE"
    And the response field "details.required_scope" is a string
    When the caller resumes the action "A"
    Then the response status is 200
    And the response is an ActionStatus
    And the response field "status" is not "INACTIVE"

    Examples:
      | family  |
      | classic |
      | actions |

  Scenario: An action moves only as the API allows and, once ended, never changes
    When the caller runs a "finishes" action "A"
    Then the response status is 202
    And the response is an ActionStatus
    And the caller polls the action "A" until it ends

  Scenario: An action that ends at once is an ActionStatus with its completion time
    When the caller runs a "succeeds" action "A"
    Then the response status is 202
    And the response is an ActionStatus
    When the caller polls the action "A" until it ends
    Then the response field "status" is "SUCCEEDED"
    And the response field "completion_time" is a string

  Scenario Outline: An action is released only after its end (<family> routes)
    Given the provider is called on the "<family>" routes
    And the caller runs an "active" action "A"
    When the caller releases the action "A"
    Then the response status is 409
    When the caller reads the status of the action "A"
    Then the response status is 200
    And the response field "status" is "ACTIVE"

    Examples:
      | family  |
      | classic |
      | actions |

  Scenario: A released action is gone
    Given the caller runs a "succeeds" action "A"
    When the caller reads the status of the action "A"
    Then the response status is 200
    When the caller releases the action "A"
    And the caller releases the action "A"
    Then the response status is 404
