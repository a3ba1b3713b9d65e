@action-provider
Feature: Flows calls the provider from a flow
  As a flow author
  I want a flow's Action state to run the provider to its end with a token the provider checks
  So that my provider works inside a flow before it meets Globus

  Background:
    Given the cast:
      | role   | persona |
      | author | alice   |
    And the author has created a flow "Call it" with:
      """
      {"definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action", "ActionUrl": "{ap.url}",
        "Parameters": {ap.body:succeeds}, "ResultPath": "$.out", "End": true}}}}
      """

  Scenario: A flow runs the provider's action to SUCCEEDED, and the provider introspects its token
    When the author has started a run "R" of the flow "Call it"
    Then the run "R" reaches status "SUCCEEDED"
    And the author gets the run "R"
    And the response field "details.output.out.status" is "SUCCEEDED"
    And the response field "details.output.out.creator_id" is "{author.urn}"
    When the journal is read for "POST" "/v2/oauth2/token/introspect"
    Then the response field "requests.0.client_id" is "{ap.client_id}"
