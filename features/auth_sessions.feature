@auth @login @control @high-assurance
Feature: A browser's Globus Auth session across logins
  As the developer of an app whose users log in again to satisfy a policy (MFA, a fresh login)
  I want logins through the same browser to add their authentications to one session, as Globus Auth does
  So that the tokens of an earlier login are judged by the session's newer authentications, and time out

  The login page sets the session cookie mock_auth_session; a login from a browser that sends it
  joins that session.

  Background:
    Given the cast:
      | role  | persona |
      | owner | alice   |
    And a group "HA Members" with members the owner
    And a high-assurance subscription "HA" for the group "HA Members"
    And the owner has created a high-assurance policy "MFA" requiring MFA with a timeout of 600 seconds
    And the owner authenticates with MFA
    And the owner has created a flow "Vault" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:MFA}"}
      """
    And the next login is the owner
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | s-1                                                                     |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "s-1"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "app"
    And app gets the flow "Vault"
    Then the error is a GARE requiring the policy "MFA" with MFA

  Scenario: An MFA login through the same browser cures the earlier token's GARE, until the policy's timeout
    Given the next login is the owner with MFA
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri         | http://127.0.0.1:50123/callback                                         |
      | scope                | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state                | s-2                                                                     |
      | session_required_mfa | true                                                                    |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "s-2"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "app-mfa"
    And app gets the flow "Vault"
    Then the response status is 200
    When app-mfa gets the flow "Vault"
    Then the response status is 200
    When the clock advances by 601 seconds
    And app-mfa gets the flow "Vault"
    Then the error is a GARE requiring the policy "MFA" with MFA

  Scenario: A login from another browser starts a session of its own
    Given the browser forgets its cookies
    And the next login is the owner with MFA
    When a browser opens the authorize page of the client "0c11e570-0000-4000-8000-000000000402" with:
      | redirect_uri | http://127.0.0.1:50123/callback                                         |
      | scope        | https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all |
      | state        | s-3                                                                     |
    Then the browser is sent to "http://127.0.0.1:50123/callback" with a code and the state "s-3"
    When the client "0c11e570-0000-4000-8000-000000000402" exchanges the code for "http://127.0.0.1:50123/callback"
    And the response field "access_token" is kept as "other"
    And other gets the flow "Vault"
    Then the response status is 200
    When app gets the flow "Vault"
    Then the error is a GARE requiring the policy "MFA" with MFA
