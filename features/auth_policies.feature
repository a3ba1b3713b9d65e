@auth @policies
Feature: Authentication policies in Globus Auth
  As a client developer protecting resources with authentication policies
  I want the policies API and policy evaluation in token introspection
  So that my tools create the policies high-assurance flows need and check sessions against them

  Scenario: A policy is created, read, updated and deleted with {"policy": ...} documents
    When alice sends POST "/v2/api/policies" with:
      """
      {"policy": {"project_id": "da84e531-1afb-43cb-8c87-135ab580516a", "display_name": "GreenLight domain Only Policy",
                  "description": "Only allow access from @greenlight.org", "high_assurance": true,
                  "authentication_assurance_timeout": 35, "required_mfa": true,
                  "domain_constraints_include": ["greenlight.org"], "domain_constraints_exclude": null}}
      """
    Then the response status is 200
    And the response field "policy.display_name" is "GreenLight domain Only Policy"
    And the response field "policy.authentication_assurance_timeout" is 35
    And the response field "policy.domain_constraints_include" is:
      """
      ["greenlight.org"]
      """
    And the response field "policy.domain_constraints_exclude" is null
    And the response field "policy.project_admins" is absent
    When alice sends GET "/v2/api/policies/{last.policy.id}"
    Then the response status is 200
    And the response field "policy.high_assurance" is true
    When alice sends PUT "/v2/api/policies/{last.policy.id}" with:
      """
      {"policy": {"display_name": "Renamed", "domain_constraints_include": null}}
      """
    Then the response status is 200
    And the response field "policy.display_name" is "Renamed"
    And the response field "policy.domain_constraints_include" is null
    And the response field "policy.required_mfa" is true
    When alice sends DELETE "/v2/api/policies/{last.policy.id}"
    Then the response status is 200
    And the response field "policy.display_name" is "Renamed"
    When alice sends GET "/v2/api/policies/{last.policy.id}"
    Then the response status is 404

  Scenario: Policies are listed for the administrators of their project only
    Given alice has created a standard policy "Mine"
    When alice sends GET "/v2/api/policies"
    Then the response field "policies" has 1 item
    When bob sends GET "/v2/api/policies"
    Then the response field "policies" has 0 items
    When bob sends GET "/v2/api/policies/{policy:Mine}"
    Then the response status is 404

  Scenario: high_assurance cannot change after creation
    Given alice has created a standard policy "Fixed"
    When alice sends PUT "/v2/api/policies/{policy:Fixed}" with:
      """
      {"policy": {"high_assurance": true}}
      """
    Then the response status is 400
    And the error message mentions "high_assurance cannot be changed"

  Scenario: required_mfa is only for high-assurance policies
    When alice sends POST "/v2/api/policies" with:
      """
      {"policy": {"project_id": "da84e531-1afb-43cb-8c87-135ab580516a", "display_name": "x", "description": "", "required_mfa": true}}
      """
    Then the response status is 400
    And the error message mentions "required_mfa"

  Scenario Outline: An authentication_assurance_timeout of <seconds> seconds is refused (at most 10 years)
    When alice sends POST "/v2/api/policies" with:
      """
      {"policy": {"project_id": "da84e531-1afb-43cb-8c87-135ab580516a", "display_name": "x", "description": "",
                  "high_assurance": false, "authentication_assurance_timeout": <seconds>}}
      """
    Then the response status is 400
    And the error message mentions "authentication_assurance_timeout"

    Examples:
      | seconds             |
      | 315360001           |
      | 9223372036854775807 |
      | -1                  |

  Scenario: An authentication_assurance_timeout of 10 years is accepted
    Given alice has created a standard policy "Lenient" with a timeout of 315360000 seconds
    When alice sends GET "/v2/api/policies/{policy:Lenient}"
    Then the response field "policy.authentication_assurance_timeout" is 315360000

  Scenario: A policy needs a project and a name
    When alice sends POST "/v2/api/policies" with:
      """
      {"policy": {"description": "nameless"}}
      """
    Then the response status is 400

  @control
  Scenario: Introspection evaluates the session against the policies asked for
    Given alice has created a high-assurance policy "Recent" with a timeout of 600 seconds
    And alice has created a high-assurance policy "Greenlight" requiring MFA
    When the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-alice" asking for policies "{policy:Recent},{policy:Greenlight}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Recent}": {"evaluation": false}, "{policy:Greenlight}": {"evaluation": false}}
      """
    When alice authenticates
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-alice" asking for policies "{policy:Recent},{policy:Greenlight}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Recent}": {"evaluation": true}, "{policy:Greenlight}": {"evaluation": false}}
      """
    When alice authenticates with MFA
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-alice" asking for policies "{policy:Greenlight}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Greenlight}": {"evaluation": true}}
      """
    When the clock advances by 601 seconds
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-alice" asking for policies "{policy:Recent}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Recent}": {"evaluation": false}}
      """

  @control
  Scenario: Domain constraints decide which identities satisfy a policy
    Given alice has created a high-assurance policy "Edu" for domains "*.edu"
    When erin authenticates
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-erin" asking for policies "{policy:Edu}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Edu}": {"evaluation": false}}
      """
    When erin authenticates as the identity "0e210000-0000-4000-8000-000000000015"
    And the client "0c11e570-0000-4000-8000-000000000401" with secret "mock-client-secret" introspects "tok-erin" asking for policies "{policy:Edu}"
    Then the response field "policy_evaluations" is:
      """
      {"{policy:Edu}": {"evaluation": true}}
      """
