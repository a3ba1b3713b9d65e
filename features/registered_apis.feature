@flows @registered-apis @control
Feature: Registered APIs
  As a client developer who lets flows call my own service
  I want to register, share, change and remove the API operations flows may call
  So that my tooling manages Registered APIs against the mock as it would against Globus

  Creating a Registered API needs a subscription whose group holds the caller; the creator
  becomes an owner. Owners include administrators, who include viewers: viewers read,
  administrators also update (all but the owners and administrators), owners also change those
  and delete; an API always keeps an owner; anyone else is told it does not exist.

  Background:
    Given the cast:
      | role          | persona |
      | owner         | alice   |
      | administrator | bob     |
      | viewer        | carol   |
      | outsider      | dave    |
    And a group "Subscribers" with members the owner, the administrator
    And a standard subscription "Lab" for the group "Subscribers"
    And the owner has registered an API "Things" with:
      """
      {"description": "Create a thing", "subscription_id": "{subscription:Lab}",
       "roles": {"administrators": ["{administrator.urn}"], "viewers": ["{viewer.urn}"]}}
      """

  Scenario: The created document shows the target, the roles and the creator as an owner
    When the owner sends GET "/registered_apis/{api:Things}"
    Then the response status is 200
    And the response field "name" is "Things"
    And the response field "description" is "Create a thing"
    And the response field "target.destination" is:
      """
      {"method": "post", "url": "https://api.example.org/things"}
      """
    And the response field "roles.owners" is:
      """
      ["{owner.urn}"]
      """
    And the response field "roles.administrators" is:
      """
      ["{administrator.urn}"]
      """
    And the response field "created_timestamp" matches the Flows timestamp format

  Scenario: Creation needs a subscription
    When the owner sends POST "/registered_apis" with:
      """
      {"name": "No subscription", "target": {"type": "openapi", "openapi_version": "3.1",
       "destination": {"method": "get", "url": "https://api.example.org/x"}, "specification": {}}}
      """
    Then the response status is 400
    And the error locates "subscription_id"

  Scenario: Creation needs a subscription the caller belongs to
    Given a group "Others" with members the outsider
    And a standard subscription "Elsewhere" for the group "Others"
    When the owner sends POST "/registered_apis" with:
      """
      {"name": "Borrowed", "subscription_id": "{subscription:Elsewhere}",
       "target": {"type": "openapi", "openapi_version": "3.1",
       "destination": {"method": "get", "url": "https://api.example.org/x"}, "specification": {}}}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    When the owner sends GET "/registered_apis?filter_roles=owner"
    Then the listed registered APIs are "Things"

  Scenario Outline: An empty <query> in a registered APIs listing is taken as not given
    Then the owner gets the same listing from GET "/registered_apis?<query>" as from GET "/registered_apis"

    Examples:
      | query         |
      | filter_roles= |
      | orderby=      |
      | marker=       |
      | per_page=     |

  Scenario Outline: Bad bodies are refused with 400 and create nothing
    When the owner sends POST "/registered_apis" with:
      """
      <body>
      """
    Then the response status is 400
    And the error message mentions "<mentions>"
    When the owner sends GET "/registered_apis"
    Then the listed registered APIs are "Things"

    Examples:
      | body                                                                                                                                                                                                                               | mentions |
      | {"name": "", "subscription_id": "{subscription:Lab}", "target": {"type": "openapi", "openapi_version": "3.1", "destination": {"method": "get", "url": "https://a.example/"}, "specification": {}}}                                 | name     |
      | {"name": "X", "subscription_id": "{subscription:Lab}", "target": {"type": "graphql", "openapi_version": "3.1", "destination": {"method": "get", "url": "https://a.example/"}, "specification": {}}}                                | type     |
      | {"name": "X", "subscription_id": "{subscription:Lab}", "target": {"type": "openapi", "openapi_version": "3.1", "destination": {"method": "trace", "url": "https://a.example/"}, "specification": {}}}                              | method   |
      | {"name": "X", "subscription_id": "{subscription:Lab}", "roles": {"viewers": ["bob"]}, "target": {"type": "openapi", "openapi_version": "3.1", "destination": {"method": "get", "url": "https://a.example/"}, "specification": {}}} | viewers  |
      | {"name": "X", "subscription_id": "not-a-uuid", "target": {"type": "openapi", "openapi_version": "3.1", "destination": {"method": "get", "url": "https://a.example/"}, "specification": {}}}                                        | uuid     |

  Scenario Outline: What each role may do
    When <who> sends <method> "/registered_apis/{api:Things}"
    Then the response status is <status>

    Examples:
      | who               | method | status |
      | the viewer        | GET    | 200    |
      | the administrator | DELETE | 403    |
      | the viewer        | DELETE | 403    |
      | the outsider      | GET    | 404    |
      | the outsider      | DELETE | 404    |

  Scenario Outline: Administrators and owners update, viewers do not
    When <who> sends PATCH "/registered_apis/{api:Things}" with:
      """
      {"description": "changed by <who>"}
      """
    Then the response status is <status>

    Examples:
      | who               | status |
      | the owner         | 200    |
      | the administrator | 200    |
      | the viewer        | 403    |
      | the outsider      | 404    |

  Scenario: An administrator cannot take ownership, so cannot delete the API either
    When the administrator sends PATCH "/registered_apis/{api:Things}" with:
      """
      {"roles": {"owners": ["{administrator.urn}"]}}
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    And the error message mentions "owner"
    When the administrator sends DELETE "/registered_apis/{api:Things}"
    Then the response status is 403
    When the owner sends GET "/registered_apis/{api:Things}"
    Then the response status is 200
    And the response field "roles.owners" is:
      """
      ["{owner.urn}"]
      """

  Scenario Outline: Only owners change the owners and administrators: the administrator changing <change> is refused
    When the administrator sends PATCH "/registered_apis/{api:Things}" with:
      """
      <body>
      """
    Then the response status is 403
    And the error code is "FORBIDDEN"
    When the owner sends GET "/registered_apis/{api:Things}"
    Then the response field "name" is "Things"
    And the response field "roles" is:
      """
      {"owners": ["{owner.urn}"], "administrators": ["{administrator.urn}"], "viewers": ["{viewer.urn}"]}
      """

    Examples:
      | change                        | body                                                                          |
      | the owners, adding itself     | {"roles": {"owners": ["{owner.urn}", "{administrator.urn}"]}}                 |
      | the administrators            | {"roles": {"administrators": ["{administrator.urn}", "{outsider.urn}"]}}      |
      | the administrators and a name | {"name": "Mine", "roles": {"administrators": [], "viewers": []}}              |
      | the owners with the viewers   | {"roles": {"owners": ["{administrator.urn}"], "viewers": ["{outsider.urn}"]}} |

  Scenario Outline: What a role allows is changed: <who> changing <change>
    When <who> sends PATCH "/registered_apis/{api:Things}" with:
      """
      <body>
      """
    Then the response status is 200
    When <reader> sends GET "/registered_apis/{api:Things}"
    Then the response field "<field>" is:
      """
      <value>
      """

    Examples:
      | who               | change                                       | body                                                                                             | reader            | field                | value                                                                                 |
      | the administrator | the viewers                                  | {"roles": {"viewers": ["{outsider.urn}"]}}                                                       | the owner         | roles.viewers        | ["{outsider.urn}"]                                                                    |
      | the administrator | the name                                     | {"name": "Renamed"}                                                                              | the owner         | name                 | "Renamed"                                                                             |
      | the administrator | the viewers, repeating the other lists as is | {"roles": {"owners": ["{owner.urn}"], "administrators": ["{administrator.urn}"], "viewers": []}} | the owner         | roles                | {"owners": ["{owner.urn}"], "administrators": ["{administrator.urn}"], "viewers": []} |
      | the owner         | the owners                                   | {"roles": {"owners": ["{owner.urn}", "{administrator.urn}"]}}                                    | the owner         | roles.owners         | ["{owner.urn}", "{administrator.urn}"]                                                |
      | the owner         | the administrators                           | {"roles": {"administrators": ["{outsider.urn}"]}}                                                | the owner         | roles.administrators | ["{outsider.urn}"]                                                                    |
      | the owner         | the owners, handing ownership on             | {"roles": {"owners": ["{administrator.urn}"]}}                                                   | the administrator | roles.owners         | ["{administrator.urn}"]                                                               |

  Scenario: The last owner cannot be removed
    When the owner sends PATCH "/registered_apis/{api:Things}" with:
      """
      {"name": "Ownerless", "roles": {"owners": []}}
      """
    Then the response status is 400
    And the error locates "roles.owners"
    When the owner sends GET "/registered_apis/{api:Things}"
    Then the response field "name" is "Things"
    And the response field "roles.owners" is:
      """
      ["{owner.urn}"]
      """

  Scenario: A caller without a role is told the API does not exist
    When the outsider sends GET "/registered_apis/{api:Things}"
    Then the response status is 404
    And the error code is "NOT_FOUND"
    And the error message mentions "No Registered API exists with id value"

  Scenario: PATCH changes only the fields given
    When the administrator sends PATCH "/registered_apis/{api:Things}" with:
      """
      {"name": "Things v2", "roles": {"viewers": []}}
      """
    Then the response status is 200
    And the response field "name" is "Things v2"
    And the response field "description" is "Create a thing"
    And the response field "roles.viewers" has 0 items
    And the response field "roles.administrators" is:
      """
      ["{administrator.urn}"]
      """
    When the viewer sends GET "/registered_apis/{api:Things}"
    Then the response status is 404

  Scenario: Listing shows what the caller owns by default, and more with filter_roles
    Given the administrator has registered an API "Bob's" with:
      """
      {"subscription_id": "{subscription:Lab}", "roles": {"viewers": ["{owner.urn}"]}}
      """
    When the owner sends GET "/registered_apis"
    Then the listed registered APIs are "Things"
    When the owner sends GET "/registered_apis?filter_roles=viewer&orderby=name%20ASC"
    Then the listed registered APIs are "Bob's, Things"
    When the administrator sends GET "/registered_apis?filter_roles=administrator,owner&orderby=name%20DESC"
    Then the listed registered APIs are "Things, Bob's"
    When the viewer sends GET "/registered_apis?filter_roles=viewer"
    Then the listed registered APIs are "Things"
    When the outsider sends GET "/registered_apis?filter_roles=viewer"
    Then the response field "registered_apis" has 0 items
    When the owner sends GET "/registered_apis?filter_roles=runner"
    Then the response status is 400

  Scenario: Listing pages with a marker that keeps the query
    Given the owner has registered an API "B" with:
      """
      {"subscription_id": "{subscription:Lab}"}
      """
    And the owner has registered an API "C" with:
      """
      {"subscription_id": "{subscription:Lab}"}
      """
    When the owner sends GET "/registered_apis?per_page=2&orderby=name%20ASC"
    Then the listed registered APIs are "B, C"
    And the response field "has_next_page" is true
    When the owner sends GET "/registered_apis?marker={last.marker}"
    Then the listed registered APIs are "Things"
    And the response field "has_next_page" is false

  Scenario: Deleting is for owners, and the API is gone afterwards
    When the owner sends DELETE "/registered_apis/{api:Things}"
    Then the response status is 200
    And the response field "id" is "{api:Things}"
    When the owner sends GET "/registered_apis/{api:Things}"
    Then the response status is 404
    When the owner sends DELETE "/registered_apis/{api:Things}"
    Then the response status is 404

  Scenario: A flow calls a registered API through a Handler
    Given a service that answers 201 with:
      """
      {"thing_id": "abc", "made": true}
      """
    And the owner has registered an API "Maker" with:
      """
      {"subscription_id": "{subscription:Lab}",
       "target": {"type": "openapi", "openapi_version": "3.1",
                  "destination": {"method": "post", "url": "{service}/things/{template:thing_id}"},
                  "specification": {"parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}},
                                                   {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}],
                                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                                    "security": [{"globus": ["https://auth.globus.org/scopes/9a0f0000-0000-4000-8000-00000000a001/make"]}],
                                    "responses": {"201": {"description": "made"}}},
                  "components": {"securitySchemes": {"globus": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://auth.globus.org/v2/oauth2/authorize", "tokenUrl": "https://auth.globus.org/v2/oauth2/token",
                    "scopes": {"https://auth.globus.org/scopes/9a0f0000-0000-4000-8000-00000000a001/make": "make things"}}}}}}}}
      """
    And the response field "state_input_schema.required" is:
      """
      ["thing_id", "body"]
      """
    And the response field "data_templates.request.template" is:
      """
      {"path": {"$T_ref": "$"}, "query": {"$T_ref": "$"}, "body": {"$T_ref": "$.body"}}
      """
    And the owner has created a flow "Make" with:
      """
      {"definition": {"StartAt": "Make", "States": {
         "Make": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api:Maker}"},
                  "Parameters": {"thing_id.$": "$.id", "verbose": true, "body": {"name.$": "$.name"}},
                  "ResultPath": "$.made", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Make" with:
      """
      {"body": {"id": "abc", "name": "a thing"}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.made.status" is "SUCCEEDED"
    And the response field "details.output.made.details" is:
      """
      {"thing_id": "abc", "made": true}
      """
    And the service received POST "/things/abc?verbose=true" from the owner with:
      """
      {"name": "a thing"}
      """

  Scenario: A registered API whose operation asks for no scope is called without a token
    Given a service that answers 200 with:
      """
      {"ok": true}
      """
    And the owner has registered an API "Open" with:
      """
      {"subscription_id": "{subscription:Lab}",
       "target": {"type": "openapi", "openapi_version": "3.1",
                  "destination": {"method": "get", "url": "{service}/status"}, "specification": {}}}
      """
    And the owner has created a flow "Ask" with:
      """
      {"definition": {"StartAt": "Ask", "States": {
         "Ask": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api:Open}"}, "Parameters": {}, "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Ask" with:
      """
      {"body": {}}
      """
    Then the run "R" reaches status "SUCCEEDED"
    And the service received GET "/status" without a token

  Scenario: An error answer of the registered API raises ActionUnableToRun
    Given a service that answers 409 with:
      """
      {"error": "exists"}
      """
    And the owner has registered an API "Maker" with:
      """
      {"subscription_id": "{subscription:Lab}",
       "target": {"type": "openapi", "openapi_version": "3.1",
                  "destination": {"method": "put", "url": "{service}/things"}, "specification": {}}}
      """
    And the owner has created a flow "Make" with:
      """
      {"definition": {"StartAt": "Make", "States": {
         "Make": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api:Maker}"}, "Parameters": {"body": {}},
                  "ResultPath": "$.made", "End": true,
                  "Catch": [{"ErrorEquals": ["ActionUnableToRun"], "ResultPath": "$.error", "Next": "Done"}]},
         "Done": {"Type": "Pass", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Make"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.error.Error" is "ActionUnableToRun"
    And the response field "details.output.error.Cause" mentions "exists"
    And the service received PUT "/things" without a token

  Scenario: A run whose user holds no role on the registered API cannot call it
    Given the owner has registered an API "Private" with:
      """
      {"subscription_id": "{subscription:Lab}"}
      """
    And the outsider has created a flow "Borrow" with:
      """
      {"definition": {"StartAt": "Call", "States": {
         "Call": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api:Private}"}, "Parameters": {}, "End": true}}}}
      """
    And the outsider has started a run "R" of the flow "Borrow"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "ActionUnableToRun"
    And the response field "details.details.Cause" mentions "No Registered API exists with id value"

  Scenario: A call without a path parameter the destination needs is refused before it is sent
    Given a service that answers 200 with:
      """
      {}
      """
    And the owner has registered an API "Getter" with:
      """
      {"subscription_id": "{subscription:Lab}",
       "target": {"type": "openapi", "openapi_version": "3.1",
                  "destination": {"method": "get", "url": "{service}/things/{template:thing_id}"}, "specification": {}}}
      """
    And the owner has created a flow "Get" with:
      """
      {"definition": {"StartAt": "Get", "States": {
         "Get": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api:Getter}"}, "Parameters": {"x": 1}, "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Get"
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Cause" mentions "Parameters.thing_id is required"

  Scenario Outline: Handlers are checked when the flow is created
    When the owner creates a flow "Bad" with:
      """
      {"definition": {"StartAt": "A", "States": {"A": {"Type": "Action", <handler>, "Parameters": {}, "End": true}}}}
      """
    Then the response status is 422
    And the error locates "<location>"

    Examples:
      | handler                                                                                     | location                         |
      | "Handler": {"Type": "Lambda"}                                                               | definition.States.A.Handler.Type |
      | "Handler": {"Type": "RegisteredAPI"}                                                        | definition.States.A.Handler.Id   |
      | "Handler": {"Type": "ActionProvider", "Url": "ftp://x"}                                     | definition.States.A.Handler.Url  |
      | "Handler": {"Type": "ActionProvider", "Url": "https://x.org"}, "ActionUrl": "https://x.org" | definition.States.A.Handler      |

  Scenario: A Handler naming an action provider works as an ActionUrl
    Given the owner has created a flow "Hello" with:
      """
      {"definition": {"StartAt": "Hi", "States": {
         "Hi": {"Type": "Action", "Handler": {"Type": "ActionProvider", "Url": "https://actions.globus.org/hello_world"},
                "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hi", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Hello"
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.hi.status" is "SUCCEEDED"
