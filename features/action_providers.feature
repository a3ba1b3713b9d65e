@runs @actions @providers @control
Feature: Bring your own Action Provider
  As a developer of an Action Provider
  I want the mock to call my provider with real tokens, and to answer my provider as Globus Auth does
  So that my provider's token handling is tested before it meets Globus

  A provider registered with the mock (POST /_mock/providers) is called with a token minted for
  its scope on the run user's behalf. Its client introspects that token and trades it for
  dependent tokens for the services it calls next.

  Background:
    Given the cast:
      | role     | persona |
      | author   | alice   |
      | reviewer | bob     |
    And the clock is frozen at "2027-01-01T00:00:00Z"
    And a service that answers 202 with:
      """
      {"action_id": "ap-1", "status": "SUCCEEDED", "details": {"done": true}, "creator_id": "x"}
      """
    And a provider "mine" at the service with:
      """
      {"name": "My provider", "secret": "my-secret",
       "dependent_scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all",
                            "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships"]}
      """
    And the author has created a flow "Call mine" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """

  Scenario: A registered provider is called with a token minted for its own scope
    When the author has started a run "R" of the flow "Call mine"
    Then the run "R" reaches status "SUCCEEDED"
    And the service has been sent POST "/run" from the author

  Scenario: The provider's client introspects the token it was called with
    Given the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "mine" introspects the token the service received
    Then the response status is 200
    And the response field "active" is true
    And the response field "sub" is "{author.id}"
    And the response field "username" is "alice@example.org"
    And the response field "scope" is "{provider:mine.scope}"
    And the response field "aud" contains "{provider:mine.client_id}"
    And the response field "identity_set" contains "{author.id}"
    And the response field "client_id" is "eec9b274-0c81-4334-bdc2-54e90e689b9a"
    And the response field "iss" is "https://auth.globus.org"
    And the response field "dependent_tokens_cache_id" is not ""

  Scenario: Another provider may not introspect the token
    Given a provider "other" at "https://other.example.org/ap" with:
      """
      {"secret": "other-secret"}
      """
    And the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "other" introspects the token the service received
    Then the response status is 200
    And the response field "active" is false
    And the response field "sub" is absent

  Scenario: The provider trades its token for dependent tokens, one per resource server
    Given the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "mine" trades the token the service received for dependent tokens
    Then the response status is 200
    And the response field "" has 2 items
    And the response field "0.resource_server" is "transfer.api.globus.org"
    And the response field "0.scope" is "urn:globus:auth:scope:transfer.api.globus.org:all"
    And the response field "0.token_type" is "Bearer"
    And the response field "0.expires_in" is 172800
    And the response field "1.resource_server" is "groups.api.globus.org"
    And the response field "1.refresh_token" is absent

  Scenario: A dependent Groups token lists the run user's groups
    Given a group "lab" with member the author
    And the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    And the provider "mine" trades the token the service received for dependent tokens
    When a client with the token "dependent groups.api.globus.org" sends GET "/v2/groups/my_groups"
    Then the response status is 200
    And the listed groups include "lab"

  Scenario: Offline access gives the dependent tokens refresh tokens; a scope picks among them
    Given the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "mine" trades the token the service received for dependent tokens with "access_type=offline&scope=urn:globus:auth:scope:transfer.api.globus.org:all"
    Then the response status is 200
    And the response field "" has 1 item
    And the response field "0.resource_server" is "transfer.api.globus.org"
    And the response field "0.refresh_token" is not ""

  Scenario Outline: The dependent-token grant refuses <case>
    Given a provider "other" at "https://other.example.org/ap" with:
      """
      {"secret": "other-secret", "dependent_scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all"]}
      """
    And the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "<provider>" trades the token the service received for dependent tokens with "<form>"
    Then the response status is <status>
    And the response code is "<code>"

    Examples:
      | case                                  | provider | form                                                        | status | code          |
      | a scope that is not a dependent scope | mine     | scope=urn:globus:auth:scope:auth.globus.org:view_identities | 400    | invalid_scope |
      | a token for another provider          | other    |                                                             | 400    | invalid_grant |

  Scenario: The provider's client must prove itself
    Given the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    When the provider "mine" with a wrong secret trades the token the service received for dependent tokens
    Then the response status is 401
    And the response code is "invalid_client"
    When the provider "mine" with a wrong secret introspects the token the service received
    Then the response status is 401

  Scenario: The request journal shows the provider's introspection and grant
    Given the author has started a run "R" of the flow "Call mine"
    And the run "R" reaches status "SUCCEEDED"
    And the provider "mine" introspects the token the service received
    And the provider "mine" trades the token the service received for dependent tokens
    When the journal is read for "POST" "/v2/oauth2/**"
    Then the response field "requests.0.path" is "/v2/oauth2/token/introspect"
    And the response field "requests.0.client_id" is "{provider:mine.client_id}"
    And the response field "requests.1.path" is "/v2/oauth2/token"
    And the response field "requests.1.grant_type" is "urn:globus:auth:grant_type:dependent_token"
    And the response does not contain "my-secret"

  Scenario: A run whose user has not consented to the provider's scope waits for consent
    Given a token "narrow" for the author with scopes "{flow:Call mine.scope} https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status"
    When narrow has started a run "R" of the flow "Call mine"
    Then the run "R" reaches status "INACTIVE"
    And the author gets the run "R"
    And the response field "status" is "INACTIVE"
    And the response field "details.code" is "ConsentRequired"
    And the response field "details.required_scope" is "{flow:Call mine.scope}[{provider:mine.scope}]"

  Scenario: An Action state with a custom RunAs role calls the provider as that role's identity
    Given the author has created a flow "As reviewer" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "RunAs": "Reviewer",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """
    When the author has started a run "R" of the flow "As reviewer" with:
      """
      {"body": {"_tokens": {"Reviewer": {"access_token": "{token:reviewer}", "resource_server": "flows.globus.org"}}, "n": 1}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the service has been sent POST "/run" from the reviewer

  Scenario: A RunAs role's token may be given as an access token alone, and never shows
    Given the author has created a flow "As reviewer" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "RunAs": "Reviewer",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """
    And the author has started a run "R" of the flow "As reviewer" with:
      """
      {"body": {"_tokens": {"Reviewer": "{token:reviewer}"}, "n": 1}}
      """
    And the run "R" reaches status "SUCCEEDED"
    When the author gets the run "R"
    Then the response does not contain "_tokens"
    And the response does not contain "{token:reviewer}"
    And the response field "details.output.n" is 1
    When the author reads the log of the run "R"
    Then the response does not contain "_tokens"
    And the response does not contain "{token:reviewer}"

  Scenario: A RunAs role without a token in _tokens fails the state with NoTokenException
    Given the author has created a flow "As reviewer" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "RunAs": "Reviewer",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "End": true}}}}
      """
    When the author has started a run "R" of the flow "As reviewer" with:
      """
      {"body": {"_tokens": {"Someone else": "{token:reviewer}"}}}
      """
    Then the run "R" reaches status "FAILED"
    And the author gets the run "R"
    And the response field "details.code" is "FlowFailed"
    And the response field "details.details.Error" is "NoTokenException"

  Scenario: NoTokenException is caught like any state error
    Given the author has created a flow "As reviewer" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "RunAs": "Reviewer",
        "ActionUrl": "{service}", "Parameters": {"x": 1}, "ResultPath": "$.out", "Next": "Done",
        "Catch": [{"ErrorEquals": ["NoTokenException"], "ResultPath": "$.missing", "Next": "Done"}]},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    When the author has started a run "R" of the flow "As reviewer"
    Then the run "R" reaches status "SUCCEEDED"
    And the author gets the run "R"
    And the response field "details.output.missing.Error" is "NoTokenException"

  Scenario: Validating a definition resolves a registered provider's scope
    When the author sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action",
        "ActionUrl": "{service}", "Parameters": {}, "End": true}}}}
      """
    Then the response status is 200
    And the response field "scopes.User.0" is "{provider:mine.scope}"

  Scenario: Providers are listed and removed through the control plane
    When the control plane is asked GET "/_mock/providers"
    Then the response field "providers.0.url" is "{service}"
    And the response field "providers.0.dependent_scopes" has 2 items
    When the control plane is asked DELETE "/_mock/providers/{provider:mine.client_id}"
    Then the response status is 200
    When the control plane is asked GET "/_mock/providers"
    And the response field "providers" has 0 items

  Scenario Outline: A provider the mock could not call is refused
    When the control plane is asked POST "/_mock/providers" with:
      """
      <body>
      """
    Then the response status is 422
    And the error locates "<field>"

    Examples:
      | body                                                                                                       | field            |
      | {"url": "ftp://example.org/ap"}                                                                            | url              |
      | {"url": "https://example.org/ap", "client_id": "not-a-uuid"}                                                | client_id        |
      | {"url": "https://example.org/ap", "scope": "urn:globus:auth:scope:transfer.api.globus.org:all"}             | scope            |
      | {"url": "https://example.org/ap", "dependent_scopes": ["not a scope"]}                                     | dependent_scopes.0 |
