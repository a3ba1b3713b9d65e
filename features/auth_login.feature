@auth @login @control
Feature: Interactive login through Globus Auth
  As the developer of a native app or a CLI
  I want the authorization code grant with PKCE to behave like Globus Auth's
  So that my login code runs against the mock, decided by the test or by a person at the page

  Background:
    Given the cast:
      | role       | persona |
      | researcher | alice   |

  Scenario: A login decided in advance redirects at once, and its code is exchanged once
    Given the next login is the researcher with MFA
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all openid email |
      | state        | st-1                                                                                    |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "st-1"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "resource_server" is "flows.globus.org"
    And the response field "other_tokens.0.resource_server" is "auth.globus.org"
    When a client with the token "{last.access_token}" sends GET "/flows"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 400
    And the error code is "invalid_grant"

  Scenario: An offline login's refresh token outlives the access token until it is revoked
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                     |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | off                                                                 |
      | access_type  | offline                                                             |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "off"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "refresh_token" is not ""
    When the clock advances by 172800 seconds
    And the client "0c11e570-0000-4000-8000-000000000402" refreshes the refresh token
    Then the response status is 200
    When a client with the token "{last.access_token}" sends GET "/flows"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000402" revokes the refresh token
    Then the response status is 200
    And the response field "active" is false
    When the client "0c11e570-0000-4000-8000-000000000402" refreshes the refresh token
    Then the response status is 400
    And the error code is "invalid_grant"

  Scenario: The offline_access scope asks for refresh tokens and gets no token of its own
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                                               |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all openid offline_access |
      | state        | oa                                                                                            |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "oa"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "refresh_token" is not ""
    And the response field "other_tokens.0.resource_server" is "auth.globus.org"
    And the response field "other_tokens.0.refresh_token" is not ""
    And the response field "other_tokens.1" is absent
    When the clock advances by 172800 seconds
    And the client "0c11e570-0000-4000-8000-000000000402" refreshes the refresh token
    Then the response status is 200

  Scenario: A code is refused with a wrong PKCE verifier
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://localhost:8765/ |
      | scope        | openid                 |
      | state        | s                      |
    Then the browser is sent to "http://localhost:8765/" with a code and the state "s"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://localhost:8765/" with a wrong verifier
    Then the response status is 400
    And the error code is "invalid_grant"

  Scenario: The login page refuses a choice that cannot satisfy the session requirements
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri         | http://127.0.0.1:50123/callback |
      | scope                | openid                          |
      | state                | st-2                            |
      | session_required_mfa | true                            |
      | session_message      | This flow needs MFA             |
    Then the response status is 200
    And the page says "This flow needs MFA"
    When the browser chooses the researcher on the login page
    Then the response status is 400
    And the page says "multi-factor authentication is required"
    When the browser chooses the researcher with MFA on the login page
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "st-2"

  Scenario: A native client without its own page gets the code shown on the auth-code page
    Given every login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | https://auth.globus.org/v2/web/auth-code |
      | scope        | openid                                   |
      | state        | cli                                      |
    Then the browser is sent to "https://auth.globus.org/v2/web/auth-code" with a code and the state "cli"
    When the browser opens the auth-code page with the code
    Then the response status is 200
    And the page says "Native App Authorization Code"

  Scenario Outline: An authorize request with <problem> is sent back with error <error>
    Given every login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback |
      | scope        | <scope>                         |
      | state        | st-3                            |
      | <param>      | <value>                         |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with the error "<error>" and the state "st-3"

    Examples:
      | problem             | scope                              | param                 | value | error                     |
      | an implicit grant   | openid                             | response_type         | token | unsupported_response_type |
      | an unknown scope    | urn:globus:auth:scope:nowhere:all  | state                 | st-3  | invalid_scope             |
      | a plain challenge   | openid                             | code_challenge_method | plain | invalid_request           |

  Scenario Outline: An authorize request from <who> gets an error page and no redirect
    When a browser opens the authorize page of the client "<client>" with:
      | redirect_uri | <redirect> |
      | scope        | openid     |
      | state        | st-4       |
    Then the response status is 400
    And the page says "<error>"
    And the response does not contain "st-4"

    Examples:
      | who                                  | client                               | redirect                        | error          |
      | an unknown client                    | 0c11e570-0000-4000-8000-0000000004ff | http://127.0.0.1:50123/callback | invalid_client |
      | a client with an unregistered URI    | 0c11e570-0000-4000-8000-000000000402 | https://evil.example.org/cb     | not registered |
      | a confidential client on a loopback  | 0c11e570-0000-4000-8000-000000000401 | http://127.0.0.1:50123/callback | not registered |
