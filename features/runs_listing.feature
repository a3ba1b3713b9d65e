@runs @listing
Feature: Listing runs
  As a client developer building on Globus Flows
  I want GET /runs to filter, order and page like the real service
  So that my dashboards show the right runs

  Background:
    Given the cast:
      | role       | persona |
      | owner      | alice   |
      | other-user | bob     |
      | outsider   | dave    |
    And the owner has created a flow "Sleeper" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 86400, "End": true}}},
       "flow_starters": ["all_authenticated_users"]}
      """
    And the owner has created a flow "Instant"
    And the owner has started a run "One" of the flow "Sleeper" with:
      """
      {"body": {}, "label": "Experiment one"}
      """
    And the owner has started a run "Two" of the flow "Instant" with:
      """
      {"body": {}, "label": "experiment two"}
      """
    And the other-user has started a run "Bobs" of the flow "Sleeper" with:
      """
      {"body": {}, "label": "Bob's run", "run_monitors": ["{owner.urn}"]}
      """

  Scenario: Without filters a caller lists only the runs they started
    When the owner sends GET "/runs"
    Then the response status is 200
    And the response field "limit" is 20
    And the response field "has_next_page" is false
    And the response field "runs" has 2 items
    And the listed runs are "Two, One"

  Scenario Outline: Role filters in singular and plural spellings
    When the owner sends GET "/runs?filter_roles=<roles>&orderby=label ASC"
    Then the listed runs are "<runs>"

    Examples:
      | roles                 | runs           |
      | run_owner             | One, Two       |
      | run_monitor           | Bobs, One, Two |
      | run_monitors          | Bobs, One, Two |
      | run_manager           | One, Two       |
      | run_managers          | One, Two       |
      | run_owner,run_monitor | Bobs, One, Two |

  Scenario: The deprecated filter_role is cumulative
    When the owner sends GET "/runs?filter_role=run_monitor&orderby=label ASC"
    Then the listed runs are "Bobs, One, Two"

  Scenario: An unknown role is refused
    When the owner sends GET "/runs?filter_roles=run_boss"
    Then the response status is 400

  @control
  Scenario: filter_status selects runs by status
    Given the runs settle
    When the owner sends GET "/runs?filter_status=SUCCEEDED"
    Then the listed runs are "Two"
    When the owner sends GET "/runs?filter_status=ACTIVE,FAILED"
    Then the listed runs are "One"

  Scenario: An unknown status is refused
    When the owner sends GET "/runs?filter_status=DONE"
    Then the response status is 400

  Scenario: filter_flow_id and filter_flow_title select by flow
    When the owner sends GET "/runs?filter_flow_id={flow:Instant}"
    Then the listed runs are "Two"
    When the owner sends GET "/runs?filter_flow_title=sleep&filter_roles=run_owner,run_monitor&orderby=label DESC"
    Then the listed runs are "One, Bobs"

  Scenario: filter_label matches any of several substrings, case-insensitively
    When the owner sends GET "/runs?filter_label=EXPERIMENT&orderby=label ASC"
    Then the listed runs are "One, Two"
    When the owner sends GET "/runs?filter_label=two,bob&filter_roles=run_monitor&orderby=label ASC"
    Then the listed runs are "Bobs, Two"

  @control
  Scenario: filter_start_time and filter_completion_time are half-open ranges
    Given the clock advances by 3600 seconds
    And the owner has started a run "Later" of the flow "Instant"
    And the run "Later" reaches status "SUCCEEDED"
    When the owner sends GET "/runs?filter_start_time={last.start_time},"
    Then the listed runs are "Later"
    When the owner sends GET "/runs?filter_start_time=,{last.runs.0.start_time}"
    Then the listed runs are "Two, One"
    When the owner sends GET "/runs?filter_completion_time=2000-01-01T00:00:00Z&orderby=label ASC"
    Then the listed runs are "Later, Two"

  Scenario: A malformed time range is refused
    When the owner sends GET "/runs?filter_start_time=yesterday,"
    Then the response status is 400

  @control
  Scenario: orderby accepts several criteria
    Given the runs settle
    When the owner sends GET "/runs?orderby=label ASC"
    Then the listed runs are "One, Two"
    When the owner sends GET "/runs?orderby=status ASC,label DESC"
    Then the listed runs are "One, Two"
    When the owner sends GET "/runs?orderby=flow_title ASC"
    Then the response status is 400

  Scenario: Pages follow the marker, which keeps the filters and the order
    When the owner sends GET "/runs?per_page=1&filter_roles=run_monitor&orderby=label ASC"
    Then the listed runs are "Bobs"
    And the response field "has_next_page" is true
    When the owner sends GET "/runs?marker={last.marker}"
    Then the listed runs are "One"
    When the owner sends GET "/runs?pagination_token={last.marker}"
    Then the listed runs are "Two"
    And the response field "has_next_page" is false

  Scenario: A page size out of range is refused
    When the owner sends GET "/runs?per_page=51"
    Then the response status is 400

  Scenario: A forged marker is refused
    When the owner sends GET "/runs?marker=not-a-marker"
    Then the response status is 400

  Scenario: Runs never leak to callers without a role
    When the outsider sends GET "/runs?filter_roles=run_owner,run_manager,run_monitor,flow_run_manager,flow_run_monitor"
    Then the response field "runs" has 0 items

  Scenario: The legacy per-flow listing needs a flow the caller can see
    When the owner sends GET "/flows/{flow:Sleeper}/runs?filter_roles=run_monitor&orderby=label ASC"
    Then the response status is 200
    And the listed runs are "Bobs, One"
    When the outsider sends GET "/flows/{flow:Instant}/runs"
    Then the response status is 404

  Scenario Outline: An empty <query> in a runs listing is taken as not given
    Then the owner gets the same listing from GET "/runs?<query>" as from GET "/runs"

    Examples:
      | query                         |
      | filter_roles=                 |
      | filter_role=                  |
      | filter_status=                |
      | filter_label=                 |
      | filter_flow_title=            |
      | filter_flow_id=               |
      | filter_flow_id=&filter_roles= |
      | filter_start_time=            |
      | filter_completion_time=       |
      | orderby=                      |
      | marker=                       |
      | pagination_token=             |
      | per_page=                     |
      | page=                         |

  Scenario Outline: An empty <query> on the legacy per-flow listing is taken as not given
    Then the owner gets the same listing from GET "/flows/{flow:Sleeper}/runs?<query>" as from GET "/flows/{flow:Sleeper}/runs"

    Examples:
      | query                   |
      | filter_roles=           |
      | filter_role=            |
      | filter_status=          |
      | filter_label=           |
      | filter_start_time=      |
      | filter_completion_time= |
      | orderby=                |
      | marker=                 |
      | pagination_token=       |
      | per_page=               |
      | page=                   |

  Scenario Outline: An empty <query> on a run's log is taken as not given
    Given the run "Two" reaches status "SUCCEEDED"
    Then the owner gets the same listing from GET "<log>?<query>" as from GET "<log>"

    Examples:
      | log                                      | query             |
      | /runs/{run:Two}/log                      | limit=            |
      | /runs/{run:Two}/log                      | reverse_order=    |
      | /runs/{run:Two}/log                      | marker=           |
      | /runs/{run:Two}/log                      | pagination_token= |
      | /flows/{flow:Instant}/runs/{run:Two}/log | limit=            |
      | /flows/{flow:Instant}/runs/{run:Two}/log | reverse_order=    |
      | /flows/{flow:Instant}/runs/{run:Two}/log | marker=           |
      | /flows/{flow:Instant}/runs/{run:Two}/log | pagination_token= |
      | /flows/{flow:Instant}/{run:Two}/log      | limit=            |
      | /flows/{flow:Instant}/{run:Two}/log      | reverse_order=    |
      | /flows/{flow:Instant}/{run:Two}/log      | marker=           |
      | /flows/{flow:Instant}/{run:Two}/log      | pagination_token= |
