@transfer @roles @acl @matrix
Feature: Every endpoint role against every role and rule operation
  As an implementer of the Transfer endpoint role and ACL APIs
  I want each endpoint role checked against each operation, one row each
  So that no role gains or loses a right the real service gives it

  Administrators assign roles and manage rules; access managers manage rules but no roles;
  restricted administrators (administrators of the host collection) view and delete rules only;
  activity managers and monitors see the roles and the collection, not the rules. A caller with
  no role is PermissionDenied on every role and rule operation.

  Background:
    Given the cast:
      | role               | persona |
      | owner              | alice   |
      | grantee            | bob     |
      | other              | carol   |
      | host-administrator | erin    |
    And a mapped collection "Host" owned by the host-administrator
    And a guest collection "Share" owned by the owner on "Host"
    And the owner has given the other the role "activity_monitor" on "Share"
    And the owner has created a rule "Target" on "Share" with:
      """
      {"principal_type": "anonymous", "principal": "", "path": "/target/", "permissions": "r"}
      """

  Scenario Outline: <role> on <operation>
    Given the owner has given the grantee the role "<role>" on "Share"
    When the grantee sends <method> "/v0.10/endpoint/{collection:Share}<path>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: administrator
      | role          | operation       | method | path                                     | body                                                                                      | status |
      | administrator | the collection  | GET    |                                          |                                                                                           | 200    |
      | administrator | the role list   | GET    | /role_list                               |                                                                                           | 200    |
      | administrator | a role          | GET    | /role/{role:carol activity_monitor}      |                                                                                           | 200    |
      | administrator | assigning       | POST   | /role                                    | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 201    |
      | administrator | removing a role | DELETE | /role/{role:carol activity_monitor}      |                                                                                           | 200    |
      | administrator | the rule list   | GET    | /access_list                             |                                                                                           | 200    |
      | administrator | a rule          | GET    | /access/{rule:Target}                    |                                                                                           | 200    |
      | administrator | creating a rule | POST   | /access                                  | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 201    |
      | administrator | updating a rule | PUT    | /access/{rule:Target}                    | {"permissions": "rw"}                                                                     | 200    |
      | administrator | deleting a rule | DELETE | /access/{rule:Target}                    |                                                                                           | 200    |

    Examples: access_manager
      | role           | operation       | method | path                                | body                                                                                      | status |
      | access_manager | the collection  | GET    |                                     |                                                                                           | 200    |
      | access_manager | the role list   | GET    | /role_list                          |                                                                                           | 200    |
      | access_manager | a role          | GET    | /role/{role:carol activity_monitor} |                                                                                           | 200    |
      | access_manager | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | access_manager | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | access_manager | the rule list   | GET    | /access_list                        |                                                                                           | 200    |
      | access_manager | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 200    |
      | access_manager | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 201    |
      | access_manager | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 200    |
      | access_manager | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 200    |

    Examples: activity_manager
      | role             | operation       | method | path                                | body                                                                                      | status |
      | activity_manager | the collection  | GET    |                                     |                                                                                           | 200    |
      | activity_manager | the role list   | GET    | /role_list                          |                                                                                           | 200    |
      | activity_manager | a role          | GET    | /role/{role:carol activity_monitor} |                                                                                           | 200    |
      | activity_manager | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | activity_manager | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | activity_manager | the rule list   | GET    | /access_list                        |                                                                                           | 403    |
      | activity_manager | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 403    |
      | activity_manager | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 403    |
      | activity_manager | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 403    |
      | activity_manager | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 403    |

    Examples: activity_monitor
      | role             | operation       | method | path                                | body                                                                                      | status |
      | activity_monitor | the collection  | GET    |                                     |                                                                                           | 200    |
      | activity_monitor | the role list   | GET    | /role_list                          |                                                                                           | 200    |
      | activity_monitor | a role          | GET    | /role/{role:carol activity_monitor} |                                                                                           | 200    |
      | activity_monitor | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | activity_monitor | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | activity_monitor | the rule list   | GET    | /access_list                        |                                                                                           | 403    |
      | activity_monitor | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 403    |
      | activity_monitor | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 403    |
      | activity_monitor | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 403    |
      | activity_monitor | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 403    |

  Scenario Outline: <who> on <operation>
    When the <who> sends <method> "/v0.10/endpoint/{collection:Share}<path>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: the owner, who holds the administrator role
      | who   | operation       | method | path                                | body                                                                                      | status |
      | owner | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 201    |
      | owner | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 200    |
      | owner | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 200    |
      | owner | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 201    |
      | owner | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 200    |

    Examples: restricted_administrator, administrator of the host collection
      | who                | operation       | method | path                                | body                                                                                      | status |
      | host-administrator | the collection  | GET    |                                     |                                                                                           | 200    |
      | host-administrator | the role list   | GET    | /role_list                          |                                                                                           | 200    |
      | host-administrator | a role          | GET    | /role/{role:carol activity_monitor} |                                                                                           | 200    |
      | host-administrator | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | host-administrator | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | host-administrator | the rule list   | GET    | /access_list                        |                                                                                           | 200    |
      | host-administrator | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 200    |
      | host-administrator | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 403    |
      | host-administrator | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 403    |
      | host-administrator | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 200    |

    Examples: a caller with no role
      | who     | operation       | method | path                                | body                                                                                      | status |
      | grantee | the role list   | GET    | /role_list                          |                                                                                           | 403    |
      | grantee | a role          | GET    | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | grantee | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | grantee | removing a role | DELETE | /role/{role:carol activity_monitor} |                                                                                           | 403    |
      | grantee | the rule list   | GET    | /access_list                        |                                                                                           | 403    |
      | grantee | a rule          | GET    | /access/{rule:Target}               |                                                                                           | 403    |
      | grantee | creating a rule | POST   | /access                             | {"principal_type": "all_authenticated_users", "principal": "", "path": "/made/", "permissions": "r"} | 403    |
      | grantee | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 403    |
      | grantee | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 403    |

  @control
  Scenario Outline: <role> held through a group on <operation>
    Given a group "Managers" with members the grantee
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "group", "principal": "{group:Managers}", "role": "<role>"}
      """
    Then the response status is 201
    When the grantee sends <method> "/v0.10/endpoint/{collection:Share}<path>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | role             | operation       | method | path                                | body                                                                                      | status |
      | administrator    | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 201    |
      | access_manager   | assigning       | POST   | /role                               | {"principal_type": "identity", "principal": "{other.id}", "role": "activity_manager"}    | 403    |
      | access_manager   | updating a rule | PUT    | /access/{rule:Target}               | {"permissions": "rw"}                                                                     | 200    |
      | activity_monitor | the role list   | GET    | /role_list                          |                                                                                           | 200    |
      | activity_monitor | deleting a rule | DELETE | /access/{rule:Target}               |                                                                                           | 403    |

  # The default world links a second identity to erin's account: a role given to that identity is
  # erin's whichever identity of the account the token was issued for.
  @control
  Scenario Outline: <role> held through a linked identity on <operation>
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "identity", "principal": "0e210000-0000-4000-8000-000000000015", "role": "<role>"}
      """
    Then the response status is 201
    When <caller> sends <method> "/v0.10/endpoint/{collection:Share}<path>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | caller | role           | operation       | method | path                  | body                  | status |
      | erin   | access_manager | updating a rule | PUT    | /access/{rule:Target} | {"permissions": "rw"} | 200    |
      | bob    | access_manager | updating a rule | PUT    | /access/{rule:Target} | {"permissions": "rw"} | 403    |
