@auth
Feature: Tokens, scopes and the Auth endpoints clients call
  As a client developer
  I want the mock to authenticate like Globus Auth
  So that my token handling and error paths are exercised before production

  Scenario: A request without a token is refused with 401
    When a client without a token sends GET "/flows"
    Then the response status is 401
    And the error code is "AUTHENTICATION_ERROR"

  Scenario: An unknown token is refused with 401
    When a client with the token "no-such-token" sends GET "/flows"
    Then the response status is 401
    And the error code is "AUTHENTICATION_ERROR"
    And the error message mentions "Expired or invalid Bearer token"

  @control
  Scenario: An expired token is refused with 401
    Given a token "short-lived" for alice that expires in 60 seconds
    When a client with the token "short-lived" sends GET "/flows"
    Then the response status is 200
    Given the clock advances by 61 seconds
    When a client with the token "short-lived" sends GET "/flows"
    Then the response status is 401

  Scenario Outline: Each service refuses a missing or unknown token with its own 401 code: <service>
    When a client without a token sends GET "<path>"
    Then the response status is 401
    And the error code is "<code>"
    When a client with the token "no-such-token" sends GET "<path>"
    Then the response status is 401
    And the error code is "<code>"

    Examples:
      | service  | path                                                              | code                             |
      | Flows    | /runs                                                             | AUTHENTICATION_ERROR             |
      | Transfer | /v0.10/endpoint/c011ec70-0000-4000-8000-000000000301/access_list | ClientError.AuthenticationFailed |
      | Auth     | /v2/api/identities?usernames=bob@example.org                     | UNAUTHORIZED                     |

  Scenario: Auth's 401 names its status as a number, as every Auth error does
    When a client without a token sends GET "/v2/api/identities?usernames=bob@example.org"
    Then the response status is 401
    And the response field "errors.0.status" is "401"
    And the response field "errors.0.title" is "Unauthorized"
    And the response field "error" is "unauthorized"

  @control
  Scenario Outline: An expired token is refused with the service's own 401 code: <service>
    Given a token "short-lived" for alice that expires in 60 seconds
    And the clock advances by 61 seconds
    When a client with the token "short-lived" sends GET "<path>"
    Then the response status is 401
    And the error code is "<code>"

    Examples:
      | service  | path                                                              | code                             |
      | Transfer | /v0.10/endpoint/c011ec70-0000-4000-8000-000000000301/access_list | ClientError.AuthenticationFailed |
      | Auth     | /v2/api/identities?usernames=bob@example.org                     | UNAUTHORIZED                     |

  @control
  Scenario: A token without the Flows scope gets 403 MISSING_SCOPE
    Given a token "transfer-only" for alice with scope "urn:globus:auth:scope:transfer.api.globus.org:all"
    When a client with the token "transfer-only" sends GET "/flows"
    Then the response status is 403
    And the error code is "MISSING_SCOPE"
    And the error message mentions "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows"

  @control
  Scenario: view_flows reads flows but cannot create them
    Given a token "viewer" for alice with scope "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows"
    When a client with the token "viewer" sends GET "/flows"
    Then the response status is 200
    When a client with the token "viewer" sends POST "/flows"
    Then the response status is 403
    And the error code is "MISSING_SCOPE"

  Scenario: Identities can be looked up by usernames
    When alice sends GET "/v2/api/identities?usernames=bob@example.org,nobody@example.org"
    Then the response status is 200
    And the response field "identities" has 1 item
    And the response field "identities.0.username" is "bob@example.org"
    And the response field "identities.0.id" is "{bob.id}"

  Scenario: Identities can be looked up by ids
    When alice sends GET "/v2/api/identities?ids={carol.id}"
    Then the response status is 200
    And the response field "identities.0.username" is "carol@example.org"

  Scenario: ids and usernames together are refused
    When alice sends GET "/v2/api/identities?ids={carol.id}&usernames=bob@example.org"
    Then the response status is 400
    And the response field "errors.0.status" is "400"

  @control
  Scenario: my_groups lists the caller's groups with their membership
    Given a group "lab" with members carol and dave
    When dave sends GET "/v2/groups/my_groups"
    Then the response status is 200
    And the response field "0.my_memberships.0.identity_id" is "{dave.id}"
