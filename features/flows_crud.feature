@flows
Feature: Create, read, update and delete flows
  As a client developer building on Globus Flows
  I want the flow documents and status codes of the real service
  So that my client handles flows exactly as it will in production

  Background:
    Given the cast:
      | role  | persona |
      | owner | alice   |

  Scenario: Creating a flow returns 201 and the full flow document
    When the owner creates a flow "Hello" with:
      """
      {"subtitle": "A greeting", "description": "Says hello", "keywords": ["demo", "hello"]}
      """
    Then the response status is 201
    And the response field "title" is "Hello"
    And the response field "subtitle" is "A greeting"
    And the response field "flow_owner" is "{owner.urn}"
    And the response field "created_by" is "{owner.urn}"
    And the response field "user_role" is "flow_owner"
    And the response field "globus_auth_scope" is "{flow:Hello.scope}"
    And the response field "keywords" is:
      """
      ["demo", "hello"]
      """
    And the response field "is_high_assurance" is false
    And the response field "subscription_id" is null
    And the response field "created_at" is "{last.updated_at}"

  Scenario: The created flow can be read back by its owner
    Given the owner has created a flow "Readable"
    When the owner gets the flow "Readable"
    Then the response status is 200
    And the response field "id" is "{flow:Readable}"
    And the response field "definition" is:
      """
      {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}
      """
    And the response field "input_schema" is:
      """
      {}
      """

  Scenario: Timestamps use microseconds and an explicit UTC offset
    When the owner creates a flow "Stamped"
    Then the response status is 201
    And the response field "created_at" matches the Flows timestamp format

  Scenario: An update changes only the fields it names
    Given the owner has created a flow "Original" with:
      """
      {"subtitle": "kept", "description": "old"}
      """
    When the owner updates the flow "Original" with:
      """
      {"description": "new"}
      """
    Then the response status is 200
    And the response field "description" is "new"
    And the response field "subtitle" is "kept"
    And the response field "title" is "Original"

  Scenario: Updating the definition replaces it
    Given the owner has created a flow "Evolving"
    When the owner updates the flow "Evolving" with:
      """
      {"definition": {"StartAt": "First", "States": {"First": {"Type": "Pass", "Next": "Last"}, "Last": {"Type": "Pass", "End": true}}}}
      """
    Then the response status is 200
    And the response field "definition.StartAt" is "First"

  Scenario: Deleting a flow returns the final document and the flow is gone
    Given the owner has created a flow "Doomed"
    When the owner deletes the flow "Doomed"
    Then the response status is 200
    And the response field "DELETED" is true
    And the response field "id" is "{flow:Doomed}"
    When the owner gets the flow "Doomed"
    Then the response status is 404
    And the error code is "NOT_FOUND"

  Scenario: A deleted flow cannot be deleted twice
    Given the owner has created a flow "Once"
    And the owner deletes the flow "Once"
    When the owner deletes the flow "Once"
    Then the response status is 404

  Scenario: An unknown flow is not found
    When the owner sends GET "/flows/00000000-0000-4000-8000-000000000000"
    Then the response status is 404
    And the error code is "NOT_FOUND"
    And the error message mentions "No Flow exists with id value 00000000-0000-4000-8000-000000000000"

  Scenario: Validating a correct definition lists the scopes it needs
    When the owner sends POST "/flows/validate" with:
      """
      {"definition": {"StartAt": "Hello", "States": {"Hello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "End": true}}}}
      """
    Then the response status is 200
    And the response field "scopes.User" is:
      """
      ["https://auth.globus.org/scopes/actions.globus.org/hello_world"]
      """
