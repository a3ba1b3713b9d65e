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

  Scenario Outline: client_credentials issues a token for a scope of <service>
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "<scope>"
    Then the response status is 200
    And the response field "resource_server" is "<resource server>"
    And the response field "scope" is "<granted>"
    And the response field "other_tokens" has 0 items

    Examples:
      | service                  | scope                                                                                                                                                                                                                                                                                           | resource server                      | granted                                                                         |
      | Search                   | urn:globus:auth:scope:search.api.globus.org:all                                                                                                                                                                                                                                                 | search.api.globus.org                | urn:globus:auth:scope:search.api.globus.org:all                                 |
      | Timers, as the CLI asks  | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[urn:globus:auth:scope:transfer.api.globus.org:all]                                                                                                                                                                    | 524230d7-ea86-4a52-8312-86065a9e0417 | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer       |
      | Timers, with data_access | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access *https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000302/data_access]] | 524230d7-ea86-4a52-8312-86065a9e0417 | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer       |
      | a GCS endpoint           | urn:globus:auth:scope:c011ec70-0000-4000-8000-000000000302:manage_collections                                                                                                                                                                                                                   | c011ec70-0000-4000-8000-000000000302 | urn:globus:auth:scope:c011ec70-0000-4000-8000-000000000302:manage_collections   |
      | a collection             | https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access                                                                                                                                                                                                                 | c011ec70-0000-4000-8000-000000000301 | https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access |
      | Compute                  | https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all                                                                                                                                                                                                                         | funcx_service                        | https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all         |
      | Groups                   | urn:globus:auth:scope:groups.api.globus.org:all                                                                                                                                                                                                                                                 | groups.api.globus.org                | urn:globus:auth:scope:groups.api.globus.org:all                                 |
      | the legacy Groups API    | urn:globus:auth:scope:nexus.api.globus.org:groups                                                                                                                                                                                                                                               | nexus.api.globus.org                 | urn:globus:auth:scope:nexus.api.globus.org:groups                               |

  Scenario: Each service the CLI logs in to gets a token for the scopes the CLI asks
    # globus_cli.login_manager.scopes: Flows, Auth, Transfer, Groups, Search and Timers, one
    # request each; a command that shows an error (globus flows run show with an unknown id)
    # asks for some of them on its way.
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "openid profile email urn:globus:auth:scope:auth.globus.org:view_identity_set"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:transfer.api.globus.org:all"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:groups.api.globus.org:all"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:search.api.globus.org:all"
    Then the response status is 200
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[urn:globus:auth:scope:transfer.api.globus.org:all]"
    Then the response status is 200

  Scenario Outline: A scope of no known resource server is refused: <what>
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "openid <scope>"
    Then the response status is 400
    And the error code is "invalid_scope"

    Examples:
      | what                                   | scope                                                                                                                       |
      | an unknown service                     | urn:globus:auth:scope:search.example.org:all                                                                                |
      | a resource server that is no client id | https://auth.globus.org/scopes/not-a-uuid/all                                                                               |
      | an unknown dependency                  | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[urn:example:nonsense]                             |
      | an unclosed dependency list            | https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[urn:globus:auth:scope:transfer.api.globus.org:all |

  Scenario: The client of the default world manages the rules of its own guest collection
    Given the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:transfer.api.globus.org:all"
    When a client with the token "{last.access_token}" sends GET "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000304/access_list"
    Then the response status is 200
    And the response field "DATA.0.role_type" is "administrator"
    Given the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" requests the scopes "urn:globus:auth:scope:transfer.api.globus.org:all"
    When a client with the token "{last.access_token}" sends GET "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000304"
    Then the response status is 200
    And the response field "acl_available" is true
    And the response field "owner_id" is "c011ec70-0000-4000-8000-000000000303"
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
