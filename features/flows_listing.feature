@flows @listing
Feature: Listing flows with role filters, text filters, ordering and marker pagination
  As a client developer
  I want GET /flows to filter, order and page like the real service
  So that my client's pagination loop and filters work unchanged

  Background:
    Given the cast:
      | role         | persona |
      | lister       | alice   |
      | colleague    | bob     |
      | collaborator | carol   |
      | outsider     | erin    |
    And the lister has created a flow "Alpha"
    And the lister has created a flow "Bravo" with:
      """
      {"flow_viewers": ["{colleague.urn}"], "keywords": ["genomics"]}
      """
    And the colleague has created a flow "Charlie" with:
      """
      {"flow_starters": ["{lister.urn}"], "description": "Bob's genomics pipeline"}
      """
    And the collaborator has created a flow "Delta" with:
      """
      {"flow_administrators": ["{lister.urn}"]}
      """
    And the outsider has created a flow "Echo"

  Scenario: Without filters a caller lists only the flows they own
    When the lister lists flows with "orderby=title ASC"
    Then the response status is 200
    And the listed flows are "Alpha, Bravo"
    And the response field "has_next_page" is false
    And the response field "limit" is 20

  Scenario: filter_roles=flow_viewer lists every flow the caller may see
    When the lister lists flows with "filter_roles=flow_viewer&orderby=title ASC"
    Then the listed flows are "Alpha, Bravo, Charlie, Delta"

  Scenario Outline: Each role filter selects the flows where the caller holds that role or more
    When the lister lists flows with "filter_roles=<filter>&orderby=title ASC"
    Then the listed flows are "<flows>"

    Examples:
      | filter              | flows                        |
      | flow_owner          | Alpha, Bravo                 |
      | flow_administrator  | Alpha, Bravo, Delta          |
      | flow_starter        | Alpha, Bravo, Charlie, Delta |
      | flow_administrators | Alpha, Bravo, Delta          |

  Scenario: Several roles comma-joined select flows with any of them
    When the colleague lists flows with "filter_roles=flow_owner,flow_viewer&orderby=title ASC"
    Then the listed flows are "Bravo, Charlie"

  Scenario Outline: An empty <query> in a flows listing is taken as not given
    Then the lister gets the same listing from GET "/flows?<query>" as from GET "/flows"

    Examples:
      | query                |
      | filter_roles=        |
      | filter_role=         |
      | filter_scope_string= |
      | filter_title=        |
      | filter_subtitle=     |
      | filter_description=  |
      | filter_keywords=     |
      | filter_fulltext=     |
      | orderby=             |
      | marker=              |
      | per_page=            |
      | page=                |

  Scenario: An empty value among repeated ones is taken as not given
    Then the lister gets the same listing from GET "/flows?filter_roles=&filter_roles=flow_viewer" as from GET "/flows?filter_roles=flow_viewer"

  Scenario: A role list with an empty item is refused
    When the lister lists flows with "filter_roles=flow_owner,"
    Then the response status is 400

  Scenario: An unknown role is refused
    When the lister lists flows with "filter_roles=flow_emperor"
    Then the response status is 400

  Scenario: Flows never leak to callers without a role
    When the outsider lists flows with "filter_roles=flow_viewer"
    Then the listed flows are "Echo"

  Scenario: filter_fulltext searches title, description and more, case-insensitively
    When the lister lists flows with "filter_roles=flow_viewer&filter_fulltext=GENOMICS"
    Then the listed flows are "Charlie"

  Scenario: filter_keywords matches keywords
    When the colleague lists flows with "filter_roles=flow_viewer&filter_keywords=genom"
    Then the listed flows are "Bravo"

  Scenario: filter_title matches any of several substrings
    When the lister lists flows with "filter_roles=flow_viewer&filter_title=alp,del&orderby=title ASC"
    Then the listed flows are "Alpha, Delta"

  Scenario: orderby sorts descending and accepts repeated criteria
    When the lister lists flows with "filter_roles=flow_viewer&orderby=title DESC&orderby=created_at ASC"
    Then the listed flows are "Delta, Charlie, Bravo, Alpha"

  Scenario: An unknown orderby field is refused
    When the lister lists flows with "orderby=colour ASC"
    Then the response status is 400

  Scenario: Pages follow the marker, which keeps the filters and the order
    When the lister lists flows with "filter_roles=flow_viewer&orderby=title ASC&per_page=3"
    Then the listed flows are "Alpha, Bravo, Charlie"
    And the response field "has_next_page" is true
    And the response field "limit" is 3
    When the lister requests the next page of flows
    Then the response status is 200
    And the listed flows are "Delta"
    And the response field "has_next_page" is false
    And the response field "marker" is null

  Scenario: A page size out of range is refused
    When the lister lists flows with "per_page=0"
    Then the response status is 400
    When the lister lists flows with "per_page=51"
    Then the response status is 400

  Scenario: A forged marker is refused
    When the lister lists flows with "marker=not-a-marker"
    Then the response status is 400
