@listing @orders @control
Feature: Every order of every listing, both ways, and markers that keep the whole query
  As an implementer of the Flows listings
  I want each orderby key tried in both directions, ties broken by a second key, and every page
  followed by its marker under each filter and order
  So that my sorting, tie-breaking and pagination match the service row for row

  A marker encodes the whole query: following it page by page (per_page=1) lists the same items,
  in the same order, as one page of the same query.

  Background:
    Given the cast:
      | role      | persona |
      | lister    | alice   |
      | colleague | bob     |
    And the clock is frozen at "2030-01-01T00:00:00Z"

  @flows
  Scenario Outline: Flows by <query>
    Given the lister has created a flow "Bravo" with:
      """
      {"flow_administrators": ["{colleague.urn}"], "keywords": ["shared"]}
      """
    And the clock advances by 10 seconds
    And the lister has created a flow "Charlie" with:
      """
      {"keywords": ["shared"]}
      """
    And the clock advances by 10 seconds
    And the lister has created a flow "Alpha"
    And the clock advances by 10 seconds
    And the colleague has created a flow "Delta" with:
      """
      {"flow_viewers": ["{lister.urn}"], "keywords": ["shared"]}
      """
    And the clock advances by 10 seconds
    And the lister updates the flow "Bravo" with:
      """
      {"description": "changed last"}
      """
    When the lister sends GET "/flows?<query>"
    Then the listed flows are "<flows>"
    And the lister pages through GET "/flows?<query>&per_page=1" and gets the same items as from GET "/flows?<query>"

    Examples:
      | query                                                              | flows                        |
      | filter_roles=flow_owner                                            | Bravo, Alpha, Charlie        |
      | orderby=title%20ASC                                                | Alpha, Bravo, Charlie        |
      | orderby=title%20DESC                                               | Charlie, Bravo, Alpha        |
      | orderby=created_at%20ASC                                           | Bravo, Charlie, Alpha        |
      | orderby=created_at%20DESC                                          | Alpha, Charlie, Bravo        |
      | orderby=updated_at%20ASC                                           | Charlie, Alpha, Bravo        |
      | orderby=updated_at%20DESC                                          | Bravo, Alpha, Charlie        |
      | orderby=flow_administrators%20DESC&orderby=title%20ASC             | Bravo, Alpha, Charlie        |
      | orderby=flow_administrators%20ASC&orderby=title%20DESC             | Charlie, Alpha, Bravo        |
      | filter_roles=flow_viewer&orderby=flow_owner%20ASC,title%20DESC     | Charlie, Bravo, Alpha, Delta |
      | filter_roles=flow_viewer&orderby=flow_owner%20DESC,title%20ASC     | Delta, Alpha, Bravo, Charlie |
      | filter_roles=flow_viewer&orderby=created_at%20DESC                 | Delta, Alpha, Charlie, Bravo |
      | filter_roles=flow_viewer&filter_keywords=shared&orderby=title%20ASC | Bravo, Charlie, Delta       |
      | filter_roles=flow_viewer&filter_fulltext=a&orderby=title%20DESC    | Delta, Charlie, Bravo, Alpha |
      | filter_roles=flow_administrator&orderby=updated_at%20ASC           | Charlie, Alpha, Bravo        |

  @flows
  Scenario Outline: Flows by <key> <direction> follow the flows' <key>
    Given the lister has created 3 flows
    When the lister sends GET "/flows?orderby=<key>%20<direction>"
    Then the listed flows are sorted by "<field>" <direction>
    And the lister pages through GET "/flows?orderby=<key>%20<direction>&per_page=1" and gets the same items as from GET "/flows?orderby=<key>%20<direction>"

    Examples:
      | key          | field             | direction |
      | id           | id                | ASC       |
      | id           | id                | DESC      |
      | scope_string | globus_auth_scope | ASC       |
      | scope_string | globus_auth_scope | DESC      |

  @runs
  Scenario Outline: Runs by <query>
    Given the lister has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}},
       "flow_starters": ["{colleague.urn}"]}
      """
    And the lister has created a flow "Quick"
    And the lister has started a run "Bravo" of the flow "Slow" with:
      """
      {"body": {}, "label": "Bravo"}
      """
    And the clock advances by 10 seconds
    And the lister has started a run "Charlie" of the flow "Quick" with:
      """
      {"body": {}, "label": "charlie"}
      """
    And the run "Charlie" reaches status "SUCCEEDED"
    And the clock advances by 10 seconds
    And the colleague has started a run "Alpha" of the flow "Slow" with:
      """
      {"body": {}, "label": "Alpha", "run_monitors": ["{lister.urn}"]}
      """
    And the clock advances by 10 seconds
    And the lister has started a run "Delta" of the flow "Quick" with:
      """
      {"body": {}, "label": "Delta"}
      """
    And the run "Delta" reaches status "SUCCEEDED"
    When the lister sends GET "/runs?<query>"
    Then the listed runs are "<runs>"
    And the lister pages through GET "/runs?<query>&per_page=1" and gets the same items as from GET "/runs?<query>"

    Examples:
      | query                                                              | runs                          |
      | filter_roles=run_owner                                             | Delta, Charlie, Bravo         |
      | filter_roles=run_monitor                                           | Delta, Alpha, Charlie, Bravo  |
      | filter_roles=run_monitor&orderby=label%20ASC                       | Alpha, Bravo, Charlie, Delta  |
      | filter_roles=run_monitor&orderby=label%20DESC                      | Delta, Charlie, Bravo, Alpha  |
      | filter_roles=run_monitor&orderby=start_time%20ASC                  | Bravo, Charlie, Alpha, Delta  |
      | filter_roles=run_monitor&orderby=start_time%20DESC                 | Delta, Alpha, Charlie, Bravo  |
      | filter_roles=run_monitor&orderby=completion_time%20ASC,label%20ASC | Charlie, Delta, Alpha, Bravo  |
      | filter_roles=run_monitor&orderby=status%20ASC,label%20ASC          | Alpha, Bravo, Charlie, Delta  |
      | filter_roles=run_monitor&orderby=status%20DESC,label%20ASC         | Charlie, Delta, Alpha, Bravo  |
      | filter_roles=run_monitor&orderby=status%20ASC,label%20DESC         | Bravo, Alpha, Delta, Charlie  |
      | filter_roles=run_monitor&filter_flow_id={flow:Slow}                | Alpha, Bravo                  |
      | filter_roles=run_monitor&filter_status=SUCCEEDED&orderby=label%20ASC | Charlie, Delta              |
      | filter_flow_id={flow:Quick}&orderby=start_time%20ASC               | Charlie, Delta                |

  @runs
  Scenario Outline: Runs by id <direction> follow the run ids
    Given the lister has created a flow "Quick"
    And the lister has started a run "One" of the flow "Quick"
    And the lister has started a run "Two" of the flow "Quick"
    And the lister has started a run "Three" of the flow "Quick"
    When the lister sends GET "/runs?orderby=id%20<direction>"
    Then the listed runs are sorted by "run_id" <direction>
    And the lister pages through GET "/runs?orderby=id%20<direction>&per_page=1" and gets the same items as from GET "/runs?orderby=id%20<direction>"

    Examples:
      | direction |
      | ASC       |
      | DESC      |

  @runs
  Scenario Outline: A run log read <how> page by page is the log read at once
    Given the lister has created a flow "Steps" with:
      """
      {"definition": {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": true}}}}
      """
    And the lister has started a run "R" of the flow "Steps"
    And the run "R" reaches status "SUCCEEDED"
    Then the lister pages through GET "/runs/{run:R}/log?limit=1<query>" and gets the same items as from GET "/runs/{run:R}/log?limit=100<query>"

    Examples:
      | how          | query               |
      | oldest first |                     |
      | newest first | &reverse_order=true |

  @runs @flows
  Scenario Outline: <listing> pages by <default> by default
    Given the lister has created a flow "Quick"
    And the lister has started a run "R" of the flow "Quick"
    And the run "R" reaches status "SUCCEEDED"
    When the lister sends GET "<listing>"
    Then the response status is 200
    And the response field "limit" is <default>

    Examples:
      | listing                         | default |
      | /flows                          | 20      |
      | /runs                           | 20      |
      | /flows/{flow:Quick}/runs        | 20      |
      | /runs/{run:R}/log               | 10      |
      | /registered_apis                | 20      |

  @flows
  Scenario: The default page of flows holds 20 of 21, and the marker the last one
    Given the lister has created 21 flows
    When the lister sends GET "/flows"
    Then the response field "flows" has 20 items
    And the response field "has_next_page" is true
    When the lister requests the next page of flows
    Then the response field "flows" has 1 item
    And the response field "has_next_page" is false

  @flows
  Scenario Outline: A marker used by another caller lists what that caller may see
    Given the lister has created 3 flows
    And the colleague has created a flow "Theirs"
    When the lister sends GET "/flows?<query>&per_page=1"
    And the colleague sends GET "/flows?marker={last.marker}"
    Then the response status is <status>
    And the response does not contain "Flow "

    Examples:
      | query                     | status |
      | orderby=title%20ASC       | 200    |
      | filter_roles=flow_viewer  | 200    |
