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

  Scenario Outline: A batch may not leave more than 16 principals in <list>, and a refused batch changes no run
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}"]},
       "add": {"<list>": ["urn:globus:auth:identity:aa000000-0000-4000-8000-000000000001", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000002", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000003", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000004", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000005", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000006", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000007", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000008", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000009", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000010", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000011", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000012", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000013", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000014", "urn:globus:auth:identity:aa000000-0000-4000-8000-000000000015"]}}
      """
    Then the response status is 202
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Two}", "{run:One}"]}, "add": {"<list>": ["urn:globus:auth:identity:bb000000-0000-4000-8000-000000000001", "urn:globus:auth:identity:bb000000-0000-4000-8000-000000000002"]}}
      """
    Then the response status is 422
    And the error locates "<list>"
    And the error message mentions "{run:One}"
    When the owner gets the run "One"
    Then the response field "<list>" has 15 items
    When the owner gets the run "Two"
    Then the response field "<list>" has <before> items
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}"]}, "add": {"<list>": ["urn:globus:auth:identity:bb000000-0000-4000-8000-000000000001", "urn:globus:auth:identity:bb000000-0000-4000-8000-000000000002"]}, "remove": {"<list>": ["urn:globus:auth:identity:aa000000-0000-4000-8000-000000000001"]}}
      """
    Then the response status is 202
    When the owner gets the run "One"
    Then the response field "<list>" has 16 items

    Examples:
      | list         | before |
      | run_managers | 0      |
      | run_monitors | 1      |

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
