@auth @login @control
Feature: Consents granted by logins
  As the developer of an app that runs flows for its users
  I want the mock's Globus Auth to keep the consents a login grants, as a forest per identity
  So that my app can read them, and a run that needs consent goes on once the user gave it

  Background:
    Given the cast:
      | role       | persona |
      | researcher | dave    |
      | colleague  | carol   |

  Scenario: A login grants consent to the scopes it asked for, dependent scopes under theirs
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                                                                                    |
      | scope        | urn:globus:auth:scope:transfer.api.globus.org:all[https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access] openid |
      | state        | c-1                                                                                                                                |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "c-1"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    Then the response field "resource_server" is "auth.globus.org"
    And the response field "access_token" is kept as "app"
    When a client with the token "app" sends GET "/v2/api/identities/{researcher.id}/consents"
    Then the response status is 200
    And the response field "consents" has 3 items
    And the response field "consents.0.scope_name" is "urn:globus:auth:scope:transfer.api.globus.org:all"
    And the response field "consents.0.client" is "0c11e570-0000-4000-8000-000000000402"
    And the response field "consents.0.effective_identity" is "{researcher.id}"
    And the response field "consents.0.status" is "approved"
    And the response field "consents.1.scope_name" is "https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access"
    And the response field "consents.1.client" is not "0c11e570-0000-4000-8000-000000000402"
    And the response field "consents.1.dependency_path" has 2 items
    And the response field "consents.1.dependency_path.0" equals the response field "consents.0.id"
    And the response field "consents.1.dependency_path.1" equals the response field "consents.1.id"
    And the response field "consents.2.scope_name" is "openid"
    And the response field "consents.2.dependency_path" has 1 item

  Scenario: Consents are the identity's own; all clients' consents need view_consents
    Given the colleague has consented to "openid" for the client "0c11e570-0000-4000-8000-000000000402"
    And the researcher has consented to "urn:globus:auth:scope:transfer.api.globus.org:all" for the client "0c11e570-0000-4000-8000-000000000401"
    When the colleague sends GET "/v2/api/identities/{researcher.id}/consents"
    Then the response status is 403
    When the colleague sends GET "/v2/api/identities/{colleague.id}/consents?all=true"
    Then the response status is 200
    And the response field "consents" has 1 item
    And the response field "consents.0.scope_name" is "openid"
    Given the next login is the colleague
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback |
      | scope        | openid email                    |
      | state        | c-2                             |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "c-2"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "app"
    And a client with the token "app" sends GET "/v2/api/identities/{colleague.id}/consents?all=true"
    Then the response status is 403
    When a client with the token "app" sends GET "/v2/api/identities/{colleague.id}/consents"
    Then the response status is 200
    And the response field "consents" has 2 items
    And the response field "consents.1.scope_name" is "email"

  Scenario: A run waits for consent to its action's scope under the flow's; a login that grants it cures it
    Given the researcher has created a flow "Greeter" with:
      """
      {"definition": {"StartAt": "SayHello", "States": {"SayHello": {"Type": "Action",
        "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hello", "End": true}}}}
      """
    And the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback |
      | scope        | {flow:Greeter.scope}            |
      | state        | r-1                             |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "r-1"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "app"
    And app has started a run "R" of the flow "Greeter"
    And the researcher gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "details.code" is "ConsentRequired"
    And the response field "details.required_scope" is "{flow:Greeter.scope}[https://auth.globus.org/scopes/actions.globus.org/hello_world]"
    When app sends POST "/runs/{run:R}/resume"
    Then the response status is 200
    When the runs settle
    And the researcher gets the run "R"
    Then the response field "status" is "INACTIVE"
    And the response field "details.code" is "ConsentRequired"
    Given the next login is the researcher
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback |
      | scope        | {last.details.required_scope}   |
      | state        | r-2                             |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "r-2"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "consented"
    And consented sends POST "/runs/{run:R}/resume"
    Then the response status is 200
    When the runs settle
    And the researcher gets the run "R"
    Then the response field "status" is "SUCCEEDED"
    And the response field "details.output.hello.details.hello" is "hi"
