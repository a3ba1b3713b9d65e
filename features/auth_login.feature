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
    And the response field "resource_server" is "auth.globus.org"
    And the response field "id_token" is not ""
    And the response field "other_tokens.0.resource_server" is "flows.globus.org"
    When a client with the token "{last.other_tokens.0.access_token}" sends GET "/flows"
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

  Scenario: A client validates its refresh token after the access token expired, until it is revoked
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                     |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | val                                                                 |
      | access_type  | offline                                                             |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "val"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    When the clock advances by 172800 seconds
    And the client "0c11e570-0000-4000-8000-000000000402" validates the refresh token
    Then the response status is 200
    And the response field "active" is true
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" validates the refresh token
    Then the response status is 200
    And the response field "active" is false
    When the client "0c11e570-0000-4000-8000-000000000402" revokes the refresh token
    And the client "0c11e570-0000-4000-8000-000000000402" validates the refresh token
    Then the response status is 200
    And the response field "active" is false

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
    And the response field "resource_server" is "auth.globus.org"
    And the response field "other_tokens.0.resource_server" is "flows.globus.org"
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

  Scenario: A code is refused for a redirect_uri other than the one it was issued for
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback |
      | scope        | openid                          |
      | state        | r                               |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "r"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50124/callback"
    Then the response status is 400
    And the error code is "invalid_grant"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 400
    And the error code is "invalid_grant"

  Scenario: The login page refuses an identity outside a required policy's domains, and says why
    Given the researcher has created a high-assurance policy "Partners" for domains "partner.example.net"
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri              | http://127.0.0.1:50123/callback |
      | scope                     | openid                          |
      | state                     | p                               |
      | session_required_policies | {policy:Partners}               |
    Then the response status is 200
    And the page says "Required policies: Partners ("
    When the browser chooses the researcher with MFA on the login page
    Then the response status is 400
    And the page says "is not satisfied by alice@example.org"

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

  Scenario: The discovery document names the endpoints and the keys that sign ID tokens
    When a client without a token sends GET "/.well-known/openid-configuration"
    Then the response status is 200
    And the response field "id_token_signing_alg_values_supported" is:
      """
      ["RS512"]
      """
    And the response field "authorization_endpoint" mentions "/v2/oauth2/authorize"
    And the response field "token_endpoint" mentions "/v2/oauth2/token"
    And the response field "userinfo_endpoint" mentions "/v2/oauth2/userinfo"
    And the response field "introspection_endpoint" mentions "/v2/oauth2/token/introspect"
    And the response field "revocation_endpoint" mentions "/v2/oauth2/token/revoke"
    And the response field "jwks_uri" mentions "/jwk.json"
    When a client without a token sends GET "/jwk.json"
    Then the response status is 200
    And the response field "keys" has 1 item
    And the response field "keys.0.kty" is "RSA"
    And the response field "keys.0.alg" is "RS512"
    And the response field "keys.0.use" is "sig"
    And the response field "keys.0.kid" is not ""

  Scenario: A login that asks for openid gets an ID token signed by the published key, and so does its refresh
    Given the next login is the researcher with MFA
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                               |
      | scope        | openid profile email urn:globus:auth:scope:auth.globus.org:view_identity_set |
      | state        | oidc                                                                          |
      | access_type  | offline                                                                       |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "oidc"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "id_token" is an ID token for the client "0c11e570-0000-4000-8000-000000000402" with:
      | sub                            | {researcher.id}   |
      | preferred_username             | alice@example.org |
      | email                          | alice@example.org |
      | name                           | Alice Archer      |
      | identity_provider_display_name | example.org       |
      | identity_set.0.sub             | {researcher.id}   |
      | identity_set.0.username        | alice@example.org |
    When the client "0c11e570-0000-4000-8000-000000000402" refreshes the refresh token
    Then the response status is 200
    And the response field "id_token" is an ID token for the client "0c11e570-0000-4000-8000-000000000402" with:
      | sub | {researcher.id} |

  Scenario: A login that does not ask for openid gets no ID token
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | no-oidc                                                                 |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "no-oidc"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "id_token" is absent

  Scenario: Userinfo answers who the token is for, and refuses a token without openid
    When the researcher sends GET "/v2/oauth2/userinfo"
    Then the response status is 200
    And the response field "sub" is "{researcher.id}"
    And the response field "preferred_username" is "alice@example.org"
    And the response field "email" is "alice@example.org"
    And the response field "identity_provider_display_name" is "example.org"
    And the response field "identity_set.0.sub" is "{researcher.id}"
    Given a token "transfer-only" for the researcher with scope "urn:globus:auth:scope:transfer.api.globus.org:all"
    When transfer-only sends GET "/v2/oauth2/userinfo"
    Then the response status is 403
    When a client with the token "not-a-token" sends GET "/v2/oauth2/userinfo"
    Then the response status is 401
    And the error code is "UNAUTHORIZED"

  Scenario: Introspection includes the login's session and identity set
    Given the next login is the researcher with MFA
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | intro                                                                   |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "intro"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "{last.access_token}" including "session_info,identity_set,identity_set_detail"
    Then the response status is 200
    And the response field "active" is true
    And the response field "session_info.session_id" is not ""
    And the response field "session_info.authentications.{researcher.id}.amr" is:
      """
      ["mfa"]
      """
    And the response field "identity_set" is:
      """
      ["{researcher.id}"]
      """
    And the response field "identity_set_detail.0.username" is "alice@example.org"

  Scenario: Access tokens live as long as the test says, and a refresh works after they expire
    Given access tokens live 60 seconds
    And the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | short                                                                   |
      | access_type  | offline                                                                 |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "short"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response status is 200
    And the response field "expires_in" is 60
    When the clock advances by 61 seconds
    And a client with the token "{last.access_token}" sends GET "/flows"
    Then the response status is 401
    When the client "0c11e570-0000-4000-8000-000000000402" refreshes the refresh token
    Then the response status is 200
    And the response field "expires_in" is 60
