@transfer @roles
Feature: Endpoint roles and who may manage access
  As a client developer managing guest collections
  I want endpoint roles and each role's rights over ACL rules to follow Transfer
  So that my tools offer each user exactly what the service will let them do

  Administrators assign roles and manage rules; access managers manage rules but no roles;
  restricted administrators (administrators of the host collection) may view and delete rules only;
  activity managers and monitors see the roles but not the rules; the owner always has full access.

  Background:
    Given the cast:
      | role               | persona |
      | owner              | alice   |
      | administrator      | dave    |
      | access-manager     | carol   |
      | host-administrator | erin    |
      | activity-monitor   | bob     |
    And a mapped collection "Host" owned by the host-administrator
    And a guest collection "Share" owned by the owner on "Host"
    And the owner has given the administrator the role "administrator" on "Share"
    And the owner has given the access-manager the role "access_manager" on "Share"
    And the owner has given the activity-monitor the role "activity_monitor" on "Share"

  Scenario: The role list starts with the owner's administrator role
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/role_list"
    Then the response status is 200
    And the response field "DATA_TYPE" is "role_list"
    And the response field "DATA" has 4 items
    And the response field "DATA.0.role" is "administrator"
    And the response field "DATA.0.principal" is "{owner.id}"
    And the response field "DATA.0.principal_type" is "identity"

  Scenario: A role is created with an id, read back and deleted
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "identity", "principal": "{host-administrator.id}", "role": "activity_manager"}
      """
    Then the response status is 201
    And the response field "DATA_TYPE" is "role"
    And the response field "role" is "activity_manager"
    And the response field "principal" is "{host-administrator.id}"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/role/{last.id}"
    Then the response status is 200
    And the response field "role" is "activity_manager"
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{last.id}"
    Then the response status is 200
    And the response field "code" is "Deleted"

  Scenario: A deleted role is RoleNotFound
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    And the owner sends GET "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    Then the response status is 404
    And the error code is "RoleNotFound"
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    Then the response status is 404
    And the error code is "RoleNotFound"

  Scenario: The same role twice is Exists
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"DATA_TYPE": "role", "principal_type": "identity", "principal": "{access-manager.id}", "role": "access_manager"}
      """
    Then the response status is 409
    And the error code is "Exists"

  Scenario Outline: Roles are validated
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      <body>
      """
    Then the response status is 400
    And the error code is "BadRequest"

    Examples:
      | body                                                                                                                      |
      | {"principal_type": "identity", "principal": "{host-administrator.id}", "role": "restricted_administrator"}                |
      | {"principal_type": "identity", "principal": "{host-administrator.id}", "role": "owner"}                                   |
      | {"principal_type": "all_authenticated_users", "principal": "", "role": "activity_monitor"}                                |
      | {"principal_type": "identity", "principal": "not-an-id", "role": "activity_monitor"}                                      |
      | {"DATA_TYPE": "access", "principal_type": "identity", "principal": "{host-administrator.id}", "role": "activity_monitor"} |

  @control
  Scenario: Administrators and access managers hold implicit rw rules on "/"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    Then the listed rules are "implicit:administrator, implicit:administrator, implicit:access_manager"
    And the access-manager may write "/anything/" on "Share"
    And the administrator may write "/anything/" on "Share"
    And the activity-monitor may not read "/anything/" on "Share"

  Scenario Outline: What each role may do with roles and rules: <who> as <role>
    When <who> sends GET "/v0.10/endpoint/{collection:Share}/role_list"
    Then the response status is <see roles>
    When <who> sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "identity", "principal": "{host-administrator.id}", "role": "activity_monitor"}
      """
    Then the response status is <assign role>
    When <who> sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    Then the response status is <see rules>
    When <who> creates a rule "Made" on "Share" with:
      """
      {"principal_type": "all_authenticated_users", "principal": "", "path": "/<who>/", "permissions": "r"}
      """
    Then the response status is <create rule>
    Given the owner has created a rule "Target" on "Share" with:
      """
      {"principal_type": "anonymous", "principal": "", "path": "/target/", "permissions": "r"}
      """
    When <who> sends PUT "/v0.10/endpoint/{collection:Share}/access/{rule:Target}" with:
      """
      {"permissions": "rw"}
      """
    Then the response status is <update rule>
    When <who> sends DELETE "/v0.10/endpoint/{collection:Share}/access/{rule:Target}"
    Then the response status is <delete rule>

    Examples:
      | who                    | role                     | see roles | assign role | see rules | create rule | update rule | delete rule |
      | the owner              | owner                    | 200       | 201         | 200       | 201         | 200         | 200         |
      | the administrator      | administrator            | 200       | 201         | 200       | 201         | 200         | 200         |
      | the access-manager     | access_manager           | 200       | 403         | 200       | 201         | 200         | 200         |
      | the host-administrator | restricted_administrator | 200       | 403         | 200       | 403         | 403         | 200         |
      | the activity-monitor   | activity_monitor         | 200       | 403         | 403       | 403         | 403         | 403         |

  @control
  Scenario: A caller with no role is PermissionDenied everywhere
    Given a group "Outsiders" with members the host-administrator
    When the activity-monitor sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    Then the response status is 403
    And the error code is "PermissionDenied"
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{role:bob activity_monitor}"
    And the activity-monitor sends GET "/v0.10/endpoint/{collection:Share}/role_list"
    Then the response status is 403
    And the error code is "PermissionDenied"

  @control
  Scenario: The owner keeps full access without any role
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/role_list"
    And the owner sends DELETE "/v0.10/endpoint/{collection:Share}/role/{last.DATA.0.id}"
    Then the response status is 200
    When the owner creates a rule "Still" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{activity-monitor.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 201
    And the owner may write "/anything/" on "Share"

  @control
  Scenario: Group members hold the group's role
    Given a group "Managers" with members the activity-monitor
    When the owner sends POST "/v0.10/endpoint/{collection:Share}/role" with:
      """
      {"principal_type": "group", "principal": "{group:Managers}", "role": "access_manager"}
      """
    Then the response status is 201
    When the activity-monitor creates a rule "ByGroup" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{access-manager.id}", "path": "/g/", "permissions": "r"}
      """
    Then the response status is 201

  Scenario Outline: The endpoint document shows each caller's effective roles
    When <who> sends GET "/v0.10/endpoint/{collection:Share}"
    Then the response status is 200
    And the response field "DATA_TYPE" is "endpoint"
    And the response field "entity_type" is "GCSv5_guest_collection"
    And the response field "acl_available" is true
    And the response field "host_endpoint_id" is "{collection:Host}"
    And the response field "mapped_collection_id" is "{collection:Host}"
    And the response field "my_effective_roles" is:
      """
      <roles>
      """

    Examples:
      | who                    | roles                        |
      | the owner              | ["administrator"]            |
      | the access-manager     | ["access_manager"]           |
      | the host-administrator | ["restricted_administrator"] |
      | the activity-monitor   | ["activity_monitor"]         |

  Scenario: A GCSv5 collection belongs to its endpoint, whose id is the collection's owner_id
    When the host-administrator sends GET "/v0.10/endpoint/{collection:Host}"
    Then the response status is 200
    And the response field "non_functional_endpoint_id" is "{last.owner_id}"
    And the response field "is_globus_connect" is false
    When the owner sends GET "/v0.10/endpoint/{collection:Share}"
    Then the response field "owner_id" is "{previous.owner_id}"
    And the response field "non_functional_endpoint_id" is "{previous.owner_id}"
    And the response field "gcs_manager_url" is "{previous.gcs_manager_url}"
    And the response field "is_globus_connect" is false
    When the owner sends GET "/v0.10/endpoint/{last.owner_id}"
    Then the response status is 200
    And the response field "entity_type" is "GCSv5_endpoint"
    And the response field "non_functional" is true
    And the response field "gcs_manager_url" is "{previous.gcs_manager_url}"

  Scenario: A caller with no role on a collection gets an empty list of roles, not null
    When the owner sends GET "/v0.10/endpoint/{collection:Host}"
    Then the response status is 200
    And the response field "my_effective_roles" is:
      """
      []
      """

  Scenario: A mapped collection does not take ACL rules
    When the host-administrator sends GET "/v0.10/endpoint/{collection:Host}?fields=acl_available,entity_type"
    Then the response field "acl_available" is false
    And the response field "entity_type" is "GCSv5_mapped_collection"
    And the response field "owner_id" is absent
