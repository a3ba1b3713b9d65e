@flows @runs @boundaries
Feature: Every Flows limit at its value and one past it
  As an implementer of the Flows API
  I want each documented limit tried at the limit and one past it
  So that an off-by-one in my implementation shows

  Field limits: title 1..128 characters, subtitle up to 128, description up to 4096, keywords up
  to 1024 characters in all, each principal list up to 16 items, a run's label up to 64. Page
  sizes: per_page 1..50 on every listing; a run log's limit 1..100.

  Background:
    Given the cast:
      | role  | persona |
      | owner | alice   |

  Scenario Outline: A flow with <field> of <size>: <status>
    When the owner creates a flow "Sized" with:
      """
      {"<field>": <value>}
      """
    Then the response status is <status>

    Examples:
      | field               | size                   | value                                        | status |
      | title               | 128 characters         | "{repeat:128:t}"                             | 201    |
      | title               | 129 characters         | "{repeat:129:t}"                             | 422    |
      | title               | 1 character            | "t"                                          | 201    |
      | title               | 0 characters           | ""                                           | 422    |
      | subtitle            | 128 characters         | "{repeat:128:s}"                             | 201    |
      | subtitle            | 129 characters         | "{repeat:129:s}"                             | 422    |
      | description         | 4096 characters        | "{repeat:4096:d}"                            | 201    |
      | description         | 4097 characters        | "{repeat:4097:d}"                            | 422    |
      | keywords            | 1024 characters        | ["{repeat:1024:k}"]                          | 201    |
      | keywords            | 1025 characters        | ["{repeat:1025:k}"]                          | 422    |
      | keywords            | 1024 characters in two | ["{repeat:512:k}", "{repeat:512:l}"]         | 201    |
      | keywords            | 1025 characters in two | ["{repeat:512:k}", "{repeat:513:l}"]         | 422    |
      | flow_viewers        | 16 principals          | [{urns:16}]                                  | 201    |
      | flow_viewers        | 17 principals          | [{urns:17}]                                  | 422    |
      | flow_starters       | 16 principals          | [{urns:16}]                                  | 201    |
      | flow_starters       | 17 principals          | [{urns:17}]                                  | 422    |
      | flow_administrators | 16 principals          | [{urns:16}]                                  | 201    |
      | flow_administrators | 17 principals          | [{urns:17}]                                  | 422    |
      | run_managers        | 16 principals          | [{urns:16}]                                  | 201    |
      | run_managers        | 17 principals          | [{urns:17}]                                  | 422    |
      | run_monitors        | 16 principals          | [{urns:16}]                                  | 201    |
      | run_monitors        | 17 principals          | [{urns:17}]                                  | 422    |

  Scenario Outline: An update of a flow with <field> of <size>: <status>
    Given the owner has created a flow "Sized"
    When the owner updates the flow "Sized" with:
      """
      {"<field>": <value>}
      """
    Then the response status is <status>

    Examples:
      | field         | size            | value             | status |
      | title         | 128 characters  | "{repeat:128:t}"  | 200    |
      | title         | 129 characters  | "{repeat:129:t}"  | 422    |
      | description   | 4097 characters | "{repeat:4097:d}" | 422    |
      | flow_starters | 16 principals   | [{urns:16}]       | 200    |
      | flow_starters | 17 principals   | [{urns:17}]       | 422    |

  Scenario Outline: A run with <field> of <size>: <status>
    Given the owner has created a flow "Target"
    When the owner sends POST "/flows/{flow:Target}/run" with:
      """
      {"body": {}, "<field>": <value>}
      """
    Then the response status is <status>

    Examples:
      | field        | size          | value           | status |
      | label        | 64 characters | "{repeat:64:l}" | 201    |
      | label        | 65 characters | "{repeat:65:l}" | 422    |
      | run_managers | 16 principals | [{urns:16}]     | 201    |
      | run_managers | 17 principals | [{urns:17}]     | 422    |
      | run_monitors | 16 principals | [{urns:16}]     | 201    |
      | run_monitors | 17 principals | [{urns:17}]     | 422    |

  Scenario Outline: A run update with <field> of <size>: <status>
    Given the owner has created a flow "Slow" with:
      """
      {"definition": {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Slow"
    When the owner sends PUT "/runs/{run:R}" with:
      """
      {"<field>": <value>}
      """
    Then the response status is <status>

    Examples:
      | field        | size          | value           | status |
      | label        | 64 characters | "{repeat:64:l}" | 200    |
      | label        | 65 characters | "{repeat:65:l}" | 422    |
      | run_monitors | 16 principals | [{urns:16}]     | 200    |
      | run_monitors | 17 principals | [{urns:17}]     | 422    |

  Scenario Outline: per_page=<n> on <listing>: <status>
    When the owner sends GET "<listing>?per_page=<n>"
    Then the response status is <status>

    Examples:
      | listing          | n  | status |
      | /flows           | 1  | 200    |
      | /flows           | 50 | 200    |
      | /flows           | 0  | 400    |
      | /flows           | 51 | 400    |
      | /runs            | 1  | 200    |
      | /runs            | 50 | 200    |
      | /runs            | 0  | 400    |
      | /runs            | 51 | 400    |
      | /registered_apis | 1  | 200    |
      | /registered_apis | 50 | 200    |
      | /registered_apis | 0  | 400    |
      | /registered_apis | 51 | 400    |
      | /web_inputs      | 1  | 200    |
      | /web_inputs      | 50 | 200    |
      | /web_inputs      | 0  | 400    |
      | /web_inputs      | 51 | 400    |

  Scenario Outline: A log limit of <limit>: <status>
    Given the owner has created a flow "Target"
    And the owner has started a run "R" of the flow "Target"
    When the owner sends GET "/runs/{run:R}/log?limit=<limit>"
    Then the response status is <status>

    Examples:
      | limit | status |
      | 1     | 200    |
      | 100   | 200    |
      | 0     | 400    |
      | 101   | 400    |

  Scenario Outline: A page of <n> flows out of <total> says has_next_page <more>
    Given the owner has created <total> flows
    When the owner sends GET "/flows?per_page=<n>"
    Then the response field "flows" has <shown> items
    And the response field "limit" is <n>
    And the response field "has_next_page" is <more>

    Examples:
      | total | n | shown | more  |
      | 3     | 3 | 3     | false |
      | 3     | 2 | 2     | true  |
      | 3     | 4 | 3     | false |
