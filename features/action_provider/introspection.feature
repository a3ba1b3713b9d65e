@action-provider
Feature: An Action Provider describes itself
  As a flow author
  I want every Action Provider to publish what it is, who may run it and what input it takes
  So that Flows and my tools can call it without guessing

  Background:
    Given the cast:
      | role   | persona |
      | caller | alice   |

  Scenario: The introspection document at the provider's root
    When the caller reads the provider's introspection document
    Then the response status is 200
    And the response field "types" contains "Action"
    And the response field "api_version" is "1.0"
    And the response field "synchronous" is a boolean
    And the response field "log_supported" is a boolean
    And the response field "input_schema" is an object
    And the response field "title" is a string
    And the response field "admin_contact" is a string
    And the response field "runnable_by" lists principals
    And the response field "visible_to" lists principals
    And the response field "globus_auth_scope" is the provider's scope
