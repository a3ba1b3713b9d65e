@flows @runs @high-assurance @control
Feature: High-assurance flows
  As a client developer building on Globus Flows for sensitive data
  I want high-assurance flows to redact, demand fresh sessions and lock as the real service does
  So that my client handles re-authentication (GAREs) and never leaks protected data

  A high-assurance flow has a high-assurance subscription and a high-assurance authentication
  policy. Every direct operation needs a session that satisfies the policy through an identity
  that holds a role; listings always redact. The persona tokens' sessions are old: a scenario
  authenticates to get a fresh one.

  Background:
    Given the cast:
      | role                  | persona |
      | owner                 | alice   |
      | viewer                | bob     |
      | administrator         | carol   |
      | outside-administrator | dave    |
      | outsider              | erin    |
    And a group "HA Members" with members the owner, the administrator
    And a high-assurance subscription "HA" for the group "HA Members"
    And a standard subscription "Basic" for the group "HA Members"
    And the owner has created a high-assurance policy "Strict" with a timeout of 3600 seconds
    And the owner authenticates
    And the owner has created a flow "Secure" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}",
       "flow_viewers": ["{viewer.urn}"], "flow_administrators": ["{administrator.urn}", "{outside-administrator.urn}"],
       "definition": {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 86400, "End": true}}},
       "input_schema": {"type": "object"}}
      """
    And the owner has created a flow "Plain" with:
      """
      {"flow_viewers": ["{viewer.urn}"], "flow_administrators": ["{administrator.urn}"]}
      """

  Scenario: The flow document says it is high-assurance, with its policy and subscription
    When the owner gets the flow "Secure"
    Then the response status is 200
    And the response field "is_high_assurance" is true
    And the response field "authentication_policy_id" is "{policy:Strict}"
    And the response field "subscription_id" is "{subscription:HA}"
    When the owner gets the flow "Plain"
    Then the response field "is_high_assurance" is false
    And the response field "authentication_policy_id" is null

  Scenario: Listings omit the definition and input schema of high-assurance flows, whatever the session
    When the viewer lists flows with "filter_roles=flow_viewer&orderby=title ASC"
    Then the response status is 200
    And the listed flows are "Plain, Secure"
    And the response field "flows.1.definition" is null
    And the response field "flows.1.input_schema" is null
    And the response field "flows.0.definition.StartAt" is "Done"
    When the owner lists flows with "orderby=title ASC"
    Then the response field "flows.1.definition" is null

  Scenario: A role holder without a fresh session gets a GARE, and re-authenticating cures it
    When the viewer gets the flow "Secure"
    Then the response status is 403
    And the error is a GARE requiring the policy "Strict"
    And the response field "authorization_parameters.session_message" is "Globus Flows detected an unsatisfied session policy for this resource."
    When the viewer authenticates
    And the viewer gets the flow "Secure"
    Then the response status is 200

  Scenario: A caller without a role still gets 404, fresh session or not
    When the outsider authenticates
    And the outsider gets the flow "Secure"
    Then the response status is 404

  Scenario Outline: Every direct operation needs the session: <operation>
    Given the owner has started a run "Held" of the flow "Secure" with:
      """
      {"body": {}, "run_managers": ["{administrator.urn}"]}
      """
    When the administrator sends <method> "<path>" with:
      """
      <body>
      """
    Then the error is a GARE requiring the policy "Strict"
    When the administrator authenticates
    And the administrator sends <method> "<path>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples:
      | operation       | method | path                        | body                | status |
      | get the flow    | GET    | /flows/{flow:Secure}        |                     | 200    |
      | update the flow | PUT    | /flows/{flow:Secure}        | {"subtitle": "new"} | 200    |
      | start a run     | POST   | /flows/{flow:Secure}/run    | {"body": {}}        | 201    |
      | get a run       | GET    | /runs/{run:Held}            |                     | 200    |
      | read its log    | GET    | /runs/{run:Held}/log        |                     | 200    |
      | its definition  | GET    | /runs/{run:Held}/definition |                     | 200    |
      | update a run    | PUT    | /runs/{run:Held}            | {"label": "x"}      | 200    |
      | cancel a run    | POST   | /runs/{run:Held}/cancel     |                     | 202    |
      | release a run   | POST   | /runs/{run:Held}/release    |                     | 409    |
      | delete the flow | DELETE | /flows/{flow:Secure}        |                     | 200    |

  Scenario Outline: A batch needs the session the single-run operations need: <change>
    Given the owner has started a run "Held" of the flow "Secure" with:
      """
      {"body": {}, "tags": ["before"], "run_managers": ["{administrator.urn}"]}
      """
    When the administrator sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Held}"]}, <body>}
      """
    Then the error is a GARE requiring the policy "Strict"
    When the owner gets the run "Held"
    Then the response field "status" is "ACTIVE"
    And the response field "tags" is:
      """
      ["before"]
      """
    And the response field "run_monitors" has 0 items
    When the administrator authenticates
    And the administrator sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Held}"]}, <body>}
      """
    Then the response status is 202

    Examples:
      | change       | body                                     |
      | tags         | "add": {"tags": ["after"]}               |
      | run monitors | "add": {"run_monitors": ["{viewer.urn}"]} |
      | cancel       | "set": {"status": "cancel"}              |

  Scenario: A batch with one run short of the session changes none of its runs
    Given the owner has started a run "Open" of the flow "Plain" with:
      """
      {"body": {}, "tags": ["before"]}
      """
    And the owner has started a run "Guarded" of the flow "Secure" with:
      """
      {"body": {}, "tags": ["before"]}
      """
    When the clock advances by 3601 seconds
    And the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Open}", "{run:Guarded}"]}, "add": {"tags": ["after"]}}
      """
    Then the error is a GARE requiring the policy "Strict"
    When the owner gets the run "Open"
    Then the response field "tags" is:
      """
      ["before"]
      """

  Scenario: The first refused run in request order decides a batch's answer
    Given the owner has started a run "Held" of the flow "Secure" with:
      """
      {"body": {}, "run_managers": ["{administrator.urn}"]}
      """
    And the owner has started a run "Private" of the flow "Secure"
    When the administrator sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Held}", "{run:Private}"]}, "set": {"status": "cancel"}}
      """
    Then the error is a GARE requiring the policy "Strict"
    When the administrator sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Private}", "{run:Held}"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "{run:Private}"

  Scenario: Run listings omit the details of runs of high-assurance flows
    Given the owner has started a run "Guarded" of the flow "Secure"
    And the owner has started a run "Open" of the flow "Plain"
    When the clock advances by 7200 seconds
    And the owner sends GET "/runs?orderby=start_time ASC"
    Then the listed runs are "Guarded, Open"
    And the response field "runs.0.details" is null
    And the response field "runs.1.details.code" is "FlowSucceeded"

  Scenario: The session expires on the mock clock
    When the owner gets the flow "Secure"
    Then the response status is 200
    When the clock advances by 3601 seconds
    And the owner gets the flow "Secure"
    Then the error is a GARE requiring the policy "Strict"
    When the owner authenticates
    And the owner gets the flow "Secure"
    Then the response status is 200

  Scenario: A policy that requires MFA asks for it, and only an MFA login satisfies it
    Given the owner has created a high-assurance policy "MFA" requiring MFA
    And the owner authenticates with MFA
    And the owner has created a flow "Vault" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:MFA}", "flow_viewers": ["{administrator.urn}"]}
      """
    When the administrator authenticates
    And the administrator gets the flow "Vault"
    Then the error is a GARE requiring the policy "MFA" with MFA
    When the administrator authenticates with MFA
    And the administrator gets the flow "Vault"
    Then the response status is 200

  Scenario: Only the identity that holds the role counts, not a linked one
    Given the owner has created a flow "Linked" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}", "flow_viewers": ["{outsider.urn}"]}
      """
    When the outsider authenticates as the identity "0e210000-0000-4000-8000-000000000015"
    And the outsider gets the flow "Linked"
    Then the error is a GARE requiring the policy "Strict"
    When the outsider authenticates
    And the outsider gets the flow "Linked"
    Then the response status is 200

  Scenario Outline: High-assurance rules refuse <change>
    When the owner <action> with:
      """
      <body>
      """
    Then the response status is 422
    And the error locates "<location>"

    Examples:
      | change                                            | action                    | body                                                                                                                | location                 |
      | turning a standard flow into a high-assurance one | updates the flow "Plain"  | {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}"}                             | authentication_policy_id |
      | removing the policy                               | updates the flow "Secure" | {"authentication_policy_id": null}                                                                                  | authentication_policy_id |
      | an empty policy                                   | updates the flow "Secure" | {"authentication_policy_id": ""}                                                                                    | authentication_policy_id |
      | a standard subscription                           | updates the flow "Secure" | {"subscription_id": "{subscription:Basic}"}                                                                         | subscription_id          |
      | removing the subscription                         | updates the flow "Secure" | {"subscription_id": null}                                                                                           | subscription_id          |
      | public viewers                                    | updates the flow "Secure" | {"flow_viewers": ["public"]}                                                                                        | flow_viewers.0           |
      | all authenticated starters                        | updates the flow "Secure" | {"flow_starters": ["{viewer.urn}", "all_authenticated_users"]}                                                      | flow_starters.1          |
      | a policy without a high-assurance subscription    | creates a flow "Nope"     | {"subscription_id": "{subscription:Basic}", "authentication_policy_id": "{policy:Strict}"}                          | subscription_id          |
      | a policy without any subscription                 | creates a flow "Nope"     | {"authentication_policy_id": "{policy:Strict}"}                                                                     | subscription_id          |
      | an unknown policy                                 | creates a flow "Nope"     | {"subscription_id": "{subscription:HA}", "authentication_policy_id": "00000000-0000-4000-8000-000000000000"}        | authentication_policy_id |
      | public viewers at creation                        | creates a flow "Nope"     | {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}", "flow_viewers": ["public"]} | flow_viewers.0           |

  Scenario: A standard policy cannot protect a flow
    Given the owner has created a standard policy "Loose"
    When the owner creates a flow "Nope" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Loose}"}
      """
    Then the response status is 422
    And the error message mentions "high-assurance policy"

  Scenario: A refused change leaves the flow as it was
    When the owner updates the flow "Secure" with:
      """
      {"title": "Renamed", "authentication_policy_id": null}
      """
    Then the response status is 422
    When the owner gets the flow "Secure"
    Then the response field "title" is "Secure"
    And the response field "authentication_policy_id" is "{policy:Strict}"

  Scenario: The policy may be replaced by one who satisfies both the old and the new policy
    Given the owner has created a high-assurance policy "Stronger" requiring MFA
    When the owner updates the flow "Secure" with:
      """
      {"authentication_policy_id": "{policy:Stronger}"}
      """
    Then the error is a GARE requiring the policy "Stronger" with MFA
    When the owner authenticates with MFA
    And the owner updates the flow "Secure" with:
      """
      {"authentication_policy_id": "{policy:Stronger}"}
      """
    Then the response status is 200
    And the response field "authentication_policy_id" is "{policy:Stronger}"

  Scenario: The subscription may change to another high-assurance subscription
    Given a high-assurance subscription "HA2" for the group "HA Members"
    When the owner updates the flow "Secure" with:
      """
      {"subscription_id": "{subscription:HA2}"}
      """
    Then the response status is 200
    And the response field "subscription_id" is "{subscription:HA2}"

  Scenario: Once its policy is deleted the flow is locked for every role, with an error naming the policy
    Given the owner has started a run "Stranded" of the flow "Secure"
    And the viewer authenticates
    When the owner sends DELETE "/v2/api/policies/{policy:Strict}"
    Then the response status is 200
    When the owner gets the flow "Secure"
    Then the response status is 403
    And the error code is "AUTHENTICATION_POLICY_MISSING"
    And the error message mentions "{policy:Strict}"
    When the viewer gets the flow "Secure"
    Then the error code is "AUTHENTICATION_POLICY_MISSING"
    When the owner gets the run "Stranded"
    Then the error code is "AUTHENTICATION_POLICY_MISSING"
    When the owner sends POST "/flows/{flow:Secure}/run" with:
      """
      {"body": {}}
      """
    Then the error code is "AUTHENTICATION_POLICY_MISSING"
    When the owner updates the flow "Secure" with:
      """
      {"subtitle": "still locked"}
      """
    Then the error code is "AUTHENTICATION_POLICY_MISSING"
    When the viewer gets the flow "Plain"
    Then the response status is 200

  Scenario: Once its policy is deleted a batch over its runs is refused with the lockout error and changes nothing
    Given the owner has created a high-assurance policy "Replacement"
    And the owner has started a run "Stranded" of the flow "Secure" with:
      """
      {"body": {}, "tags": ["before"]}
      """
    And the owner has started a run "Open" of the flow "Plain" with:
      """
      {"body": {}, "tags": ["before"]}
      """
    And the owner sends DELETE "/v2/api/policies/{policy:Strict}"
    When the owner sends POST "/batch/runs" with:
      """
      {"filters": {"run_ids": ["{run:Open}", "{run:Stranded}"]}, "add": {"tags": ["after"]}, "set": {"status": "cancel"}}
      """
    Then the response status is 403
    And the error code is "AUTHENTICATION_POLICY_MISSING"
    And the error message mentions "{policy:Strict}"
    When the owner gets the run "Open"
    Then the response field "tags" is:
      """
      ["before"]
      """
    When the administrator authenticates
    And the administrator updates the flow "Secure" with:
      """
      {"authentication_policy_id": "{policy:Replacement}"}
      """
    Then the response status is 200
    When the owner gets the run "Stranded"
    Then the response field "status" is "ACTIVE"
    And the response field "tags" is:
      """
      ["before"]
      """

  Scenario: A member of the subscription group recovers a locked flow with a new policy; others cannot
    Given the owner has started a run "Stranded" of the flow "Secure"
    And the owner has created a high-assurance policy "Replacement"
    And the owner sends DELETE "/v2/api/policies/{policy:Strict}"
    When the outside-administrator updates the flow "Secure" with:
      """
      {"authentication_policy_id": "{policy:Replacement}"}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "member of the group"
    When the administrator authenticates
    And the administrator updates the flow "Secure" with:
      """
      {"authentication_policy_id": "{policy:Replacement}"}
      """
    Then the response status is 200
    And the response field "authentication_policy_id" is "{policy:Replacement}"
    When the owner gets the flow "Secure"
    Then the response status is 200
    When the owner gets the run "Stranded"
    Then the response status is 200
    When the viewer gets the flow "Secure"
    Then the error is a GARE requiring the policy "Replacement"

  Scenario: A standard flow next to a high-assurance one behaves as before
    When the clock advances by 7200 seconds
    And the viewer gets the flow "Plain"
    Then the response status is 200
    And the response field "definition.StartAt" is "Done"
    When the administrator updates the flow "Plain" with:
      """
      {"subtitle": "no session needed"}
      """
    Then the response status is 200
    When the viewer starts a run "Free" of the flow "Plain"
    Then the response status is 403
    And the error code is "FORBIDDEN"

  Scenario: A respondent whose session falls short is told which web input asks to authenticate
    Given the owner has created a flow "Ask" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}",
       "definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection", "Context": {"Title": "Release the data?"},
                 "Options": [{"Value": "yes", "Label": "Release"}], "RespondentUrns": ["{viewer.urn}"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"}, "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Ask"
    And the run "R" waits on a web input "Q"
    When the viewer sends GET "/web_inputs/{webinput:Q}"
    Then the error is a GARE requiring the policy "Strict"
    And the response field "error.code" is "AUTHENTICATION_POLICY_REQUIRED"
    And the response field "error.detail" mentions "Reauthenticate"
    And the response field "authorization_parameters.session_message" mentions "web input"
    And the response field "web_input_summary.id" is "{webinput:Q}"
    And the response field "web_input_summary.title" is "Release the data?"
    And the response field "web_input_summary.user_roles" is:
      """
      ["respondent"]
      """
    And the response field "web_input_summary.run.id" is "{run:R}"
    When the viewer authenticates
    And the viewer sends GET "/web_inputs/{webinput:Q}"
    Then the response status is 200
    And the response field "status" is "open"

  Scenario: A respondent whose session falls short cannot answer, and the GARE carries the error the SDK reports
    Given the owner has created a flow "Ask" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}",
       "definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection", "Context": {"Title": "Release the data?"},
                 "Options": [{"Value": "yes", "Label": "Release"}], "RespondentUrns": ["{viewer.urn}"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"}, "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Ask"
    And the run "R" waits on a web input "Q"
    When the viewer sends POST "/web_inputs/{webinput:Q}/respond" with:
      """
      {"response": {"value": "anything"}}
      """
    Then the error is a GARE requiring the policy "Strict"
    And the response field "error.code" is "AUTHENTICATION_POLICY_REQUIRED"
    And the response field "error.detail" mentions "respondent role"
    And the response field "authorization_parameters.session_message" mentions "web input"
    And the response field "web_input_summary.id" is "{webinput:Q}"
    And the run "R" has status "INACTIVE"
