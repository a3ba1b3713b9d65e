@flows @registered-apis @roles @matrix @control
Feature: Every registered API role against every registered API operation
  As an implementer of the Flows registered APIs
  I want each role checked against each operation, one row each
  So that no role gains or loses a right the real service gives it

  Owners include administrators, who include viewers: viewers read, administrators also change
  all but the role lists of owners and administrators, owners also change those and delete. A
  caller with no role is told the API does not exist (404); one who sees it but lacks the right
  is refused with 403.

  Background:
    Given the cast:
      | role    | persona |
      | owner   | alice   |
      | grantee | bob     |
      | other   | carol   |
    And a group "Subscribers" with members the owner
    And a group "Lab" with members the grantee
    And a standard subscription "Plan" for the group "Subscribers"

  Scenario Outline: <list> (<principal>) on <operation>
    Given the owner has registered an API "Things" with:
      """
      {"subscription_id": "{subscription:Plan}", "roles": {"<list>": ["{owner.urn}", "<principal>"]}}
      """
    When the grantee sends <method> "/registered_apis/{api:Things}" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: through the grantee's identity
      | list           | principal       | operation               | method | body                                                     | status |
      | owners         | {grantee.urn}   | reading                 | GET    |                                                          | 200    |
      | owners         | {grantee.urn}   | changing the name       | PATCH  | {"name": "Mine"}                                         | 200    |
      | owners         | {grantee.urn}   | changing the viewers    | PATCH  | {"roles": {"viewers": ["{other.urn}"]}}                  | 200    |
      | owners         | {grantee.urn}   | changing the admins     | PATCH  | {"roles": {"administrators": ["{other.urn}"]}}           | 200    |
      | owners         | {grantee.urn}   | deleting                | DELETE |                                                          | 200    |
      | administrators | {grantee.urn}   | reading                 | GET    |                                                          | 200    |
      | administrators | {grantee.urn}   | changing the name       | PATCH  | {"name": "Mine"}                                         | 200    |
      | administrators | {grantee.urn}   | changing the viewers    | PATCH  | {"roles": {"viewers": ["{other.urn}"]}}                  | 200    |
      | administrators | {grantee.urn}   | changing the admins     | PATCH  | {"roles": {"administrators": ["{other.urn}"]}}           | 403    |
      | administrators | {grantee.urn}   | deleting                | DELETE |                                                          | 403    |
      | viewers        | {grantee.urn}   | reading                 | GET    |                                                          | 200    |
      | viewers        | {grantee.urn}   | changing the name       | PATCH  | {"name": "Mine"}                                         | 403    |
      | viewers        | {grantee.urn}   | changing the viewers    | PATCH  | {"roles": {"viewers": ["{other.urn}"]}}                  | 403    |
      | viewers        | {grantee.urn}   | deleting                | DELETE |                                                          | 403    |
      | viewers        | {other.urn}     | reading, with no role   | GET    |                                                          | 404    |
      | viewers        | {other.urn}     | changing, with no role  | PATCH  | {"name": "Mine"}                                         | 404    |
      | viewers        | {other.urn}     | deleting, with no role  | DELETE |                                                          | 404    |

    Examples: through a group of the grantee's
      | list           | principal       | operation               | method | body                                                     | status |
      | owners         | {group:Lab.urn} | deleting                | DELETE |                                                          | 200    |
      | administrators | {group:Lab.urn} | changing the name       | PATCH  | {"name": "Mine"}                                         | 200    |
      | administrators | {group:Lab.urn} | deleting                | DELETE |                                                          | 403    |
      | viewers        | {group:Lab.urn} | reading                 | GET    |                                                          | 200    |
      | viewers        | {group:Lab.urn} | changing the name       | PATCH  | {"name": "Mine"}                                         | 403    |

  # The default world links a second identity to erin's account.
  Scenario Outline: <list> held through a linked identity, <caller> on <operation>
    Given the owner has registered an API "Things" with:
      """
      {"subscription_id": "{subscription:Plan}", "roles": {"<list>": ["{owner.urn}", "urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015"]}}
      """
    When <caller> sends <method> "/registered_apis/{api:Things}" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | caller | list           | operation         | method | body             | status |
      | erin   | administrators | changing the name | PATCH  | {"name": "Mine"} | 200    |
      | erin   | viewers        | reading           | GET    |                  | 200    |
      | bob    | viewers        | reading           | GET    |                  | 404    |

  Scenario Outline: <list> (the grantee) finds the API with filter_roles=<filter>: <count>
    Given the owner has registered an API "Things" with:
      """
      {"subscription_id": "{subscription:Plan}", "roles": {"<list>": ["{owner.urn}", "{grantee.urn}"]}}
      """
    When the grantee sends GET "/registered_apis?filter_roles=<filter>"
    Then the response status is 200
    And the response field "registered_apis" has <count> items

    Examples:
      | list           | filter        | count |
      | owners         | owner         | 1     |
      | owners         | administrator | 1     |
      | owners         | viewer        | 1     |
      | administrators | owner         | 0     |
      | administrators | administrator | 1     |
      | administrators | viewer        | 1     |
      | viewers        | administrator | 0     |
      | viewers        | viewer        | 1     |
