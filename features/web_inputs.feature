@flows @runs @web-inputs @control
Feature: Web inputs
  As a client developer building a portal where people approve what flows do
  I want runs to ask questions through web inputs that people list, read and answer
  So that my approval screens work against the mock as they would against Globus

  A CreateWebInput state makes a web input (its id goes to ResultPath); an AwaitWebInput state
  makes the run INACTIVE, with blocking_web_input_id, until a respondent answers with the
  option_id of an option: the option's Value reaches the run as {"response": Value}. Respondents
  answer and view, viewers view, nobody else sees the web input, not even the run's owner unless
  listed. ExpiresIn (seconds on the mock clock) ends an unanswered web input, and the waiting
  state raises Flows.WebInputExpired.

  Background:
    Given the cast:
      | role       | persona |
      | owner      | alice   |
      | respondent | bob     |
      | viewer     | carol   |
      | outsider   | dave    |
    And the owner has created a flow "Approval" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Table", "Title": "Approve the transfer?",
                             "Rows": [{"Field": "Files", "Value.$": "$.files"}]},
                 "Options": [{"Value": "yes", "Label": "Approve", "Description": "Let the files go"},
                             {"Value": "no", "Label": "Deny", "Description": "Keep them"}],
                 "RespondentUrns": ["{respondent.urn}"], "ViewerUrns": ["{viewer.urn}"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"},
                  "ResultPath": "$.answer", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Approval" with:
      """
      {"body": {"files": "3 files"}, "label": "Weekly sync"}
      """
    And the run "R" waits on a web input "Q"

  Scenario: The run waits INACTIVE on the web input and goes on with the chosen option's value
    When the owner gets the run "R"
    Then the response field "details.code" is "WaitingForWebInput"
    And the response field "blocking_web_input_id" is "{webinput:Q}"
    When the respondent responds "Approve" to the web input "Q"
    Then the response status is 200
    And the response field "status" is "ok"
    And the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.answer" is:
      """
      {"response": "yes"}
      """
    And the response field "details.output.question.web_input_id" is "{webinput:Q}"
    And the response field "blocking_web_input_id" is null
    When the owner reads the log of the run "R"
    Then the log codes are "FlowStarted, CreateWebInputStarted, CreateWebInputCompleted, AwaitWebInputStarted, AwaitWebInputCompleted, FlowSucceeded"

  Scenario: A respondent reads what the web input asks
    When the respondent sends GET "/web_inputs/{webinput:Q}"
    Then the response status is 200
    And the response field "status" is "open"
    And the response field "input_type" is "selection"
    And the response field "user_roles" is:
      """
      ["respondent"]
      """
    And the response field "context" is:
      """
      {"title": "Approve the transfer?", "presentation_style": "table", "rows": [{"field": "Files", "value": "3 files"}]}
      """
    And the response field "options.1.label" is "Deny"
    And the response field "options.1.description" is "Keep them"
    And the response field "roles" is:
      """
      {"viewer_urns": ["{viewer.urn}"], "respondent_urns": ["{respondent.urn}"]}
      """
    And the response field "flow" is:
      """
      {"id": "{flow:Approval}", "title": "Approval"}
      """
    And the response field "run" is:
      """
      {"id": "{run:R}", "label": "Weekly sync"}
      """
    And the response field "creator_urn" is "{owner.urn}"
    And the response field "closed_timestamp" is null
    And the response field "input_schema.type" is "string"
    And the response field "input_schema.$schema" is "http://json-schema.org/draft-07/schema"
    And the response field "input_schema.oneOf.1.title" is "Deny"
    And the response field "input_schema.oneOf.1.description" is "Keep them"
    And the response field "input_schema.oneOf.1.const" is "{last.options.1.option_id}"

  Scenario Outline: Who may see and answer a web input
    When <who> sends GET "/web_inputs/{webinput:Q}"
    Then the response status is <get>
    When <who> sends POST "/web_inputs/{webinput:Q}/respond" with:
      """
      {"response": {"value": "anything"}}
      """
    Then the response status is <respond>

    Examples:
      | who          | get | respond |
      | the viewer   | 200 | 403     |
      | the owner    | 404 | 404     |
      | the outsider | 404 | 404     |

  Scenario: A response that is not one of the options is refused and changes nothing
    When the respondent sends POST "/web_inputs/{webinput:Q}/respond" with:
      """
      {"response": {"value": "maybe"}}
      """
    Then the response status is 422
    And the response field "error.detail" is "'maybe' is not a registered option id for this input."
    When the respondent sends POST "/web_inputs/{webinput:Q}/respond" with:
      """
      {"response": {"value": "maybe", "note": "extra"}}
      """
    Then the response status is 422
    And the error locates "response.note"
    When the respondent sends GET "/web_inputs/{webinput:Q}"
    Then the response field "status" is "open"
    And the run "R" has status "INACTIVE"

  Scenario: A closed web input takes no second response
    When the respondent responds "Deny" to the web input "Q"
    Then the response status is 200
    When the respondent responds "Approve" to the web input "Q"
    Then the response status is 409
    And the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.answer.response" is "no"
    When the viewer sends GET "/web_inputs/{webinput:Q}"
    Then the response field "status" is "closed"
    And the response field "closed_timestamp" matches the Flows timestamp format

  Scenario: Resuming a run that waits on a web input leaves it waiting
    When the owner sends POST "/runs/{run:R}/resume"
    Then the response status is 200
    And the run "R" has status "INACTIVE"
    And the response field "blocking_web_input_id" is "{webinput:Q}"

  Scenario: Canceling the run closes its web input
    When the owner sends POST "/runs/{run:R}/cancel"
    Then the response status is 202
    When the respondent sends GET "/web_inputs/{webinput:Q}"
    Then the response field "status" is "closed"
    When the respondent responds "Approve" to the web input "Q"
    Then the response status is 409

  Scenario: Listing shows open web inputs to viewers and respondents, and filters
    Given the owner has started a run "S" of the flow "Approval" with:
      """
      {"body": {"files": "1 file"}}
      """
    And the run "S" waits on a web input "P"
    When the respondent sends GET "/web_inputs?orderby=created_timestamp%20ASC"
    Then the listed web inputs are "Q, P"
    And the response field "web_input_summaries.0.title" is "Approve the transfer?"
    And the response field "web_input_summaries.0.user_roles" is:
      """
      ["respondent"]
      """
    And the response field "web_input_summaries.0.run.label" is "Weekly sync"
    When the viewer sends GET "/web_inputs?filter_roles=respondent"
    Then the response field "web_input_summaries" has 0 items
    When the viewer sends GET "/web_inputs?filter_roles=viewer&filter_run_ids={run:S}"
    Then the listed web inputs are "P"
    When the owner sends GET "/web_inputs"
    Then the response field "web_input_summaries" has 0 items
    When the respondent responds "Approve" to the web input "Q"
    And the respondent sends GET "/web_inputs"
    Then the listed web inputs are "P"
    When the respondent sends GET "/web_inputs?filter_states=closed"
    Then the listed web inputs are "Q"
    When the respondent sends GET "/web_inputs?per_page=1&filter_states=open,closed&orderby=created_timestamp%20ASC"
    Then the listed web inputs are "Q"
    When the respondent sends GET "/web_inputs?marker={last.marker}"
    Then the listed web inputs are "P"
    And the response field "marker" is null

  Scenario Outline: An empty <query> in a web inputs listing is taken as not given
    Then the respondent gets the same listing from GET "/web_inputs?<query>" as from GET "/web_inputs"

    Examples:
      | query            |
      | filter_roles=    |
      | filter_states=   |
      | filter_flow_ids= |
      | filter_run_ids=  |
      | orderby=         |
      | marker=          |
      | per_page=        |

  Scenario Outline: Bad listing queries are refused
    When the respondent sends GET "/web_inputs?<query>"
    Then the response status is <status>

    Examples:
      | query                                                                                                  | status |
      | filter_roles=owner                                                                                     | 400    |
      | filter_states=pending                                                                                  | 400    |
      | orderby=title%20ASC                                                                                    | 400    |
      | marker=not-a-marker                                                                                    | 400    |
      | filter_run_ids={run:R},{run:R},{run:R},{run:R},{run:R},{run:R},{run:R},{run:R},{run:R},{run:R},{run:R} | 422    |

  Scenario: An unanswered web input expires and the waiting state raises Flows.WebInputExpired
    Given the owner has created a flow "Deadline" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Text", "Title": "Keep the data?", "Text": "Answer within a minute"},
                 "Options": [{"Value": true, "Label": "Keep", "Description": ""}],
                 "RespondentUrns": ["{respondent.urn}"], "ExpiresIn": 60},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"},
                  "ResultPath": "$.answer", "End": true,
                  "Catch": [{"ErrorEquals": ["Flows.WebInputExpired"], "ResultPath": "$.expired", "Next": "Default"}]},
         "Default": {"Type": "Pass", "Result": "deleted", "ResultPath": "$.outcome", "End": true}}}}
      """
    And the owner has started a run "T" of the flow "Deadline"
    And the run "T" waits on a web input "K"
    When the clock advances by 59 seconds
    Then the run "T" has status "INACTIVE"
    When the clock advances by 1 second
    Then the run "T" reaches status "SUCCEEDED"
    And the response field "details.output.outcome" is "deleted"
    And the response field "details.output.expired.Error" is "Flows.WebInputExpired"
    When the respondent sends GET "/web_inputs/{webinput:K}"
    Then the response field "status" is "closed"
    And the response field "context.text" is "Answer within a minute"
    When the respondent responds "Keep" to the web input "K"
    Then the response status is 409

  Scenario: An expiry nobody catches fails the run
    Given the owner has created a flow "Strict" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"Title": "Quick?"}, "Options": [{"Value": 1, "Label": "Yes"}],
                 "RespondentUrns": ["{respondent.urn}"], "ExpiresIn": 10},
                 "ResultPath": "$.q", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.q.web_input_id"}, "End": true}}}}
      """
    And the owner has started a run "U" of the flow "Strict"
    When the clock advances by 10 seconds
    Then the run "U" reaches status "FAILED"
    And the response field "details.details.Error" is "Flows.WebInputExpired"

  Scenario: A CreateWebInput state with bad Parameters fails the run with States.Runtime
    Given the owner has created a flow "Broken" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection", "Context": {"Title": "No options"},
                 "Options": [], "RespondentUrns": ["{respondent.urn}"]}, "End": true}}}}
      """
    And the owner has started a run "V" of the flow "Broken"
    Then the run "V" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the response field "details.details.Cause" is "CreateWebInput: Options must list at least one option"

  Scenario Outline: An ExpiresIn of <seconds> seconds, more than a year, fails the run with States.Runtime
    Given the owner has created a flow "Eternal" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"Title": "Forever?"}, "Options": [{"Value": 1, "Label": "Yes"}],
                 "RespondentUrns": ["{respondent.urn}"], "ExpiresIn.$": "$.expires_in"}, "End": true}}}}
      """
    And the owner has started a run "E" of the flow "Eternal" with:
      """
      {"body": {"expires_in": <seconds>}}
      """
    Then the run "E" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the response field "details.details.Cause" mentions "31536000"

    Examples:
      | seconds  |
      | 31536001 |
      | 1e300    |

  Scenario: A web input may stay open a year
    Given the owner has created a flow "Patient" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"Title": "Some day?"}, "Options": [{"Value": 1, "Label": "Yes"}],
                 "RespondentUrns": ["{respondent.urn}"], "ExpiresIn": 31536000},
                 "ResultPath": "$.q", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.q.web_input_id"}, "End": true}}}}
      """
    And the owner has started a run "P" of the flow "Patient"
    When the clock advances by 31535999 seconds
    And the owner gets the run "P"
    Then the response field "status" is "INACTIVE"
    When the clock advances by 1 second
    Then the run "P" reaches status "FAILED"
    And the response field "details.details.Error" is "Flows.WebInputExpired"

  Scenario: Web input states need Parameters
    When the owner creates a flow "Incomplete" with:
      """
      {"definition": {"StartAt": "Wait", "States": {"Wait": {"Type": "AwaitWebInput", "End": true}}}}
      """
    Then the response status is 422
    And the error locates "definition.States.Wait.Parameters"

  Scenario: Wait For User Selection asks through a web input
    Given the owner has created a flow "Choose" with:
      """
      {"definition": {"StartAt": "Pick", "States": {
         "Pick": {"Type": "Action", "ActionUrl": "https://actions.globus.org/weboption/wait_for_option",
                  "Parameters": {"landing_page": {"header_text": "Which mirror?"},
                                 "options": [{"name": "East", "url_suffix": "east", "completed_message": "East it is"},
                                             {"name": "West", "url_suffix": "west"}]},
                  "ResultPath": "$.pick", "End": true}}}}
      """
    And the owner has started a run "W" of the flow "Choose"
    And the run "W" waits on a web input "M"
    When the owner sends GET "/web_inputs/{webinput:M}"
    Then the response field "context.title" is "Which mirror?"
    And the response field "options.0.description" is "East it is"
    When the owner responds "West" to the web input "M"
    Then the response status is 200
    And the run "W" reaches status "SUCCEEDED"
    And the response field "details.output.pick.details.name" is "West"

  Scenario: Private parameters of web input states stay out of the log, and a private option value stays private in the run
    Given the owner has created a flow "Confidential" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Text", "Title": "Release the key?", "Text": "Say yes or no"},
                 "Options": [{"Value": "K3Y-FOR-YES", "Label": "Yes", "Description": "Release it", "__Private_Parameters": ["Value"]},
                             {"Value": "no", "Label": "No", "Description": "Keep it"}],
                 "RespondentUrns": ["{respondent.urn}"], "ticket": "T1CKET-NOTE", "__Private_Parameters": ["ticket"]},
                 "ResultPath": "$.question", "Next": "Wait"},
         "Wait": {"Type": "AwaitWebInput",
                  "Parameters": {"web_input_id.$": "$.question.web_input_id", "reason": "R3ASON-NOTE", "__Private_Parameters": ["reason"]},
                  "ResultPath": "$.answer", "Next": "Check"},
         "Check": {"Type": "ExpressionEval", "Parameters": {"released.=": "answer.response == 'K3Y-FOR-YES'"},
                   "ResultPath": "$.check", "End": true}}}}
      """
    And the owner has started a run "C" of the flow "Confidential"
    And the run "C" waits on a web input "Key"
    When the owner reads the log of the run "C"
    Then the log codes are "FlowStarted, CreateWebInputStarted, CreateWebInputCompleted, AwaitWebInputStarted"
    And the response does not contain "T1CKET-NOTE"
    And the response does not contain "R3ASON-NOTE"
    And the response does not contain "K3Y-FOR-YES"
    And the log entry 1 field "details.input.Options.1" is:
      """
      {"Value": "no", "Label": "No", "Description": "Keep it"}
      """
    When the respondent sends GET "/web_inputs/{webinput:Key}"
    Then the response does not contain "K3Y-FOR-YES"
    When the respondent responds "Yes" to the web input "Key"
    Then the run "C" reaches status "SUCCEEDED"
    And the response field "details.output.check.released" is true
    And the response does not contain "K3Y-FOR-YES"
    When the owner reads the log of the run "C"
    Then the response does not contain "K3Y-FOR-YES"
    And the response does not contain "T1CKET-NOTE"
    And the response does not contain "R3ASON-NOTE"

  Scenario: What a web input shows people cannot be private
    Given the owner has created a flow "Revealing" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
                 "Context": {"PresentationStyle": "Table", "Title": "Check the account",
                             "Rows": [{"Field": "Password", "Value.$": "$._private.password"}]},
                 "Options": [{"Value": "ok", "Label": "OK", "Description": ""}],
                 "RespondentUrns": ["{respondent.urn}"]},
                 "ResultPath": "$.question", "End": true}}}}
      """
    And the owner has started a run "V" of the flow "Revealing" with:
      """
      {"body": {"_private": {"password": "SH0WN-PASSWORD"}}}
      """
    Then the run "V" reaches status "FAILED"
    And the response field "details.details.Error" is "States.Runtime"
    And the response field "details.details.Cause" mentions "private"
    And the response does not contain "SH0WN-PASSWORD"
    When the respondent sends GET "/web_inputs?filter_states=open,closed"
    Then the response field "web_input_summaries" has 1 items
