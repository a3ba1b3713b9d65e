@control @worlds
Feature: Isolated worlds in one mock, for parallel test jobs
  As a developer whose tests run in parallel workers
  I want each worker to have a world of its own in one mock
  So that the workers' flows, runs, clocks and resets never meet

  Background:
    Given the cast:
      | role          | persona |
      | first-worker  | alice   |
      | second-worker | alice   |
      | default-user  | alice   |
    And the first-worker works in a world "A" of their own
    And the second-worker works in a world "B" of their own

  Scenario: A world's tokens see only that world's flows
    Given the first-worker has created a flow "Made in A"
    And the second-worker has created a flow "Made in B"
    When the first-worker lists flows
    Then the listed flows include "Made in A"
    And the listed flows exclude "Made in B"
    When the second-worker lists flows
    Then the listed flows include "Made in B"
    And the listed flows exclude "Made in A"
    When the default-user lists flows
    Then the listed flows exclude "Made in A"
    And the listed flows exclude "Made in B"

  Scenario: A world's flow is not found with another world's token
    Given the first-worker has created a flow "Made in A"
    When the second-worker gets the flow "Made in A"
    Then the response status is 404

  Scenario: Resetting one world leaves the others as they are
    Given the first-worker has created a flow "Made in A"
    And the second-worker has created a flow "Made in B"
    When the world "A" is reset
    And the first-worker lists flows
    Then the listed flows exclude "Made in A"
    When the second-worker lists flows
    Then the listed flows include "Made in B"

  Scenario: A world's clock is its own
    When the world "A" advances its clock by 86400 seconds
    Then the clock of world "A" is a day ahead of the clock of world "B"

  Scenario: The tokens of a deleted world are refused
    When the world "A" is deleted
    And the first-worker sends GET "/flows"
    Then the response status is 401
    When the second-worker sends GET "/flows"
    Then the response status is 200
