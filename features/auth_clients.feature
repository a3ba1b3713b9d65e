@auth @login @control
Feature: Clients registered from a native client's template
  As the developer of a CLI that registers an instance of itself with Globus Auth
  I want POST /v2/api/clients with a template_id to make a confidential client as Globus Auth does
  So that my login, token and logout code runs against the mock

  Background:
    Given the cast:
      | role       | persona |
      | researcher | alice   |

  Scenario: The CLI's template makes a confidential client that logs people in and deletes itself
    When a client without a token sends POST "/v2/api/clients" with:
      """
      {"client": {"template_id": "95fdeba8-fac2-42bd-a357-e068d82ff78e", "name": "Globus CLI"}}
      """
    Then the response status is 200
    And the response field "client.name" is "Globus CLI"
    And the response field "client.public_client" is false
    And the response field "included.client_credential.id" is not ""
    And the response field "client.id" is kept as "cli"
    And the response field "included.client_credential.client" is "{kept:cli}"
    And the response field "included.client_credential.secret" is kept as "cli-secret"
    When the client "{kept:cli}" with secret "{kept:cli-secret}" sends GET "/v2/api/clients/{kept:cli}"
    Then the response status is 200
    And the response field "client.name" is "Globus CLI"
    When the client "{kept:cli}" with secret "wrong" sends GET "/v2/api/clients/{kept:cli}"
    Then the response status is 401
    Given the next login is the researcher
    When a browser opens the authorize page of the client "{kept:cli}" with:
      | redirect_uri | https://auth.globus.org/v2/web/auth-code                                |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | cli-1                                                                   |
    Then the browser is sent to "https://auth.globus.org/v2/web/auth-code" with a code and the state "cli-1"
    When the client "{kept:cli}" with secret "{kept:cli-secret}" exchanges the code for "https://auth.globus.org/v2/web/auth-code"
    Then the response status is 200
    And the response field "resource_server" is "flows.globus.org"
    When the client "{kept:cli}" with secret "{kept:cli-secret}" sends DELETE "/v2/api/clients/{kept:cli}"
    Then the response status is 200
    When the client "{kept:cli}" with secret "{kept:cli-secret}" sends GET "/v2/api/clients/{kept:cli}"
    Then the response status is 401

  Scenario: Only a native client may be a template, and a client manages only itself
    When a client without a token sends POST "/v2/api/clients" with:
      """
      {"client": {"template_id": "0c11e570-0000-4000-8000-000000000401", "name": "Not from a template"}}
      """
    Then the response status is 400
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" sends DELETE "/v2/api/clients/95fdeba8-fac2-42bd-a357-e068d82ff78e"
    Then the response status is 403
    When a client without a token sends GET "/v2/api/clients/95fdeba8-fac2-42bd-a357-e068d82ff78e"
    Then the response status is 401

  Scenario: The template revokes the tokens of the clients made from it, as the CLI's logout does
    When a client without a token sends POST "/v2/api/clients" with:
      """
      {"client": {"template_id": "95fdeba8-fac2-42bd-a357-e068d82ff78e", "name": "Globus CLI"}}
      """
    Then the response status is 200
    And the response field "client.id" is kept as "cli"
    And the response field "included.client_credential.secret" is kept as "cli-secret"
    Given the next login is the researcher
    When a browser opens the authorize page of the client "{kept:cli}" with:
      | redirect_uri | https://auth.globus.org/v2/web/auth-code                                |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | cli-2                                                                   |
      | access_type  | offline                                                                 |
    Then the browser is sent to "https://auth.globus.org/v2/web/auth-code" with a code and the state "cli-2"
    When the client "{kept:cli}" with secret "{kept:cli-secret}" exchanges the code for "https://auth.globus.org/v2/web/auth-code"
    Then the response status is 200
    And the response field "access_token" is kept as "cli-access"
    When the client "0c11e570-0000-4000-8000-000000000402" revokes the refresh token
    Then the response status is 200
    When a client with the token "{kept:cli-access}" sends GET "/flows"
    Then the response status is 200
    When the client "95fdeba8-fac2-42bd-a357-e068d82ff78e" revokes the refresh token
    Then the response status is 200
    And the response field "active" is false
    When a client with the token "{kept:cli-access}" sends GET "/flows"
    Then the response status is 401
    When the client "{kept:cli}" with secret "{kept:cli-secret}" validates the refresh token
    Then the response field "active" is false
