@auth
Feature: OAuth token issue and introspection
  As the developer of a CLI or a service
  I want client_credentials tokens and introspection to behave like Globus Auth
  So that the Globus CLI and my resource server work against the mock

  Scenario: client_credentials issues exactly one token per resource server
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all urn:globus:auth:scope:transfer.api.globus.org:all openid email"
    Then the response status is 200
    And the response field "resource_server" is "flows.globus.org"
    And the response field "other_tokens" has 2 items
    And the response field "other_tokens.0.resource_server" is "transfer.api.globus.org"
    And the response field "other_tokens.1.resource_server" is "auth.globus.org"
    And the response field "other_tokens.1.scope" is "openid email"
    And the response field "token_type" is "Bearer"

  Scenario: The issued token works on the service it was issued for
    Given the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all"
    When a client with the token "{last.access_token}" sends GET "/flows"
    Then the response status is 200

  Scenario: The client of the default world manages the rules of its own guest collection
    Given the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:transfer.api.globus.org:all"
    When a client with the token "{last.access_token}" sends GET "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000303/access_list"
    Then the response status is 200
    And the response field "DATA.0.role_type" is "administrator"
    Given the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:transfer.api.globus.org:all"
    When a client with the token "{last.access_token}" sends GET "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000303"
    Then the response status is 200
    And the response field "acl_available" is true
    And the response field "owner_id" is "0c11e570-0000-4000-8000-000000000401"
    And the response field "host_endpoint_id" is "c011ec70-0000-4000-8000-000000000302"
    And the response field "my_effective_roles" contains "administrator"

  Scenario: A wrong client secret is refused
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "wrong" requests the scopes "openid"
    Then the response status is 401

  Scenario: An unknown scope is refused
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:example:nonsense"
    Then the response status is 400
    And the error code is "invalid_scope"

  Scenario: Introspection describes an active token with its identity set and session
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-erin" including "identity_set,session_info"
    Then the response status is 200
    And the response field "active" is true
    And the response field "username" is "erin@example.org"
    And the response field "sub" is "{erin.id}"
    And the response field "identity_set" has 2 items

  Scenario: Introspection of an unknown token says only that it is inactive
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "bogus" including ""
    Then the response status is 200
    And the response field "" is:
      """
      {"active": false}
      """

  Scenario: A bearer token does not authenticate an introspection
    When bob introspects the token of alice with his own bearer token including "session_info,identity_set_detail"
    Then the response status is 401
    And the response field "errors.0.code" is "invalid_client"
    And the response field "session_info" is absent
    And the response field "username" is absent

  Scenario: Introspection with a wrong client secret is refused
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "wrong" introspects "tok-alice" including "session_info"
    Then the response status is 401
    And the response field "errors.0.code" is "invalid_client"
    And the response field "session_info" is absent
    And the response field "username" is absent
