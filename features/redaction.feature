@flows @runs @high-assurance @redaction @control
Feature: Redaction on every door of every listing
  As an implementer of Flows listings
  I want redaction checked on every listing and every default of it, not only the filtered one
  So that no order, filter or page lets a definition, a run's details, a secret or a role list out

  Listings always redact high-assurance flows (no definition, no input schema) and the details of
  their runs, whatever the caller's session. Private parameters stay hidden from callers below
  flow administrator, and role lists from callers who may not manage them, in listings as in
  documents.

  Background:
    Given the cast:
      | role          | persona |
      | owner         | alice   |
      | viewer        | bob     |
      | administrator | carol   |
      | run-manager   | dave    |
      | monitor       | erin    |
    And a group "HA Members" with members the owner
    And a high-assurance subscription "HA" for the group "HA Members"
    And the owner has created a high-assurance policy "Strict" with a timeout of 3600 seconds
    And the owner authenticates
    And the owner has created a flow "Secure" with:
      """
      {"subscription_id": "{subscription:HA}", "authentication_policy_id": "{policy:Strict}",
       "flow_viewers": ["{viewer.urn}"], "flow_administrators": ["{administrator.urn}"],
       "run_managers": ["{run-manager.urn}"], "keywords": ["both"],
       "input_schema": {"type": "object"}}
      """
    And the owner has created a flow "Plain" with:
      """
      {"flow_viewers": ["{viewer.urn}"], "flow_administrators": ["{administrator.urn}"],
       "run_managers": ["{run-manager.urn}"], "keywords": ["both"],
       "definition": {"StartAt": "Call", "States": {"Call": {"Type": "Pass",
         "Parameters": {"shown": "yes", "api_key": "s3cret", "__Private_Parameters": ["api_key"]}, "End": true}}}}
      """

  Scenario Outline: <who> lists flows with <query>: the high-assurance flow is redacted
    When the <who> sends GET "/flows?<query>"
    Then the response status is 200
    And the field "definition" of the listed flow "Secure" is null
    And the field "input_schema" of the listed flow "Secure" is null

    Examples:
      | who           | query                                          |
      | owner         | per_page=20                                    |
      | owner         | filter_roles=flow_owner                        |
      | owner         | orderby=title%20ASC                            |
      | owner         | orderby=title%20DESC                           |
      | owner         | orderby=created_at%20ASC                       |
      | owner         | orderby=updated_at%20DESC                      |
      | owner         | orderby=id%20ASC                               |
      | owner         | filter_keywords=both                           |
      | owner         | filter_fulltext=Secure                         |
      | viewer        | filter_roles=flow_viewer                       |
      | viewer        | filter_roles=flow_viewer&orderby=title%20DESC  |
      | administrator | filter_roles=flow_administrator                |
      | administrator | filter_roles=flow_starter                      |
      | administrator | filter_roles=flow_viewer                       |
      | run-manager   | filter_roles=run_manager                       |

  Scenario Outline: <who> lists flows with <query>: private parameters and role lists as <who> may see them
    When the <who> sends GET "/flows?<query>"
    Then the response status is 200
    And the field "definition.States.Call.Parameters.api_key" of the listed flow "Plain" is <secret>
    And the field "flow_viewers" of the listed flow "Plain" is <lists>

    Examples:
      | who           | query                                         | secret | lists  |
      | viewer        | filter_roles=flow_viewer                      | absent | []     |
      | viewer        | filter_roles=flow_viewer&orderby=title%20ASC  | absent | []     |
      | viewer        | filter_roles=flow_viewer&filter_keywords=both | absent | []     |
      | run-manager   | filter_roles=run_manager                      | absent | []     |
      | run-manager   | filter_roles=run_manager&orderby=id%20DESC    | absent | []     |

  Scenario: The owner's second page of flows, by title, redacts the high-assurance flow
    When the owner sends GET "/flows?orderby=title%20ASC&per_page=1"
    And the owner sends GET "/flows?marker={last.marker}"
    Then the field "definition" of the listed flow "Secure" is null

  Scenario Outline: <who> lists runs with <query>: the run of the high-assurance flow is redacted
    Given the owner has started a run "Guarded" of the flow "Secure" with:
      """
      {"body": {}, "label": "guarded", "run_monitors": ["{monitor.urn}"]}
      """
    And the owner has started a run "Open" of the flow "Plain" with:
      """
      {"body": {}, "label": "open", "run_monitors": ["{monitor.urn}"]}
      """
    When the <who> sends GET "<listing>?<query>"
    Then the response status is 200
    And the field "details" of the listed run "Guarded" is null

    Examples:
      | who         | listing                  | query                              |
      | owner       | /runs                    | per_page=20                        |
      | owner       | /runs                    | filter_roles=run_owner             |
      | owner       | /runs                    | orderby=label%20ASC                |
      | owner       | /runs                    | orderby=start_time%20ASC           |
      | owner       | /runs                    | orderby=status%20DESC              |
      | owner       | /runs                    | filter_flow_id={flow:Secure}       |
      | owner       | /runs                    | filter_status=ACTIVE,SUCCEEDED     |
      | monitor     | /runs                    | filter_roles=run_monitor           |
      | monitor     | /runs                    | filter_roles=run_monitor&orderby=label%20DESC |
      | run-manager | /runs                    | filter_roles=flow_run_manager      |

  Scenario Outline: <who> lists runs with <query>: role lists as <who> may see them
    Given the owner has started a run "Open" of the flow "Plain" with:
      """
      {"body": {}, "label": "open", "run_monitors": ["{monitor.urn}"], "run_managers": ["{administrator.urn}"]}
      """
    When the <who> sends GET "/runs?<query>"
    Then the response status is 200
    And the field "run_monitors" of the listed run "Open" is []
    And the field "run_managers" of the listed run "Open" is []

    Examples:
      | who     | query                                        |
      | monitor | filter_roles=run_monitor                     |
      | monitor | filter_roles=run_monitor&orderby=label%20ASC |
      | monitor | filter_roles=run_monitor&orderby=id%20DESC   |
