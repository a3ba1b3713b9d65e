@flows @runs @web-inputs @roles @matrix @control
Feature: Every web input role against every web input operation
  As an implementer of Flows web inputs
  I want each role checked against each operation, one row each
  So that only respondents answer, viewers and respondents see, and nobody else learns of it

  Respondents answer and view, viewers view; anyone else, the run's and the flow's owner
  included, is told the web input does not exist (404). A viewer who answers is refused (403); a
  respondent whose answer is not an option is told so (422), which shows the answer was let in.

  Background:
    Given the cast:
      | role    | persona |
      | owner   | alice   |
      | grantee | bob     |
      | other   | carol   |
    And a group "Lab" with members the grantee

  Scenario Outline: <role> through <principal> on <operation>
    Given the owner has created a flow "Approval" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Table", "Title": "Approve?", "Rows": []},
                 "Options": [{"Value": "yes", "Label": "Approve"}, {"Value": "no", "Label": "Deny"}],
                 "RespondentUrns": ["<respondent>"], "ViewerUrns": ["<viewer>"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"},
                  "ResultPath": "$.answer", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Approval"
    And the run "R" waits on a web input "Q"
    When <caller> sends <method> "/web_inputs/{webinput:Q}<operation>" with:
      """
      <body>
      """
    Then the response status is <status>

    Examples: through an identity
      | role       | respondent                                                    | viewer          | caller      | operation | method | body                              | status |
      | respondent | {grantee.urn}                                                 | {other.urn}     | the grantee |           | GET    |                                   | 200    |
      | respondent | {grantee.urn}                                                 | {other.urn}     | the grantee | /respond  | POST   | {"response": {"value": "maybe"}}  | 422    |
      | viewer     | {other.urn}                                                   | {grantee.urn}   | the grantee |           | GET    |                                   | 200    |
      | viewer     | {other.urn}                                                   | {grantee.urn}   | the grantee | /respond  | POST   | {"response": {"value": "maybe"}}  | 403    |
      | no role    | {other.urn}                                                   | {other.urn}     | the grantee |           | GET    |                                   | 404    |
      | no role    | {other.urn}                                                   | {other.urn}     | the grantee | /respond  | POST   | {"response": {"value": "maybe"}}  | 404    |
      | run owner  | {other.urn}                                                   | {other.urn}     | the owner   |           | GET    |                                   | 404    |
      | run owner  | {other.urn}                                                   | {other.urn}     | the owner   | /respond  | POST   | {"response": {"value": "maybe"}}  | 404    |

    Examples: through a group
      | role       | respondent                                                    | viewer          | caller      | operation | method | body                              | status |
      | respondent | {group:Lab.urn}                                               | {other.urn}     | the grantee | /respond  | POST   | {"response": {"value": "maybe"}}  | 422    |
      | viewer     | {other.urn}                                                   | {group:Lab.urn} | the grantee |           | GET    |                                   | 200    |
      | viewer     | {other.urn}                                                   | {group:Lab.urn} | the grantee | /respond  | POST   | {"response": {"value": "maybe"}}  | 403    |
      | respondent | {group:Lab.urn}                                               | {other.urn}     | the other   |           | GET    |                                   | 200    |
      | respondent | {group:Lab.urn}                                               | {grantee.urn}   | the owner   |           | GET    |                                   | 404    |

    Examples: through a linked identity (the default world links one to erin's account)
      | role       | respondent                                                    | viewer          | caller      | operation | method | body                              | status |
      | respondent | urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015 | {other.urn}     | erin        | /respond  | POST   | {"response": {"value": "maybe"}}  | 422    |
      | viewer     | {other.urn}                                                   | urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015 | erin | | GET | | 200 |
      | respondent | urn:globus:auth:identity:0e210000-0000-4000-8000-000000000015 | {other.urn}     | the grantee |           | GET    |                                   | 404    |

  Scenario Outline: <role> through <principal> answers, and lists it with filter_roles=<filter>: <count>
    Given the owner has created a flow "Approval" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Table", "Title": "Approve?", "Rows": []},
                 "Options": [{"Value": "yes", "Label": "Approve"}, {"Value": "no", "Label": "Deny"}],
                 "RespondentUrns": ["<respondent>"], "ViewerUrns": ["<viewer>"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"},
                  "ResultPath": "$.answer", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Approval"
    And the run "R" waits on a web input "Q"
    When the grantee sends GET "/web_inputs?filter_roles=<filter>"
    Then the response field "web_input_summaries" has <count> items
    When the grantee sends GET "/web_inputs"
    Then the response field "web_input_summaries" has 1 item
    When the grantee responds "Approve" to the web input "Q"
    Then the response status is <answer>

    Examples:
      | role       | respondent      | viewer          | filter     | count | answer |
      | respondent | {grantee.urn}   | {other.urn}     | respondent | 1     | 200    |
      | respondent | {grantee.urn}   | {other.urn}     | viewer     | 0     | 200    |
      | respondent | {group:Lab.urn} | {other.urn}     | respondent | 1     | 200    |
      | viewer     | {other.urn}     | {grantee.urn}   | viewer     | 1     | 403    |
      | viewer     | {other.urn}     | {group:Lab.urn} | respondent | 0     | 403    |
