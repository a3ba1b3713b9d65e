@action-provider
Feature: An Action Provider accepts only tokens for its own scope
  As a user whose token Flows hands to a provider
  I want the provider to introspect every token and refuse one that is missing, expired or for another scope
  So that nobody acts through a provider with a token not meant for it

  Background:
    Given the cast:
      | role   | persona |
      | caller | alice   |

  Scenario Outline: Running an action with <token> is refused with 401
    When a client with <token> runs a "succeeds" action
    Then the response status is 401

    Examples:
      | token                     |
      | no token                  |
      | an expired token          |
      | a token for another scope |

  Scenario Outline: Reading an action's status with <token> is refused with 401
    Given the caller runs an "active" action "A"
    When a client with <token> reads the status of the action "A"
    Then the response status is 401

    Examples:
      | token                     |
      | no token                  |
      | an expired token          |
      | a token for another scope |
