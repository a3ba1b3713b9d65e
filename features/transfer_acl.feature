@transfer @acl
Feature: Guest collection ACL rules
  As a client developer sharing data through Globus guest collections
  I want the access rule operations with Transfer's documents, errors and permission checks
  So that my portal grants and revokes access exactly as it will in production

  Scenarios that only use the ACL API run against any target (a real one lends a guest collection
  from its config); those that inspect effective access, the outbox, groups or faults need the
  mock's control plane.

  Background:
    Given the cast:
      | role       | persona |
      | owner      | alice   |
      | grantee    | bob     |
      | colleague  | carol   |
      | host-owner | erin    |
    And a mapped collection "Host" owned by the host-owner
    And a guest collection "Share" owned by the owner on "Host"

  Scenario: Creating an identity rule returns 201 with the access_create_result document
    When the owner creates a rule "BobRead" on "Share" with:
      """
      {"DATA_TYPE": "access", "principal_type": "identity", "principal": "{grantee.id}", "path": "/projects/", "permissions": "r"}
      """
    Then the response status is 201
    And the response field "DATA_TYPE" is "access_create_result"
    And the response field "code" is "Created"
    And the response field "message" is "Access rule created successfully."
    And the response field "access_id" is "{rule:BobRead}"
    And the response field "resource" is "/endpoint/{collection:Share}/access"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:BobRead}"
    Then the response status is 200
    And the response field "DATA_TYPE" is "access"
    And the response field "id" is "{rule:BobRead}"
    And the response field "principal_type" is "identity"
    And the response field "principal" is "{grantee.id}"
    And the response field "path" is "/projects/"
    And the response field "permissions" is "r"
    And the response field "role_id" is null
    And the response field "role_type" is null
    And the response field "expiration_date" is null
    And the response field "create_time" matches the Transfer timestamp format

  @control
  Scenario Outline: Rules for every principal type
    Given a group "Lab" with members the colleague
    When the owner creates a rule "R" on "Share" with:
      """
      {"principal_type": "<type>", "principal": "<principal>", "path": "/shared/", "permissions": "rw"}
      """
    Then the response status is 201
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:R}"
    Then the response field "principal_type" is "<type>"
    And the response field "principal" is "<principal>"

    Examples:
      | type                    | principal      |
      | identity                | {colleague.id} |
      | group                   | {group:Lab}    |
      | all_authenticated_users |                |
      | anonymous               |                |

  Scenario: The rule list shows the implicit rules of administrators first, then the rules
    Given the owner has created a rule "One" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    And the owner has created a rule "Two" on "Share" with:
      """
      {"principal_type": "all_authenticated_users", "principal": "", "path": "/b/", "permissions": "r"}
      """
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    Then the response status is 200
    And the response field "DATA_TYPE" is "access_list"
    And the response field "endpoint" is "{collection:Share}"
    And the response field "length" is 3
    And the listed rules are "implicit:administrator, One, Two"
    And the response field "DATA.0" is:
      """
      {"DATA_TYPE": "access", "id": null, "role_id": "{last.DATA.0.role_id}", "role_type": "administrator",
       "principal_type": "identity", "principal": "{owner.id}", "path": "/", "permissions": "rw",
       "create_time": null, "expiration_date": null}
      """

  Scenario: Implicit rules cannot be fetched, updated or deleted through the rule operations
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    And the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{last.DATA.0.role_id}"
    Then the response status is 404
    And the error code is "AccessRuleNotFound"

  Scenario: fields selects the fields of each document
    Given the owner has created a rule "One" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access_list?fields=id,path"
    Then the response field "DATA.1" is:
      """
      {"DATA_TYPE": "access", "id": "{rule:One}", "path": "/a/"}
      """

  Scenario: An update changes the permissions and the expiration date, with or without DATA_TYPE
    Given the owner has created a rule "Grow" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner sends PUT "/v0.10/endpoint/{collection:Share}/access/{rule:Grow}" with:
      """
      {"permissions": "rw", "expiration_date": "2100-01-01T00:00:00+00:00"}
      """
    Then the response status is 200
    And the response field "DATA_TYPE" is "result"
    And the response field "code" is "Updated"
    And the response field "resource" is "/endpoint/{collection:Share}/access/{rule:Grow}"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:Grow}"
    Then the response field "permissions" is "rw"
    And the response field "expiration_date" is "2100-01-01T00:00:00+00:00"

  Scenario Outline: An update may not change anything else
    Given the owner has created a rule "Fixed" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner sends PUT "/v0.10/endpoint/{collection:Share}/access/{rule:Fixed}" with:
      """
      <body>
      """
    Then the response status is 400
    And the error code is "BadRequest"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:Fixed}"
    Then the response field "permissions" is "r"
    And the response field "path" is "/a/"

    Examples:
      | body                                                                |
      | {"id": "00000000-0000-4000-8000-000000000000", "permissions": "rw"} |
      | {"path": "/b/", "permissions": "rw"}                                |
      | {"principal": "{colleague.id}"}                                     |
      | {"permissions": "w"}                                                |
      | {"DATA_TYPE": "role", "permissions": "rw"}                          |
      | {"expiration_date": "yesterday"}                                    |

  Scenario: An update that repeats the current values of other fields is accepted
    Given the owner has created a rule "Whole" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner sends PUT "/v0.10/endpoint/{collection:Share}/access/{rule:Whole}" with:
      """
      {"DATA_TYPE": "access", "id": "{rule:Whole}", "principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "rw"}
      """
    Then the response status is 200

  Scenario: A deleted rule is gone, and deleting it again is AccessRuleNotFound
    Given the owner has created a rule "Temp" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/access/{rule:Temp}"
    Then the response status is 200
    And the response field "code" is "Deleted"
    And the response field "DATA_TYPE" is "result"
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/access/{rule:Temp}"
    Then the response status is 404
    And the error code is "AccessRuleNotFound"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:Temp}"
    Then the response status is 404
    And the error code is "AccessRuleNotFound"

  Scenario Outline: A rule for the same principal and path exists only once
    Given the owner has created a rule "First" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    When the owner creates a rule "Second" on "Share" with:
      """
      <body>
      """
    Then the response status is <status>
    And the response code is "<code>"

    Examples:
      | body                                                                                             | status | code    |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}   | 409    | Exists  |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "rw"}  | 409    | Exists  |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/b/", "permissions": "r"}   | 201    | Created |
      | {"principal_type": "identity", "principal": "{colleague.id}", "path": "/a/", "permissions": "r"} | 201    | Created |

  @control
  Scenario: A guest collection holds at most 1000 rules; implicit rules do not count
    Given the owner has created 1000 rules for the grantee on "Share"
    When the owner creates a rule "Extra" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{colleague.id}", "path": "/extra/", "permissions": "r"}
      """
    Then the response status is 409
    And the error code is "LimitExceeded"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access_list"
    Then the response field "length" is 1001

  Scenario Outline: Paths are validated: <case>
    Given a GCP guest collection "Personal" owned by the owner
    When the owner creates a rule "P" on "<collection>" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "<path>", "permissions": "r"}
      """
    Then the response status is <status>
    And the response code is "<code>"

    Examples:
      | case                                | collection | path          | status | code        |
      | a directory path                    | Share      | /data/run 1/  | 201    | Created     |
      | the root                            | Share      | /             | 201    | Created     |
      | not absolute                        | Share      | data/         | 400    | InvalidPath |
      | not a directory                     | Share      | /data         | 400    | InvalidPath |
      | a parent component                  | Share      | /data/../etc/ | 400    | InvalidPath |
      | a current-directory component       | Share      | /data/./x/    | 400    | InvalidPath |
      | home-relative on a GCSv5 collection | Share      | /~/data/      | 400    | InvalidPath |
      | home-relative on a GCP collection   | Personal   | /~/data/      | 201    | Created     |

  Scenario Outline: The path limit counts bytes after percent-encoding, not characters
    When the owner creates a rule "Long" on "Share" with a path of <n> "<char>" characters
    Then the response status is <status>

    Examples:
      | n    | char | status |
      | 1998 | a    | 201    |
      | 1999 | a    | 400    |
      | 333  | é    | 201    |
      | 334  | é    | 400    |

  Scenario Outline: Principals and permissions are validated
    When the owner creates a rule "Bad" on "Share" with:
      """
      <body>
      """
    Then the response status is 400
    And the error code is "BadRequest"

    Examples:
      | body                                                                                                                                      |
      | {"principal_type": "identity", "principal": "00000000-0000-4000-8000-00000000dead", "path": "/a/", "permissions": "r"}                    |
      | {"principal_type": "group", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}                                               |
      | {"principal_type": "anonymous", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}                                           |
      | {"principal_type": "everyone", "principal": "", "path": "/a/", "permissions": "r"}                                                        |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "w"}                                            |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/"}                                                                |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r", "expiration_date": "2001-01-01T00:00:00Z"} |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r", "role_id": "x"}                            |

  Scenario: Rules on a mapped collection are NotSupported
    When the host-owner sends GET "/v0.10/endpoint/{collection:Host}/access_list"
    Then the response status is 409
    And the error code is "NotSupported"
    When the host-owner creates a rule "Mapped" on "Host" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 409
    And the error code is "NotSupported"

  Scenario: An unknown collection is EndpointNotFound, in Transfer's error document
    When the owner sends GET "/v0.10/endpoint/00000000-0000-4000-8000-000000000000/access_list"
    Then the response status is 404
    And the error code is "EndpointNotFound"
    And the response field "resource" is "/endpoint/00000000-0000-4000-8000-000000000000/access_list"
    And the response field "request_id" is not ""
    And the response field "message" is not ""

  @control
  Scenario: notify_email is sent, not stored
    When the owner creates a rule "Told" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r",
       "notify_email": "bob@example.org", "notify_message": "Your data is ready"}
      """
    Then the response status is 201
    And the outbox has a message to "bob@example.org" that says "Your data is ready"
    When the owner sends GET "/v0.10/endpoint/{collection:Share}/access/{rule:Told}"
    Then the response field "notify_email" is absent
    And the response field "notify_message" is absent

  @control
  Scenario Outline: notify_email is validated
    When the owner creates a rule "Told" on "Share" with:
      """
      <body>
      """
    Then the response status is 400
    And the outbox is empty

    Examples:
      | body                                                                                                                               |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r", "notify_email": "not an email"}     |
      | {"principal_type": "all_authenticated_users", "principal": "", "path": "/a/", "permissions": "r", "notify_email": "x@example.org"} |
      | {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r", "notify_message": "hi"}             |

  @control
  Scenario: A service outage can be injected, and a retry succeeds
    Given the next 1 request of "createAccessRule" fail with status 503
    When the owner creates a rule "Retry" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 503
    And the error code is "ServiceUnavailable"
    When the owner creates a rule "Retry" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "r"}
      """
    Then the response status is 201

  @control
  Scenario: Permissions are additive: a narrower rule never takes access away
    Given the owner has created a rule "Wide" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/projects/", "permissions": "rw"}
      """
    And the owner has created a rule "Narrow" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/projects/study1/", "permissions": "r"}
      """
    And the owner has created a rule "Public" on "Share" with:
      """
      {"principal_type": "anonymous", "principal": "", "path": "/public/", "permissions": "r"}
      """
    Then the grantee may write "/projects/study1/" on "Share"
    And the grantee may read "/projects/study1/results.csv" on "Share"
    And the grantee may not read "/private/" on "Share"
    And the grantee may not read "/projectsX/" on "Share"
    And the colleague may not read "/projects/" on "Share"
    And the colleague may read "/public/docs/" on "Share"
    And the colleague may not write "/public/" on "Share"
    And anonymous may read "/public/" on "Share"
    And the owner may write "/anything/" on "Share"

  @control
  Scenario: A deleted rule grants nothing
    Given the owner has created a rule "Gone" on "Share" with:
      """
      {"principal_type": "identity", "principal": "{grantee.id}", "path": "/a/", "permissions": "rw"}
      """
    When the owner sends DELETE "/v0.10/endpoint/{collection:Share}/access/{rule:Gone}"
    Then the grantee may not read "/a/" on "Share"
