@auth @projects
Feature: Projects in Globus Auth
  As a client developer who manages a portal's authentication policies
  I want the projects API: create, list, read, update and delete, administered by people and groups
  So that my tools set up the project a policy belongs to, and its administrators manage its policies

  A project's administrators are the identities of admin_ids and the members of the groups of
  admin_group_ids; a project needs one of them. Only its administrators see a project: anyone
  else is told it does not exist. A project that still has policies is not deleted.

  Scenario: A project is created, read, updated and deleted with {"project": ...} documents
    When alice sends POST "/v2/api/projects" with:
      """
      {"project": {"display_name": "Portal", "contact_email": "portal@example.org", "admin_ids": ["{alice.id}"]}}
      """
    Then the response status is 200
    And the response field "project.display_name" is "Portal"
    And the response field "project.project_name" is "Portal"
    And the response field "project.contact_email" is "portal@example.org"
    And the response field "project.admin_ids" is:
      """
      ["{alice.id}"]
      """
    And the response field "project.admin_group_ids" is null
    And the response field "project.admins.identities.0.username" is "alice@example.org"
    And the response field "project.admins.groups" has 0 items
    And the response field "project.id" is kept as "portal"
    When alice sends GET "/v2/api/projects/{kept:portal}"
    Then the response status is 200
    And the response field "project.display_name" is "Portal"
    When alice sends PUT "/v2/api/projects/{kept:portal}" with:
      """
      {"project": {"display_name": "Portal 2", "admin_ids": ["{alice.id}", "{bob.id}"]}}
      """
    Then the response status is 200
    And the response field "project.display_name" is "Portal 2"
    And the response field "project.contact_email" is "portal@example.org"
    And the response field "project.admins.identities" has 2 items
    When bob sends GET "/v2/api/projects/{kept:portal}"
    Then the response status is 200
    When alice sends DELETE "/v2/api/projects/{kept:portal}"
    Then the response status is 200
    And the response field "project.display_name" is "Portal 2"
    When alice sends GET "/v2/api/projects/{kept:portal}"
    Then the response status is 404

  Scenario: The creator need not administer the project it creates
    When alice sends POST "/v2/api/projects" with:
      """
      {"project": {"display_name": "For Bob", "contact_email": "bob@example.org", "admin_ids": ["{bob.id}"]}}
      """
    Then the response status is 200
    And the response field "project.id" is kept as "bobs"
    When alice sends GET "/v2/api/projects/{kept:bobs}"
    Then the response status is 404
    When bob sends GET "/v2/api/projects/{kept:bobs}"
    Then the response status is 200
    When bob sends DELETE "/v2/api/projects/{kept:bobs}"
    Then the response status is 200

  Scenario Outline: A project without <what> is refused and nothing is made
    When alice sends POST "/v2/api/projects" with:
      """
      {"project": <project>}
      """
    Then the response status is 400
    And the error message mentions "<field>"
    When alice sends GET "/v2/api/projects"
    Then the response status is 200
    And the response field "projects" has 0 items

    Examples:
      | what                  | project                                                                                                   | field           |
      | a display name        | {"contact_email": "p@example.org", "admin_ids": ["{alice.id}"]}                                           | display_name    |
      | a contact email       | {"display_name": "P", "admin_ids": ["{alice.id}"]}                                                        | contact_email   |
      | an administrator      | {"display_name": "P", "contact_email": "p@example.org"}                                                   | admin_ids       |
      | empty administrators  | {"display_name": "P", "contact_email": "p@example.org", "admin_ids": [], "admin_group_ids": []}           | admin_ids       |
      | a known administrator | {"display_name": "P", "contact_email": "p@example.org", "admin_ids": ["9d000000-0000-4000-8000-00000000dead"]} | 9d000000-0000-4000-8000-00000000dead |
      | a known group         | {"display_name": "P", "contact_email": "p@example.org", "admin_group_ids": ["9d000000-0000-4000-8000-00000000dead"]} | 9d000000-0000-4000-8000-00000000dead |

  Scenario: An update that leaves a project without administrators is refused and changes nothing
    Given alice has created a project "Portal" administered by alice
    When alice sends PUT "/v2/api/projects/{project:Portal}" with:
      """
      {"project": {"admin_ids": []}}
      """
    Then the response status is 400
    When alice sends GET "/v2/api/projects/{project:Portal}"
    Then the response status is 200
    And the response field "project.admin_ids" has 1 items

  @control
  Scenario Outline: <who> lists the projects administered through <path>
    Given a group "Lab" with members dave
    And alice has created a project "Portal" with:
      """
      {"admin_ids": ["{carol.id}", "0e210000-0000-4000-8000-000000000015"], "admin_group_ids": ["{group:Lab}"]}
      """
    When <who> sends GET "/v2/api/projects"
    Then the response status is 200
    And the response field "projects" has <count> items

    Examples:
      | who   | path                | count |
      | carol | admin_ids           | 1     |
      | dave  | a group             | 1     |
      | erin  | a linked identity   | 1     |
      | bob   | nothing             | 0     |
      | alice | having created it   | 0     |

  Scenario: A project with policies is not deleted until they are
    Given alice has created a project "Portal" administered by alice
    And alice has created a standard policy "Login" in the project "Portal"
    When alice sends DELETE "/v2/api/projects/{project:Portal}"
    Then the response status is 409
    When alice sends GET "/v2/api/projects/{project:Portal}"
    Then the response status is 200
    When alice sends DELETE "/v2/api/policies/{policy:Login}"
    And alice sends DELETE "/v2/api/projects/{project:Portal}"
    Then the response status is 200

  Scenario: A policy is made in a project only by its administrators
    Given alice has created a project "Portal" administered by carol
    When alice sends POST "/v2/api/policies" with:
      """
      {"policy": {"project_id": "{project:Portal}", "display_name": "Mine", "description": ""}}
      """
    Then the response status is 403
    When carol sends GET "/v2/api/policies"
    Then the response field "policies" has 0 items
    When carol sends POST "/v2/api/policies" with:
      """
      {"policy": {"project_id": "{project:Portal}", "display_name": "Mine", "description": ""}}
      """
    Then the response status is 200
    When carol sends DELETE "/v2/api/policies/{last.policy.id}"
    Then the response status is 200

  Scenario: A policy follows the administrators of its project as they change
    Given alice has created a project "Portal" administered by alice and carol
    And alice has created a standard policy "Login" in the project "Portal"
    When carol sends GET "/v2/api/policies/{policy:Login}"
    Then the response status is 200
    When alice sends PUT "/v2/api/projects/{project:Portal}" with:
      """
      {"project": {"admin_ids": ["{alice.id}"]}}
      """
    And carol sends GET "/v2/api/policies/{policy:Login}"
    Then the response status is 404
    When carol sends PUT "/v2/api/policies/{policy:Login}" with:
      """
      {"policy": {"display_name": "Taken"}}
      """
    Then the response status is 404

  Scenario: A policy moves only into a project its caller administers
    Given alice has created a project "Portal" administered by alice
    And alice has created a project "Elsewhere" administered by bob
    And alice has created a standard policy "Login" in the project "Portal"
    When alice sends PUT "/v2/api/policies/{policy:Login}" with:
      """
      {"policy": {"project_id": "{project:Elsewhere}"}}
      """
    Then the response status is 403
    When alice sends GET "/v2/api/policies/{policy:Login}"
    Then the response field "policy.project_id" is "{project:Portal}"

  @control
  Scenario Outline: <method> <path> refuses a missing token (401) and a token without manage_projects (403)
    Given alice has created a project "Portal" administered by alice
    And alice has created a standard policy "Login" in the project "Portal"
    And a token "narrow" for alice with scope "openid"
    When a client without a token sends <method> "<path>" with:
      """
      <body>
      """
    Then the response status is 401
    And the error code is "UNAUTHORIZED"
    When a client with the token "narrow" sends <method> "<path>" with:
      """
      <body>
      """
    Then the response status is 403
    And the error code is "MISSING_SCOPE"
    When alice sends GET "/v2/api/projects/{project:Portal}"
    Then the response field "project.display_name" is "Portal"

    Examples:
      | method | path                               | body                                                                                           |
      | GET    | /v2/api/projects                   |                                                                                                |
      | POST   | /v2/api/projects                   | {"project": {"display_name": "P", "contact_email": "p@example.org", "admin_ids": ["{alice.id}"]}} |
      | GET    | /v2/api/projects/{project:Portal}  |                                                                                                |
      | PUT    | /v2/api/projects/{project:Portal}  | {"project": {"display_name": "Taken"}}                                                         |
      | DELETE | /v2/api/projects/{project:Portal}  |                                                                                                |
      | GET    | /v2/api/policies                   |                                                                                                |
      | POST   | /v2/api/policies                   | {"policy": {"project_id": "{project:Portal}", "display_name": "P", "description": ""}}         |
      | GET    | /v2/api/policies/{policy:Login}    |                                                                                                |
      | PUT    | /v2/api/policies/{policy:Login}    | {"policy": {"display_name": "Taken"}}                                                          |
      | DELETE | /v2/api/policies/{policy:Login}    |                                                                                                |
