@runs @batch
Feature: Batch run updates
  As a client developer managing many runs
  I want POST /batch/runs to update or cancel many runs in one request
  So that my dashboard acts on a selection of runs at once

  Background:
    Given the cast:
      | role        | persona |
      | owner       | alice   |
      | new-monitor | bob     |
      | monitor     | carol   |
    And the owner has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 86400, "End": true}}}}
      """
    And the owner has started a run "One" of the flow "Slow" with:
      """
      {"body": {}, "tags": ["keep", "old"]}
      """
    And the owner has started a run "Two" of the flow "Slow" with:
      """
      {"body": {}, "tags": ["old"], "run_monitors": ["{monitor.urn}"]}
      """

  Scenario: set, add and remove change the runs' tags and role lists
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "{run:Two}"]},
       "add": {"tags": ["  new   tag "], "run_monitors": ["{new-monitor.urn}"]},
       "remove": {"tags": ["old"]}}
      """
    Then the response status is 202
    When the owner gets the run "One"
    Then the response field "tags" is:
      """
      ["keep", "new tag"]
      """
    And the response field "run_monitors" is:
      """
      ["{new-monitor.urn}"]
      """
    When the owner gets the run "Two"
    Then the response field "tags" is:
      """
      ["new tag"]
      """
    And the response field "run_monitors" is:
      """
      ["{monitor.urn}", "{new-monitor.urn}"]
      """
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Two}"]}, "set": {"tags": [], "run_monitors": []}}
      """
    And the owner gets the run "Two"
    Then the response field "tags" has 0 items
    And the response field "run_monitors" has 0 items

  Scenario: set.status cancel cancels the runs
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "{run:Two}"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 202
    When the owner gets the run "One"
    Then the response field "status" is "FAILED"
    And the response field "details.code" is "FlowCanceled"
    When the owner gets the run "Two"
    Then the response field "details.code" is "FlowCanceled"

  Scenario: A run the caller may not manage refuses the whole batch
    When the monitor sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Two}"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "00000000-0000-4000-8000-000000000000"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    When the owner gets the run "One"
    Then the response field "status" is "ACTIVE"

  Scenario Outline: A malformed batch is refused
    When the owner sends POST "/batch/runs" with:
      """
      <body>
      """
    Then the response status is 422

    Examples:
      | body                                                                      |
      | {"set": {"tags": ["x"]}}                                                  |
      | {"filters": {"run_ids": []}}                                              |
      | {"filters": {"run_ids": ["{run:One}"]}, "set": {"status": "pause"}}       |
      | {"filters": {"run_ids": ["{run:One}"]}, "add": {"run_managers": ["bob"]}} |
