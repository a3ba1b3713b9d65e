@transfer @acl @roles @identity
Feature: What makes two rules or two roles the same
  As an implementer of the Transfer ACL and endpoint role APIs
  I want duplicates judged on every field that makes two things the same, and on no other
  So that a second grant of the same access is refused and a different one is not

  Two rules are the same when principal_type, principal and path are; permissions and the
  expiration date do not make them different. Two roles are the same when principal_type,
  principal and role are. Only what the collection holds now counts.

  Background:
    Given the cast:
      | role       | persona |
      | owner      | alice   |
      | grantee    | bob     |
      | colleague  | carol   |
      | host-owner | erin    |
    And a mapped collection "Host" owned by the host-owner
    And a guest collection "Share" owned by the owner on "Host"
    And the owner has created a rule "First" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    And the owner has created a rule "Everyone" on "Share" with:
      """
      {"principal_type": "all_authenticated_users", "principal": "", "path": "/pub/", "permissions": "r"}
      """

  Scenario Outline: A second rule with <difference>: <status>
    When the owner creates a rule "Second" on "Share" with:
      """
      <body>
      """
    Then the response status is <status>
    And the response code is "<code>"

    Examples: the same principal and path
      | difference                       | body                                                                                                                                | status | code    |
      | nothing different                | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}                                      | 409    | Exists  |
      | other permissions                | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "rw"}                                     | 409    | Exists  |
      | an expiration date               | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r", "expiration_date": "2100-01-01T00:00:00+00:00"} | 409 | Exists |
      | a DATA_TYPE                      | {"DATA_TYPE": "access", "principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}              | 409    | Exists  |
      | the same public principal        | {"principal_type": "all_authenticated_users", "principal": "", "path": "/pub/", "permissions": "rw"}                               | 409    | Exists  |

    Examples: one field that makes it another rule
      | difference                       | body                                                                                                                                | status | code    |
      | another path                     | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/b/", "permissions": "r"}                                      | 201    | Created |
      | a path below it                  | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/b/", "permissions": "r"}                                    | 201    | Created |
      | a path that differs in case      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/A/", "permissions": "r"}                                      | 201    | Created |
      | another identity                 | {"principal_type": "identity", "principal": "{colleague.id}", "path": "/a/", "permissions": "r"}                                    | 201    | Created |
      | another public principal type    | {"principal_type": "anonymous", "principal": "", "path": "/pub/", "permissions": "r"}                                              | 201    | Created |
      | a public principal on the path   | {"principal_type": "all_authenticated_users", "principal": "", "path": "/a/", "permissions": "r"}                                  | 201    | Created |

  Scenario: A rule whose twin was deleted may be created again
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/access/{rule:First}"
    And the owner creates a rule "Again" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 201

  Scenario: A rule whose permissions were changed still makes its twin a duplicate
    When the owner sends PUT "/v0.10/endpoint/{collection:Share}/access/{rule:First}" with:
      """
      {"permissions": "rw"}
      """
    And the owner creates a rule "Twin" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "rw"}
      """
    Then the response status is 409
    And the response code is "Exists"

  Scenario: The same rule on another collection is another rule
    Given a guest collection "Other" owned by the owner on "Host"
    When the owner creates a rule "Elsewhere" on "Other" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 201

  Scenario Outline: A second role with <difference>: <status>
    Given the owner has given the grantee the role "access_manager" on "Share"
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | difference        | body                                                                                                  | status |
      | nothing different | {"principal_type": "identity", "principal": "{grantee.id}", "role": "access_manager"}                | 409    |
      | a DATA_TYPE       | {"DATA_TYPE": "role", "principal_type": "identity", "principal": "{grantee.id}", "role": "access_manager"} | 409 |
      | another role      | {"principal_type": "identity", "principal": "{grantee.id}", "role": "activity_monitor"}              | 201    |
      | another principal | {"principal_type": "identity", "principal": "{colleague.id}", "role": "access_manager"}              | 201    |

  Scenario: A role whose twin was deleted may be given again
    Given the owner has given the grantee the role "activity_monitor" on "Share"
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    And the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "role": "activity_monitor"}
      """
    Then the response status is 201

  @control
  Scenario Outline: A group and an identity with <what> are different principals
    Given a group "Team" with members the grantee
    And the owner has created a rule "Group rule" on "Share" with:
      """
      {"principal_type": "group", "principal": "{group:Team}", "path": "/g/", "permissions": "r"}
      """
    When the owner creates a rule "Again" on "Share" with:
      """
      {"principal_type": "<type>", "principal": "<principal>", "path": "/g/", "permissions": "rw"}
      """
    Then the response status is <status>

    Examples:
      | what                  | type     | principal     | status |
      | the same group        | group    | {group:Team}  | 409    |
      | a member's identity   | identity | {grantee.id}  | 201    |
