@runs @actions @transfer-actions @control
Feature: Flows that move and share data with the Transfer action providers
  As a client developer building data pipelines with Globus Flows
  I want the Transfer action providers to act on real file trees and ACL rules in the mock
  So that a transfer, move or share flow runs end to end before it touches production data

  Flows of the same shape as Globus's published transfer examples, run as the owner against
  collections of the mock. A transfer takes mock time proportional to its bytes.

  Background:
    Given the cast:
      | role      | persona |
      | owner     | alice   |
      | recipient | bob     |
      | colleague | carol   |
    And a mapped collection "Lab Storage" owned by the owner
    And a guest collection "Shared" owned by the owner on "Lab Storage"
    And the collection "Lab Storage" holds:
      | path                 | type | size      |
      | /data/run1/scan.h5   | file | 209715200 |
      | /data/run1/notes.txt | file | 1024      |
      | /data/summary.csv    | file | 4096      |
      | /incoming            | dir  |           |

  Scenario: A simple transfer copies a directory recursively, taking time on the mock clock
    Given the owner has created a flow "Copy" with:
      """
      {"definition": {"StartAt": "Transfer", "States": {"Transfer": {"Type": "Action",
        "ActionUrl": "https://transfer.actions.globus.org/transfer", "WaitTime": 900,
        "Parameters": {"DATA": [{"source_path.$": "$.source.path", "destination_path.$": "$.destination.path"}],
                       "source_endpoint.$": "$.source.id", "destination_endpoint.$": "$.destination.id"},
        "ResultPath": "$.TransferResult", "End": true}}}}
      """
    And the collection "Shared" holds:
      | path    | type |
      | /copies | dir  |
    And the owner has started a run "R" of the flow "Copy" with:
      """
      {"body": {"source": {"id": "{collection:Lab Storage}", "path": "/~/data/run1"},
                "destination": {"id": "{collection:Shared}", "path": "/~/copies/run1"}}}
      """
    When the owner gets the run "R"
    Then the response field "status" is "ACTIVE"
    And the collection "Shared" has no "/copies/run1/scan.h5"
    When the clock advances by 2 seconds
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.TransferResult.details.status" is "SUCCEEDED"
    And the response field "details.output.TransferResult.details.files_transferred" is 2
    And the response field "details.output.TransferResult.details.bytes_transferred" is 209716224
    And the collection "Shared" has "/copies/run1/scan.h5"
    And the collection "Shared" has "/copies/run1/notes.txt"

  Scenario: A move stats both paths, transfers, then deletes the source
    Given the owner has created a flow "Move" with:
      """
      {"definition": {"StartAt": "StatSource", "States": {
        "StatSource": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/stat",
                       "Parameters": {"path.$": "$.source.path", "endpoint_id.$": "$.source.id"}, "ResultPath": "$.SourceStat", "Next": "StatDestination"},
        "StatDestination": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/stat",
                            "Parameters": {"path.$": "$.destination.path", "endpoint_id.$": "$.destination.id"}, "ResultPath": "$.DestinationStat", "Next": "Types"},
        "Types": {"Type": "ExpressionEval", "Parameters": {
                    "source_is_dir.=": "SourceStat.details.type == 'dir'",
                    "dest_is_dir.=": "'type' in DestinationStat.details and DestinationStat.details.type == 'dir'",
                    "dest_exists.=": "'code' not in DestinationStat.details or DestinationStat.details.code != 'NotFound'"},
                  "ResultPath": "$.PathTypes", "Next": "Where"},
        "Where": {"Type": "Choice", "Choices": [
                    {"And": [{"Variable": "$.PathTypes.source_is_dir", "BooleanEquals": false}, {"Variable": "$.PathTypes.dest_is_dir", "BooleanEquals": true}],
                     "Next": "UnderDir"}], "Default": "AsIs"},
        "UnderDir": {"Type": "ExpressionEval", "Parameters": {"path.=": "destination.path.rstrip('/') + '/' + source.path.rpartition('/')[2]"},
                     "ResultPath": "$.Dest", "Next": "Transfer"},
        "AsIs": {"Type": "ExpressionEval", "Parameters": {"path.$": "$.destination.path"}, "ResultPath": "$.Dest", "Next": "Transfer"},
        "Transfer": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/transfer", "WaitTime": 172800,
                     "Parameters": {"DATA": [{"source_path.$": "$.source.path", "destination_path.$": "$.Dest.path"}],
                                    "source_endpoint.$": "$.source.id", "destination_endpoint.$": "$.destination.id"},
                     "ResultPath": "$.TransferResult", "Next": "Delete"},
        "Delete": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/delete", "WaitTime": 172800,
                   "Parameters": {"DATA": [{"path.$": "$.source.path"}], "recursive": true, "endpoint.$": "$.source.id"},
                   "ResultPath": "$.DeleteResult", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Move" with:
      """
      {"body": {"source": {"id": "{collection:Lab Storage}", "path": "/data/summary.csv"},
                "destination": {"id": "{collection:Lab Storage}", "path": "/incoming"}}}
      """
    When the clock advances by 5 seconds
    And the clock advances by 5 seconds
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.SourceStat.details.type" is "file"
    And the response field "details.output.PathTypes.dest_is_dir" is true
    And the collection "Lab Storage" has "/incoming/summary.csv"
    And the collection "Lab Storage" has no "/data/summary.csv"

  Scenario: Transfer and share: the destination gets the data and a rule, and the recipient can list it
    Given the owner has created a flow "Share" with:
      """
      {"definition": {"StartAt": "Info", "States": {
        "Info": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/collection_info",
                 "Parameters": {"endpoint_id.$": "$.destination.id"}, "ResultPath": "$.DestinationInfo", "Next": "Guest"},
        "Guest": {"Type": "Choice", "Choices": [{"Or": [
                    {"Variable": "$.DestinationInfo.details.entity_type", "StringEquals": "GCP_guest_collection"},
                    {"Variable": "$.DestinationInfo.details.entity_type", "StringEquals": "GCSv5_guest_collection"}], "Next": "Copy"}],
                  "Default": "NotGuest"},
        "Copy": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/transfer",
                 "Parameters": {"source_endpoint.$": "$.source.id", "destination_endpoint.$": "$.destination.id",
                                "DATA": [{"DATA_TYPE": "transfer_item", "source_path.$": "$.source.path", "destination_path.$": "$.destination.path"}]},
                 "ResultPath": "$.TransferFiles", "Next": "Grant"},
        "Grant": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/manage_permission",
                  "Parameters": {"endpoint_id.$": "$.destination.id", "path.$": "$.destination.path", "operation": "CREATE",
                                 "permissions": "r", "principal_type.$": "$.principal.type", "principal.$": "$.principal.id"},
                  "ResultPath": "$.SetPermission", "End": true},
        "NotGuest": {"Type": "Fail", "Error": "NonGuestDestinationCollection", "Cause": "The destination must be a guest collection"}}},
       "flow_starters": ["{recipient.urn}"]}
      """
    And the owner has started a run "R" of the flow "Share" with:
      """
      {"body": {"source": {"id": "{collection:Lab Storage}", "path": "/~/data/run1"},
                "destination": {"id": "{collection:Shared}", "path": "/~/results"},
                "principal": {"id": "{recipient.id}", "type": "identity"}}}
      """
    When the clock advances by 5 seconds
    Then the run "R" reaches status "SUCCEEDED"
    And the response field "details.output.SetPermission.details.code" is "Created"
    And the collection "Shared" has "/results/scan.h5"
    When the owner sends GET "/v0.10/endpoint/{collection:Shared}/access/{last.details.output.SetPermission.details.access_id}"
    Then the response status is 200
    And the response field "path" is "/results/"
    And the response field "principal" is "{recipient.id}"
    And the recipient may read "/results/scan.h5" on "Shared"
    Given the owner has created a flow "List" with:
      """
      {"definition": {"StartAt": "Ls", "States": {"Ls": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/ls",
        "Parameters": {"endpoint_id.$": "$.id", "path.$": "$.path"}, "ResultPath": "$.listing", "End": true}}},
       "flow_starters": ["{recipient.urn}"]}
      """
    And the recipient has started a run "Look" of the flow "List" with:
      """
      {"body": {"id": "{collection:Shared}", "path": "/results/"}}
      """
    Then the run "Look" reaches status "SUCCEEDED"
    And the response field "details.output.listing.details.DATA.0.name" is "notes.txt"
    And the response field "details.output.listing.details.DATA.1.name" is "scan.h5"

  Scenario: A transfer the user may not make fails the run with the Transfer error
    Given the owner has created a flow "Steal" with:
      """
      {"definition": {"StartAt": "Transfer", "States": {"Transfer": {"Type": "Action",
        "ActionUrl": "https://transfer.actions.globus.org/transfer",
        "Parameters": {"DATA": [{"source_path": "/data/summary.csv", "destination_path": "/stolen.csv"}],
                       "source_endpoint.$": "$.from", "destination_endpoint.$": "$.to"},
        "ResultPath": "$.t", "End": true}}},
       "flow_starters": ["{recipient.urn}"]}
      """
    And the recipient has started a run "R" of the flow "Steal" with:
      """
      {"body": {"from": "{collection:Lab Storage}", "to": "{collection:Shared}"}}
      """
    Then the run "R" reaches status "FAILED"
    And the response field "details.details.Error" is "ActionFailedException"
    And the error message mentions "PermissionDenied"
    And the collection "Shared" has no "/stolen.csv"

  Scenario: manage_permission surfaces the ACL API's errors as action failures
    Given the owner has created a flow "Grant" with:
      """
      {"definition": {"StartAt": "Grant", "States": {"Grant": {"Type": "Action",
        "ActionUrl": "https://transfer.actions.globus.org/manage_permission",
        "Parameters": {"operation": "CREATE", "endpoint_id.$": "$.id", "path": "/x/", "permissions": "r",
                       "principal_type": "identity", "principal.$": "$.who"},
        "ResultPath": "$.grant", "ExceptionOnActionFailure": false, "End": true}}}}
      """
    And the owner has started a run "First" of the flow "Grant" with:
      """
      {"body": {"id": "{collection:Shared}", "who": "{colleague.id}"}}
      """
    And the owner has started a run "Again" of the flow "Grant" with:
      """
      {"body": {"id": "{collection:Shared}", "who": "{colleague.id}"}}
      """
    Then the run "Again" reaches status "SUCCEEDED"
    And the response field "details.output.grant.status" is "FAILED"
    And the response field "details.output.grant.details.code" is "Exists"

  Scenario: A looping batched move lists, transfers and deletes in batches until the source is empty
    Given the collection "Lab Storage" holds:
      | path         | type | size |
      | /batch/a.dat | file | 10   |
      | /batch/b.dat | file | 10   |
      | /batch/c.dat | file | 10   |
    And the collection "Shared" holds:
      | path     | type |
      | /archive | dir  |
    And the owner has created a flow "Batches" with:
      """
      {"definition": {"StartAt": "List", "States": {
        "List": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/ls",
                 "Parameters": {"endpoint_id.$": "$.source.id", "path.$": "$.source.path", "limit": 2},
                 "ResultPath": "$.ls", "Next": "AnyLeft"},
        "AnyLeft": {"Type": "Choice", "Choices": [{"Variable": "$.ls.details.DATA[0]", "IsPresent": true, "Next": "Plan"}], "Default": "Done"},
        "Plan": {"Type": "ExpressionEval", "Parameters": {
                   "transfer.=": "[{'source_path': source.path + '/' + f.name, 'destination_path': destination.path + '/' + f.name} for f in ls.details.DATA]",
                   "delete.=": "[{'path': source.path + '/' + f.name} for f in ls.details.DATA]"},
                 "ResultPath": "$.batch", "Next": "Transfer"},
        "Transfer": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/transfer",
                     "Parameters": {"DATA.$": "$.batch.transfer", "source_endpoint.$": "$.source.id", "destination_endpoint.$": "$.destination.id"},
                     "ResultPath": "$.t", "Next": "Delete"},
        "Delete": {"Type": "Action", "ActionUrl": "https://transfer.actions.globus.org/delete",
                   "Parameters": {"DATA.$": "$.batch.delete", "endpoint.$": "$.source.id"}, "ResultPath": "$.d", "Next": "List"},
        "Done": {"Type": "Pass", "End": true}}}}
      """
    And the owner has started a run "R" of the flow "Batches" with:
      """
      {"body": {"source": {"id": "{collection:Lab Storage}", "path": "/batch"}, "destination": {"id": "{collection:Shared}", "path": "/archive"}}}
      """
    When the clock advances by 5 seconds
    And the clock advances by 5 seconds
    And the clock advances by 5 seconds
    And the clock advances by 5 seconds
    Then the run "R" reaches status "SUCCEEDED"
    And the collection "Shared" has "/archive/a.dat"
    And the collection "Shared" has "/archive/c.dat"
    And the collection "Lab Storage" has no "/batch/b.dat"
    When the owner reads the log of the run "R"
    Then the response field "entries" has 28 items
