@action-provider
Feature: manage_by and monitor_by decide who follows and who manages an action
  As a user who starts an action for others to watch or steer
  I want monitors to see it, managers to manage it and nobody else to do either
  So that an action is only in the hands I put it in

  Background:
    Given the cast:
      | role     | persona |
      | caller   | alice   |
      | manager  | bob     |
      | monitor  | carol   |
      | outsider | dave    |
    And the caller runs an "active" action "A" with:
      """
      {"manage_by": ["{manager.urn}"], "monitor_by": ["{monitor.urn}"]}
      """

  Scenario: The action's document names its managers and monitors
    When the caller reads the status of the action "A"
    Then the response field "manage_by" contains "{manager.urn}"
    And the response field "monitor_by" contains "{monitor.urn}"

  Scenario: A monitor_by principal may read the action and its log but not cancel it
    When the monitor reads the status of the action "A"
    Then the response status is 200
    And the response is the action "A"
    When the monitor reads the log of the action "A"
    Then the response status is 200
    When the monitor cancels the action "A"
    Then the response status is 403 or 404
    When the caller reads the status of the action "A"
    Then the response field "status" is "ACTIVE"

  Scenario: A manage_by principal may cancel the action
    When the manager cancels the action "A"
    Then the response status is 200
    And the response is the action "A"
    And the manager polls the action "A" until it ends

  Scenario: Someone neither creator, manager nor monitor may not see or cancel the action
    When the outsider reads the status of the action "A"
    Then the response status is 403 or 404
    When the outsider cancels the action "A"
    Then the response status is 403 or 404
    When the caller reads the status of the action "A"
    Then the response field "status" is "ACTIVE"
