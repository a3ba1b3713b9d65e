@runs @batch
Feature: Batch run updates
  As a client developer managing many runs
  I want POST /batch/runs to update or cancel many runs in one request
  So that my dashboard acts on a selection of runs at once

  Background:
    Given alice has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 86400, "End": true}}}}
      """
    And alice has started a run "One" of the flow "Slow" with:
      """
      {"body": {}, "tags": ["keep", "old"]}
      """
    And alice has started a run "Two" of the flow "Slow" with:
      """
      {"body": {}, "tags": ["old"], "run_monitors": ["{carol.urn}"]}
      """

  Scenario: set, add and remove change the runs' tags and role lists
    When alice sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "{run:Two}"]},
       "add": {"tags": ["  new   tag "], "run_monitors": ["{bob.urn}"]},
       "remove": {"tags": ["old"]}}
      """
    Then the response status is 202
    When alice gets the run "One"
    Then the response field "tags" is:
      """
      ["keep", "new tag"]
      """
    And the response field "run_monitors" is:
      """
      ["{bob.urn}"]
      """
    When alice gets the run "Two"
    Then the response field "tags" is:
      """
      ["new tag"]
      """
    And the response field "run_monitors" is:
      """
      ["{carol.urn}", "{bob.urn}"]
      """
    When alice sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Two}"]}, "set": {"tags": [], "run_monitors": []}}
      """
    And alice gets the run "Two"
    Then the response field "tags" has 0 items
    And the response field "run_monitors" has 0 items

  Scenario: set.status cancel cancels the runs
    When alice sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "{run:Two}"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 202
    When alice gets the run "One"
    Then the response field "status" is "FAILED"
    And the response field "details.code" is "FlowCanceled"
    When alice gets the run "Two"
    Then the response field "details.code" is "FlowCanceled"

  Scenario: A run the caller may not manage refuses the whole batch
    When carol sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Two}"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    When alice sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:One}", "00000000-0000-4000-8000-000000000000"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    When alice gets the run "One"
    Then the response field "status" is "ACTIVE"

  Scenario Outline: A malformed batch is refused
    When alice sends POST "/batch/runs" with:
      """
      <body>
      """
    Then the response status is 422

    Examples:
      | body                                                                   |
      | {"set": {"tags": ["x"]}}                                               |
      | {"filters": {"run_ids": []}}                                           |
      | {"filters": {"run_ids": ["{run:One}"]}, "set": {"status": "pause"}}    |
      | {"filters": {"run_ids": ["{run:One}"]}, "add": {"run_managers": ["bob"]}} |
